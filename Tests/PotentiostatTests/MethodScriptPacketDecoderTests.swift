import XCTest
@testable import Potentiostat

final class MethodScriptPacketDecoderTests: XCTestCase {
    // A transcript as an EmStat4 running a chronopotentiometry script would send it:
    // script echo, measurement loop start, packets (time, step, potential, current with
    // status and range metadata), a nan, loop end, blank line. Hex values were written
    // from the manual's rule (value + 2^27, 7 hex digits, SI prefix).
    let transcript = """
    e
    M0007
    Peb80005DCm;ja8000001i;ab804C518u,10,20C;ba8007AA8n,10,212
    Peb8000BB8m;ja8000001i;ab7F9B574u,12;ba     nan
    *

    """ + "\n"

    func decodeAll(_ text: String) -> [MethodScriptEvent] {
        var d = MethodScriptPacketDecoder()
        return d.feed(text)
    }

    func testRecordedTranscriptDecodesToTypedValues() throws {
        let events = decodeAll(transcript)
        guard events.count == 6 else { return XCTFail("expected 6 events: \(events)") }
        XCTAssertEqual(events[0], .scriptAccepted)
        XCTAssertEqual(events[1], .loopBegan(.measurement, code: 7))
        guard case .packet(let p1, let pos1) = events[2] else { return XCTFail("\(events[2])") }
        XCTAssertEqual(pos1.line, 3)
        XCTAssertEqual(pos1.byteOffset, 8)  // "e\n" + "M0007\n"
        XCTAssertEqual(p1.values.count, 4)
        XCTAssertEqual(p1.first(.time)!, 1.5, accuracy: 1e-12)
        XCTAssertEqual(p1.values[1].rawInteger, 1)
        XCTAssertEqual(p1.values[1].siPrefix, "i")
        XCTAssertEqual(p1.first(.workingElectrodePotential)!, 0.3126, accuracy: 1e-12)
        XCTAssertEqual(p1.first(quantity: .currentAmps)!, 31.4e-6, accuracy: 1e-15)
        XCTAssertEqual(p1.values[2].status, [])
        XCTAssertEqual(p1.values[2].range, 0x0C)
        XCTAssertEqual(p1.values[3].range, 0x12)
        XCTAssertEqual(p1.values[3].type.quantity, .currentAmps)

        guard case .packet(let p2, _) = events[3] else { return XCTFail("\(events[3])") }
        XCTAssertEqual(p2.first(.workingElectrodePotential)!, -0.4123, accuracy: 1e-12)
        XCTAssertEqual(p2.values[2].status, .overload)
        XCTAssertNil(p2.values[2].range)
        XCTAssertTrue(p2.values[3].isNaN)
        XCTAssertTrue(p2.first(.workingElectrodeCurrent)!.isNaN)

        XCTAssertEqual(events[4], .loopEnded(.measurement))
        XCTAssertEqual(events[5], .scriptFinished)
    }

    func testByteByByteFeedGivesSameEventsAsWholeFeed() {
        let whole = decodeAll(transcript)
        var d = MethodScriptPacketDecoder()
        var split: [MethodScriptEvent] = []
        for b in transcript.utf8 { split += d.feed([b]) }
        XCTAssertEqual(split, whole)
        // Partial line: nothing until the newline arrives.
        var p = MethodScriptPacketDecoder()
        XCTAssertEqual(p.feed("Peb80005D"), [])
        XCTAssertEqual(p.feed("Cm").count, 0)
        XCTAssertEqual(p.feed("\r\n").count, 1)  // CRLF tolerated
    }

    func testNegativeValuesAndPrefixes() {
        let events = decodeAll("Pda7FFFE0Cm;ba7FFFF82u;eb8000000 \n")
        guard case .packet(let p, _) = events.first else { return XCTFail("\(events)") }
        XCTAssertEqual(p.first(.appliedPotential)!, -0.5, accuracy: 1e-12)
        XCTAssertEqual(p.first(.workingElectrodeCurrent)!, -126e-6, accuracy: 1e-15)
        XCTAssertEqual(p.first(.time), 0)
        XCTAssertEqual(p.values[0].rawInteger, -500)
    }

    func testInstrumentErrorsAreTyped() {
        let events = decodeAll("e\n!4004: Line 12, Col 3\ne!0003\n")
        XCTAssertEqual(events.count, 3)
        guard case .instrumentError(let e1) = events[1] else { return XCTFail("\(events)") }
        XCTAssertEqual(e1.code, 0x4004)
        XCTAssertEqual(e1.codeHex, "4004")
        XCTAssertNil(e1.command)
        XCTAssertEqual(e1.scriptLine, 12)
        XCTAssertEqual(e1.scriptColumn, 3)
        XCTAssertEqual(e1.position.line, 2)
        XCTAssertEqual(e1.position.byteOffset, 2)
        guard case .instrumentError(let e2) = events[2] else { return XCTFail("\(events)") }
        XCTAssertEqual(e2.code, 3)
        XCTAssertEqual(e2.command, "e")
        XCTAssertNil(e2.scriptLine)
        XCTAssertEqual(e2.position.line, 3)
        XCTAssertEqual(e2.position.byteOffset, 2 + 22)
    }

