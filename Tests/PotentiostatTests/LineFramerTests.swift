import XCTest
@testable import Potentiostat

final class LineFramerTests: XCTestCase {
    func testByteByByteSplitsLinesAndStripsCR() {
        var framer = LineFramer()
        var frames: [LineFrame] = []
        for b in Array("+1.0E-3\r\n0,\"No error\"\npart".utf8) { if let f = framer.feed(b) { frames.append(f) } }
        XCTAssertEqual(frames, [.line("+1.0E-3", startOffset: 0), .line("0,\"No error\"", startOffset: 9)])
        XCTAssertEqual(framer.pendingCount, 4)
        XCTAssertEqual(framer.feed(Array("ial\n".utf8)), [.line("partial", startOffset: 22)])
    }

    func testEverySplitPointGivesTheSameLines() {
        let bytes = Array("a,b\nccc\n\nddd\n".utf8)
        var reference = LineFramer()
        let expected = reference.feed(bytes)
        XCTAssertEqual(expected.count, 4)
        for cut in 0...bytes.count {
            var framer = LineFramer()
            let got = framer.feed(bytes[..<cut]) + framer.feed(bytes[cut...])
            XCTAssertEqual(got, expected, "cut at \(cut)")
        }
    }

    func testGarbageAndOverflow() {
        var framer = LineFramer(maxLineLength: 8)
        let frames = framer.feed([0xFF, 0xFE, 0x41, 0x0A] + Array("0123456789ABC\nok\n".utf8))
        XCTAssertEqual(frames, [.malformed([0xFF, 0xFE, 0x41], startOffset: 0),
                                .overflow(startOffset: 4, length: 13),
                                .line("ok", startOffset: 18)])
        XCTAssertEqual(framer.bytesConsumed, 21)
    }

    func testRandomBytesNeverCrashAndOffsetsStayInRange() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<200 {
            var framer = LineFramer(maxLineLength: 16)
            let bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next() % 7 == 0 ? 10 : rng.next()) }
            for frame in framer.feed(bytes) {
                switch frame {
                case .line(let s, let o): XCTAssertLessThanOrEqual(s.utf8.count, 16); XCTAssertLessThan(o, bytes.count)
                case .malformed(let raw, let o): XCTAssertLessThanOrEqual(raw.count, 16); XCTAssertLessThan(o, bytes.count)
                case .overflow(let o, let len): XCTAssertGreaterThan(len, 16); XCTAssertLessThan(o, bytes.count)
                }
            }
        }
    }
}
