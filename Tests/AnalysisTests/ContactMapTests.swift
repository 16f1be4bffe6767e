import Foundation
import XCTest
@testable import Analysis

final class ContactMapTests: XCTestCase {
    func testPGMLayout() {
        var map = ContactMap(width: 3, height: 2)
        map[1, 0] = 1
        map[2, 1] = 1
        let data = map.pgmData()
        XCTAssertEqual(Array(data.prefix(11)), Array("P5\n3 2\n255\n".utf8))
        XCTAssertEqual(Array(data.suffix(6)), [0, 255, 0, 0, 0, 255])
        XCTAssertEqual(map.contactCount, 2)
    }

    func testCRCAndAdlerKnownValues() {
        XCTAssertEqual(PNGEncoder.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(PNGEncoder.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
    }

    /// Decodes the PNG with Python's zlib (another implementation) when python3 is there.
    func testPNGDecodesWithPythonZlib() throws {
        var map = ContactMap(width: 300, height: 250)   // > 65 535 bytes: several stored blocks
        for y in 0..<250 { for x in 0..<300 where (x * 7 + y * 3) % 5 == 0 { map[x, y] = 1 } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cellpress-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("map.png").path
        try map.write(path: path)
        let script = """
        import struct, sys, zlib
        d = open(sys.argv[1], 'rb').read()
        assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
        i, idat = 8, b''
        while i < len(d):
            n, = struct.unpack('>I', d[i:i+4]); t = d[i+4:i+8]; body = d[i+8:i+8+n]
            assert zlib.crc32(t + body) == struct.unpack('>I', d[i+8+n:i+12+n])[0]
            if t == b'IHDR': w, h = struct.unpack('>II', body[:8])
            if t == b'IDAT': idat += body
            i += 12 + n
        raw = zlib.decompress(idat)
        print(w, h, sum(1 for y in range(h) for x in range(w) if raw[y*(w+1)+1+x] == 255))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let out = Pipe()
        process.standardOutput = out
        do { try process.run() } catch { throw XCTSkip("python3 not available") }
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines), "300 250 \(map.contactCount)")
    }
}
