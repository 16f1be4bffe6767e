import XCTest
@testable import Potentiostat

final class SCPIReplyTests: XCTestCase {
    func testNumbersAndLists() throws {
        XCTAssertEqual(try SCPIReply.numbers("+1.234000E-03,-5, 7.5 "), [1.234e-3, -5, 7.5])
        XCTAssertTrue(try SCPIReply.numbers("9.91E+37")[0].isNaN)
        XCTAssertTrue(try SCPIReply.numbers("NAN")[0].isNaN)
    }

    func testBadNumberReportsByteOffset() {
        XCTAssertThrowsError(try SCPIReply.numbers("1.0,2x5")) { error in
            let e = error as? SCPIParseError
            XCTAssertEqual(e?.byteOffset, 5)
        }
        XCTAssertThrowsError(try SCPIReply.numbers("1.0,,2")) { error in
            XCTAssertEqual((error as? SCPIParseError)?.byteOffset, 4)
        }
        XCTAssertThrowsError(try SCPIReply.numbers("0x1p3"))
    }

    func testErrorEntries() throws {
        XCTAssertEqual(try SCPIReply.errorEntry("-113,\"Undefined header\""), SCPIErrorEntry(code: -113, message: "Undefined header"))
        XCTAssertTrue(try SCPIReply.errorEntry("0,\"No error;0;0 0\"").isNoError)
        XCTAssertEqual(try SCPIReply.errorEntry("-222,\"Data \"\"x\"\" out\"").message, "Data \"x\" out")
        XCTAssertThrowsError(try SCPIReply.errorEntry("no comma"))
        XCTAssertThrowsError(try SCPIReply.errorEntry("-1,\"open"))
        XCTAssertThrowsError(try SCPIReply.errorEntry("x,\"a\""))
    }

    func testRandomRepliesNeverCrash() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("0123456789+-.eE,\" ;:NAINFx\u{00e9}")
        for _ in 0..<2000 {
            let s = String((0..<Int(rng.next() % 24)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            do {
                _ = try SCPIReply.numbers(s)
            } catch let e as SCPIParseError {
                XCTAssertLessThanOrEqual(e.byteOffset, s.utf8.count)
            } catch { XCTFail("unexpected \(error)") }
            _ = try? SCPIReply.errorEntry(s)
            _ = try? SCPIReply.boolean(s)
        }
    }

    func testCommandParserShortFormsAndCompoundUnits() {
        let cmds = SCPICommandParser.parse(line: "*RST;:stat:pres;:*CLS;")
        XCTAssertEqual(cmds.map(\.keywords), [["*RST"], ["STAT", "PRES"], ["*CLS"]])
        let c = SCPICommandParser.parse(line: ":SENS:FUNC 'VOLT';:SENS:VOLT:NPLC 1.000000;")
        XCTAssertEqual(c[0].keywords, ["SENS", "FUNC"]); XCTAssertEqual(c[0].parameters, ["'VOLT'"])
        XCTAssertEqual(SCPICommandParser.parse(line: "OUTPut:STATe ON")[0].keywords, ["OUTP", "STAT"])
        XCTAssertEqual(SCPICommandParser.parse(line: ":SYSTem:ERRor?")[0].keywords, ["SYST", "ERR"])
        XCTAssertTrue(SCPICommandParser.parse(line: ":SYSTem:ERRor?")[0].isQuery)
        let q = SCPICommandParser.parse(line: ":READ? \"defbuffer1\", READ, SOUR")[0]
        XCTAssertEqual(q.parameters, ["\"defbuffer1\"", "READ", "SOUR"])
    }

    /// Random command lines into the emulator never crash; undefined headers are queued.
    func testRandomCommandLinesIntoEmulatorNeverCrash() {
        let emulation = Keithley2450Emulation(cell: SimulatedCell())
        var rng = SplitMix64(seed: 99)
        let pieces = [":", ";", "?", " ", ",", "\"", "'", "SOUR", "CURR", "VOLT", "OUTP", "ON", "1e-3", "*IDN", "READ",
                      "SYST:ERR", "x", "9.9e99", "-", "LEV", "SMOD", "HIMP", "\u{00ff}", "SENS", "FUNC"]
        for _ in 0..<3000 {
            let line = (0..<Int(rng.next() % 10)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            for reply in emulation.handle(line: line) { XCTAssertFalse(reply.contains("\n")) }
        }
        XCTAssertEqual(emulation.handle(line: "*CLS;:NOPE 3;:SYST:ERR?"), ["-113,\"Undefined header\""])
    }
}