    func testLoopMarkersNestAndUnbalancedEndIsAnError() {
        let events = decodeAll("L\nM0007\nC0000\n-\n*\n+\n*\n")
        XCTAssertEqual(events[0], .loopBegan(.loop, code: nil))
        XCTAssertEqual(events[2], .loopBegan(.scan, code: 0))
        XCTAssertEqual(events[3], .loopEnded(.scan))
        XCTAssertEqual(events[4], .loopEnded(.measurement))
        XCTAssertEqual(events[5], .loopEnded(.loop))
        guard case .malformed(let e) = events[6] else { return XCTFail("\(events[6])") }
        XCTAssertEqual(e.reason, .unbalancedLoopEnd(UInt8(ascii: "*")))
        XCTAssertEqual(e.position, MethodScriptPosition(line: 7, column: 1, byteOffset: 20))
    }

    /// Each malformed line names its line and the column of the offending byte;
    /// decoding continues with the next line.
    func testMalformedLinesNameLineAndColumn() {
        let cases: [(String, MethodScriptDecodeError.Reason, Int)] = [
            ("Peb80005DCm;ba8007AAXn", .invalidHexDigit(UInt8(ascii: "X")), 21),
            ("Peb80005DCq", .invalidSIPrefix(UInt8(ascii: "q")), 11),
            ("Peb8000", .variableTooShort(length: 6), 2),
            ("PEb80005DCm", .invalidVariableType, 2),
            ("P", .emptyPacket, 2),
            ("Pba    xnan", .invalidNaN, 4),
            ("Pab804C518u,1Z", .invalidMetadata("1Z"), 14),
            ("Pab804C518u,", .invalidMetadata(""), 13),
            ("M07", .invalidLoopMarker, 4),
            ("MZZZZ", .invalidHexDigit(UInt8(ascii: "Z")), 2),
            ("!40", .invalidErrorLine, 4),
            ("Q123", .unexpectedLineStart(UInt8(ascii: "Q")), 1),
        ]
        for (i, (line, reason, column)) in cases.enumerated() {
            var d = MethodScriptPacketDecoder()
            let events = d.feed("e\n" + line + "\nPeb80005DCm\n")
            XCTAssertEqual(events.count, 3, line)
            guard case .malformed(let e) = events[1] else {
                XCTFail("case \(i) \(line): \(events)"); continue
            }
            XCTAssertEqual(e.reason, reason, line)
            XCTAssertEqual(e.position.line, 2, line)
            XCTAssertEqual(e.position.column, column, line)
            XCTAssertEqual(e.position.byteOffset, 2 + column - 1, line)
            guard case .packet = events[2] else { return XCTFail("did not recover after \(line)") }
        }
    }

    func testOverlongLineIsReportedAndSkipped() {
        var d = MethodScriptPacketDecoder(maximumLineLength: 64)
        let events = d.feed(String(repeating: "P", count: 1000) + "\ne\n")
        XCTAssertEqual(events.count, 2)
        guard case .malformed(let e) = events[0] else { return XCTFail("\(events)") }
        XCTAssertEqual(e.reason, .lineTooLong(limit: 64))
        XCTAssertEqual(e.position.line, 1)
        XCTAssertEqual(events[1], .scriptAccepted)
    }

    /// Seeded random bytes (biased towards the packet alphabet) never crash the decoder;
    /// every malformed event has a position inside the stream.
    func testFuzzRandomBytesNeverCrash() {
        var rng = MethodScriptFuzzRNG(seed: 0x5eed_1234)
        let alphabet = Array("Peb8000ABCDEFnum ;,\n!*+-MLCTZe0123456789".utf8)
        for round in 0..<300 {
            var d = MethodScriptPacketDecoder(maximumLineLength: 128)
            var bytes: [UInt8] = []
            let n = Int(rng.next() % 600)
            for _ in 0..<n {
                let r = rng.next()
                bytes.append(r % 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8)
                                         : alphabet[Int((r >> 8) % UInt64(alphabet.count))])
            }
            var events: [MethodScriptEvent] = []
            var i = 0
            while i < bytes.count {  // random split points
                let k = min(bytes.count, i + 1 + Int(rng.next() % 17))
                events += d.feed(bytes[i..<k])
                i = k
            }
            let newlines = bytes.filter { $0 == UInt8(ascii: "\n") }.count
            XCTAssertEqual(events.count, newlines, "round \(round)")
            for case .malformed(let e) in events {
                XCTAssertGreaterThanOrEqual(e.position.line, 1)
                XCTAssertGreaterThanOrEqual(e.position.column, 1)
                XCTAssertLessThan(e.position.byteOffset, bytes.count + 1)
            }
        }
    }
}

