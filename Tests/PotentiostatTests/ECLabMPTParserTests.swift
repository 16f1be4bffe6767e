import XCTest
@testable import Potentiostat

final class ECLabMPTParserTests: XCTestCase {
    /// shared/data/eclab: package root's parent + /shared, else /work/shared.
    func dataDirectory() throws -> String {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/eclab").path,
            "/work/shared/data/eclab",
        ]
        for c in candidates where FileManager.default.fileExists(atPath: c + "/README.md") { return c }
        throw XCTSkip("EC-Lab test exports not found (looked in \(candidates)); they live in shared/data/eclab")
    }

    func load(_ name: String) throws -> ECLabMPTData {
        try ECLabMPTFile.read(path: try dataDirectory() + "/" + name)
    }

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try dataDirectory() + "/" + name)))
    }

    func testEveryExportInTheDataDirectoryImports() throws {
        let dir = try dataDirectory()
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".mpt") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 6, "\(files)")
        for f in files {
            let data = try ECLabMPTFile.read(path: dir + "/" + f)
            XCTAssertEqual(data.header.lines.first, "EC-Lab ASCII FILE", f)
            XCTAssertEqual(data.columns.count, data.columnNames.count, f)
            XCTAssertTrue(data.columns.allSatisfy { $0.count == data.samples.count }, f)
            XCTAssertNotNil(data.header.acquisitionStart, f)
            // Time runs forward in every export.
            for (a, b) in zip(data.samples, data.samples.dropFirst()) {
                XCTAssertLessThan(a.timeSeconds, b.timeSeconds, f)
            }
        }
    }

    func testChronopotentiometryWithDecimalCommasAndCoulombs() throws {
        let d = try load("cp.issue_149.mpt")
        XCTAssertEqual(d.header.headerLineCount, 63)
        XCTAssertEqual(d.header.technique, "Chronopotentiometry")
        XCTAssertEqual(d.header.acquisitionStartText, "01/10/2024 11:02:29.886")
        XCTAssertEqual(d.header.acquisitionStart,
                       ECLabWallClockTime(year: 2024, month: 1, day: 10, hour: 11, minute: 2, second: 29,
                                          nanosecond: 886_000_000))
        XCTAssertEqual(d.samples.count, 44)
        XCTAssertEqual(d.columnNames.count, 27)
        XCTAssertTrue(d.columnNames.contains("Capacitance charge/µF"))  // 0xB5 decoded as µ
        let s0 = d.samples[0], s1 = d.samples[1]
        XCTAssertEqual(s0.timeSeconds, 10.99979972212168, accuracy: 1e-12)
        XCTAssertEqual(s0.voltageVolts!, 3.4244580, accuracy: 1e-9)        // from <Ewe/V>
        XCTAssertEqual(s0.currentAmps!, 2.0003509e-5, accuracy: 1e-13)     // mA → A
        XCTAssertEqual(s0.chargeCoulombs!, 1.8956864e-5, accuracy: 1e-13)  // (Q-Qo)/C as is
        XCTAssertEqual(s0.cycle, 0)
        XCTAssertEqual(s0.sequenceIndex, 0)
        XCTAssertEqual(s1.timeSeconds, 11.99979969685955, accuracy: 1e-12)
        XCTAssertEqual(s1.voltageVolts!, 3.4252174, accuracy: 1e-9)
        XCTAssertEqual(d.samples.last!.timeSeconds, 619.8849973901961, accuracy: 1e-12)
        XCTAssertEqual(d.samples.last!.cycle, 3)
        let sumCurrentMilliamps = d.column(named: "I/mA")!.reduce(0, +)
        XCTAssertEqual(sumCurrentMilliamps, 0.88037728, accuracy: 1e-9)
    }

    func testGCPLWithAveragedCurrentAndMilliampHours() throws {
        let d = try load("gcpl.issue_226.I.mpt")
        XCTAssertEqual(d.header.technique, "Galvanostatic Cycling with Potential Limitation")
        XCTAssertEqual(d.header.acquisitionStart?.month, 8)
        XCTAssertEqual(d.header.acquisitionStart?.day, 4)
        XCTAssertEqual(d.samples.count, 15)
        XCTAssertEqual(d.samples[0].timeSeconds, 0.04819999878236558, accuracy: 1e-15)
        XCTAssertEqual(d.samples[0].voltageVolts!, -0.050306384, accuracy: 1e-12)
        XCTAssertEqual(d.samples[1].voltageVolts!, -1.3842598e-3, accuracy: 1e-12)
        XCTAssertEqual(d.samples[1].currentAmps!, 1.200081657287679e-4, accuracy: 1e-16)  // <I>/mA
        XCTAssertEqual(d.samples[1].chargeCoulombs!, 3.333560074919628e-4 * 3.6, accuracy: 1e-15)  // mA.h → C
        XCTAssertEqual(d.samples.first!.sequenceIndex, 1)
        XCTAssertEqual(d.samples.last!.sequenceIndex, 2)
        XCTAssertEqual(d.samples.last!.timeSeconds, 118.8655969972024, accuracy: 1e-12)
        XCTAssertEqual(d.column(named: "<I>/mA")!.reduce(0, +), -0.19898618849196154, accuracy: 1e-12)
    }

    func testGermanAndEnglishExportsGiveEqualNumbers() throws {
        let de = try load("mb.issue_95.de.mpt")
        let en = try load("mb.issue_95.mpt")
        XCTAssertEqual(de.header.headerLineCount, 94)
        XCTAssertEqual(en.header.headerLineCount, 93)
        XCTAssertEqual(de.header.technique, "Modulo Bat")
        XCTAssertEqual(de.samples.count, 33)
        XCTAssertEqual(de.columnNames, en.columnNames)
        XCTAssertEqual(de.columns, en.columns)
        XCTAssertEqual(de.samples, en.samples)
        XCTAssertEqual(en.samples[0].voltageVolts!, 2.3278546, accuracy: 1e-9)
        XCTAssertEqual(en.samples.last!.currentAmps!, -64.980278e-3, accuracy: 1e-12)
        XCTAssertEqual(en.samples.last!.chargeCoulombs!, 9.731169646453858e-2 * 3.6, accuracy: 1e-12)
        XCTAssertEqual(en.column(named: "I/mA")!.reduce(0, +), 385.483312, accuracy: 1e-6)
    }

    func testOpenCircuitHasNoCurrentAndWaitHasNoRows() throws {
        let ocv = try load("ocv.issue_149.mpt")
        XCTAssertEqual(ocv.header.technique, "Open Circuit Voltage")
        XCTAssertEqual(ocv.columnNames, ["mode", "error", "time/s", "<Ewe/V>"])
        XCTAssertEqual(ocv.samples.count, 43)
        XCTAssertNil(ocv.samples[0].currentAmps)
        XCTAssertNil(ocv.samples[0].chargeCoulombs)
        XCTAssertNil(ocv.samples[0].cycle)
        XCTAssertEqual(ocv.samples[0].voltageVolts!, 3.4206879, accuracy: 1e-9)
        XCTAssertEqual(ocv.samples.last!.timeSeconds, 609.8325976441411, accuracy: 1e-12)

        let wait = try load("wait.mpt")
        XCTAssertEqual(wait.header.technique, "Wait")
        XCTAssertEqual(wait.columnNames.count, 8)
        XCTAssertEqual(wait.samples.count, 0)
        XCTAssertEqual(wait.header.acquisitionStart?.year, 2021)
    }

    func testCRLFAndHeaderlessExports() throws {
        let crlf = "EC-Lab ASCII FILE\r\nNb header lines : 4\r\n\r\ntime/s\tEwe/V\tI/mA\t\r\n1,5\t0,25\t-0,0314\r\n2,5\t0,26\t-0,0314\r\n"
        let d = try ECLabMPTParser().parse(Array(crlf.utf8))
        XCTAssertEqual(d.samples.count, 2)
        XCTAssertEqual(d.samples[1].timeSeconds, 2.5)
        XCTAssertEqual(d.samples[1].currentAmps!, -31.4e-6, accuracy: 1e-15)
        XCTAssertNil(d.header.technique)

        let bare = "mode\ttime/s\tEwe/V\n1\t0.0\t0.1\n1\t1.0\t0.2"
        let b = try ECLabMPTParser().parse(Array(bare.utf8))
        XCTAssertEqual(b.header.headerLineCount, 1)
        XCTAssertEqual(b.samples.map(\.voltageVolts), [0.1, 0.2])
    }

    // MARK: - errors

    func assertError(_ bytes: [UInt8], parser: ECLabMPTParser = ECLabMPTParser(),
                     _ check: (ECLabMPTError) -> Void, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try parser.parse(bytes)
            XCTFail("expected an error", file: file, line: line)
        } catch {
            check(error)
        }
    }

    func testTruncatedAndCorruptFilesNameLineAndColumn() throws {
        let original = try bytes("cp.issue_149.mpt")
        let text = original

        // Cut in the middle of the last data row: wrong field count on the last line.
        let cut = Array(text[0..<(text.count - 200)])
        let lastLine = cut.split(separator: 0x0A, omittingEmptySubsequences: false).count
        assertError(cut) { e in
            XCTAssertEqual(e.line, lastLine)
            guard case .wrongFieldCount(expected: 27, found: let n) = e.kind else { return XCTFail("\(e)") }
            XCTAssertLessThan(n, 27)
        }
        // ...which the tolerant parser drops.
        let tolerant = try ECLabMPTParser(tolerateIncompleteLastRow: true).parse(cut)
        XCTAssertTrue(tolerant.droppedIncompleteLastRow)
        XCTAssertEqual(tolerant.samples.count, 43)

        // Cut inside the header.
        let head = Array(text[0..<900])
        let headLines = head.filter { $0 == 0x0A }.count + (head.last == 0x0A ? 0 : 1)
        XCTAssertLessThan(headLines, 63)
        assertError(head) { e in
            XCTAssertEqual(e.line, 2)
            XCTAssertEqual(e.kind, .headerLongerThanFile(declared: 63, linesInFile: headLines))
        }

        // A letter inside a number in data row 5 (line 68), field 8 (time/s).
        var corrupt = original
        let lines = corrupt.split(separator: 0x0A, omittingEmptySubsequences: false)
        let line68Start = lines[0..<67].reduce(0) { $0 + $1.count + 1 }
        var tabs = 0, fieldStart = line68Start
        while tabs < 7 { if corrupt[fieldStart] == 0x09 { tabs += 1 }; fieldStart += 1 }
        corrupt[fieldStart + 2] = UInt8(ascii: "x")
        assertError(corrupt) { e in
            XCTAssertEqual(e.line, 68)
            XCTAssertEqual(e.column, 8)
            XCTAssertEqual(e.byteOffset, fieldStart)
            guard case .invalidNumber(_, columnName: "time/s") = e.kind else { return XCTFail("\(e)") }
        }

        assertError(Array("hello\nworld\n".utf8)) { e in
            XCTAssertEqual(e.kind, .notAnECLabTextExport); XCTAssertEqual(e.line, 1)
        }
        assertError(Array("EC-Lab ASCII FILE\nNb header lines : x\n".utf8)) { e in
            XCTAssertEqual(e.kind, .invalidHeaderLineCount("x")); XCTAssertEqual(e.line, 2)
            XCTAssertEqual(e.byteOffset, 18)
        }
        assertError(Array("EC-Lab ASCII FILE\nNb header lines : 3\nmode\tEwe/V\n".utf8)) { e in
            XCTAssertEqual(e.kind, .missingTimeColumn); XCTAssertEqual(e.line, 3)
        }
        assertError([]) { e in XCTAssertEqual(e.kind, .notAnECLabTextExport) }
    }

    func testUnreadableFileErrorCarriesPath() {
        XCTAssertThrowsError(try ECLabMPTFile.read(path: "/nonexistent/x.mpt")) { error in
            let e = error as? ECLabMPTError
            XCTAssertEqual(e?.path, "/nonexistent/x.mpt")
            guard case .unreadableFile = e?.kind else { return XCTFail("\(error)") }
        }
    }

    /// Seeded random bytes and random mutations of a real export never crash the parser;
    /// every error points inside the input.
    func testFuzzNeverCrashes() throws {
        var rng = MethodScriptFuzzRNG(seed: 0xEC1AB)
        let original = try bytes("gcpl.issue_226.I.mpt")
        var failures = 0
        for round in 0..<200 {
            var input: [UInt8]
            switch round % 3 {
            case 0:
                input = (0..<Int(rng.next() % 400)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if round % 2 == 0 { input = Array("EC-Lab ASCII FILE\nNb header lines : 3\n".utf8) + input }
            case 1:
                input = original
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    let i = Int(rng.next() % UInt64(input.count))
                    input[i] = [0x09, 0x0A, 0x2C, 0x2E, 0x45, 0x41, 0xB5, UInt8(truncatingIfNeeded: rng.next())][Int(rng.next() % 8)]
                }
            default:
                input = Array(original[0..<Int(rng.next() % UInt64(original.count))])
            }
            do {
                let d = try ECLabMPTParser(tolerateIncompleteLastRow: round % 2 == 0).parse(input)
                XCTAssertTrue(d.columns.allSatisfy { $0.count == d.samples.count })
            } catch {
                failures += 1
                XCTAssertGreaterThanOrEqual(error.byteOffset, 0)
                XCTAssertLessThanOrEqual(error.byteOffset, input.count)
                if error.line > 0 {
                    let lineCount = input.split(separator: 0x0A, omittingEmptySubsequences: false).count
                    XCTAssertLessThanOrEqual(error.line, lineCount + 1)
                }
            }
        }
        XCTAssertGreaterThan(failures, 50)  // the fuzz inputs are mostly invalid
    }
}
