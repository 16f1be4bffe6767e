import XCTest
@testable import Analysis

/// Renders the report in headless Chromium (Debian package `chromium`), checks there are
/// no console errors and that the screenshot has real plot content compared with an empty page.
final class ReportChromiumTests: XCTestCase {
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    func testReportRendersInHeadlessChromium() throws {
        guard let chromium = Self.candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("chromium not installed (Debian: apt-get install -y chromium)")
        }
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("python3 needed to decode the PNG screenshot")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cellpress-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("report.html"), empty = dir.appendingPathComponent("empty.html")
        try ReportHTMLTests.syntheticReport().write(to: report, atomically: true, encoding: .utf8)
        try "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><title>empty</title></head><body></body></html>"
            .write(to: empty, atomically: true, encoding: .utf8)

        let (reportLog, reportPNG) = try screenshot(chromium, page: report, dir: dir, name: "report")
        let (_, emptyPNG) = try screenshot(chromium, page: empty, dir: dir, name: "empty")
        // Chromium 156 logs console.error and uncaught exceptions as "INFO:CONSOLE"; older
        // builds as "ERROR:CONSOLE". The report has no scripts, so any console line is a fault.
        let consoleLines = Self.consoleProblems(reportLog)
        XCTAssertTrue(consoleLines.isEmpty, "console output: \(consoleLines)")
        // For eyeballing: CELLPRESS_KEEP_REPORT=/some/dir keeps the HTML and screenshot.
        if let keep = ProcessInfo.processInfo.environment["CELLPRESS_KEEP_REPORT"] {
            for f in [report, reportPNG] {
                let to = URL(fileURLWithPath: keep).appendingPathComponent(f.lastPathComponent)
                try? FileManager.default.removeItem(at: to)
                try? FileManager.default.copyItem(at: f, to: to)
            }
        }
        let r = try pixelStats(python, reportPNG), e = try pixelStats(python, emptyPNG)
        XCTAssertEqual(r.width, 1200); XCTAssertGreaterThanOrEqual(r.height, 2000)
        XCTAssertLessThan(e.nonWhiteFraction, 0.001, "empty page should be blank: \(e)")
        XCTAssertGreaterThan(r.nonWhiteFraction, 0.02, "report looks blank: \(r)")
        // Data lines are drawn in saturated palette colours; text and grid are grey.
        XCTAssertGreaterThan(r.colouredPixels, 2000, "no coloured plot lines: \(r)")
    }

    static func consoleProblems(_ log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
    }

    /// The console filter must catch what this Chromium prints for a page with errors
    /// (a captured log line from `console.error` + a ReferenceError, Chromium 156).
    func testConsoleFilterCatchesChromiumConsoleLines() {
        let log = """
        [27570:27570:1127/073120.034524:INFO:CONSOLE:1] "boom", source: file:///tmp/bad.html (1)
        [1:1:1127/073120.0:ERROR:CONSOLE(1)] "Uncaught ReferenceError: f is not defined", source: x (1)
        [27540:27556:1127/073119.0:ERROR:bus.cc(408)] Failed to connect to the bus
        """
        XCTAssertEqual(Self.consoleProblems(log).count, 2)
    }

    private func screenshot(_ chromium: String, page: URL, dir: URL, name: String) throws -> (String, URL) {
        let png = dir.appendingPathComponent("\(name).png")
        let profile = dir.appendingPathComponent("profile-\(name)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--hide-scrollbars",
                       "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
                       "--screenshot=\(png.path)", "--window-size=1200,3000", page.absoluteString]
        // stderr to a file, not a pipe: helper processes (crashpad) can outlive the browser
        // and hold a pipe open, and reading a pipe to EOF would defeat the safety timeout.
        let logURL = dir.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: logURL)
        defer { try? logHandle.close() }
        p.standardError = logHandle
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // Safety timeout only (shared machine): kill if it is still running after 180 s.
        let deadline = Date().addingTimeInterval(180)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if p.isRunning { p.terminate(); p.waitUntilExit(); XCTFail("chromium did not exit within 180 s") }
        let log = (try? Data(contentsOf: logURL)) ?? Data()
        let text = String(decoding: log, as: UTF8.self)
        guard FileManager.default.fileExists(atPath: png.path) else {
            XCTFail("chromium produced no screenshot (exit \(p.terminationStatus)): \(text.suffix(600))")
            throw CocoaError(.fileNoSuchFile)
        }
        return (text, png)
    }

    struct PixelStats: CustomStringConvertible {
        var width = 0, height = 0, nonWhiteFraction = 0.0, colouredPixels = 0
        var description: String { "\(width)×\(height) non-white \(nonWhiteFraction) coloured \(colouredPixels)" }
    }

    /// Decodes an 8-bit RGB/RGBA PNG with python3's zlib and counts pixels.
    private func pixelStats(_ python: String, _ png: URL) throws -> PixelStats {
        let script = """
        import sys, zlib, struct
        d = open(sys.argv[1], 'rb').read()
        assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
        pos, idat = 8, b''
        while pos < len(d):
            n, t = struct.unpack('>I4s', d[pos:pos+8]); c = d[pos+8:pos+8+n]; pos += 12 + n
            if t == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', c[:10])
            elif t == b'IDAT': idat += c
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
        raw = zlib.decompress(idat); stride = w * bpp
        prev = bytearray(stride); nonwhite = coloured = 0; i = 0
        for y in range(h):
            f = raw[i]; row = bytearray(raw[i+1:i+1+stride]); i += 1 + stride
            # Fast paths for the blank rows that dominate a page (pure Python is slow).
            if f == 0: xs = ()
            elif f == 2 and row.count(0) == stride: row = bytearray(prev); xs = ()
            elif f == 1 and row.count(0, bpp) == stride - bpp: row = bytearray(bytes(row[:bpp]) * w); xs = ()
            else: xs = range(stride)
            for x in xs:
                a = row[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
                if f == 1: row[x] = (row[x] + a) & 255
                elif f == 2: row[x] = (row[x] + b) & 255
                elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
                elif f == 4:
                    p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
                    row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            if row.count(255) == stride: prev = row; continue
            for x in range(0, stride, bpp):
                r, g, bl = row[x], row[x+1], row[x+2]
                if r < 245 or g < 245 or bl < 245: nonwhite += 1
                if max(r, g, bl) - min(r, g, bl) > 60: coloured += 1
            prev = row
        print(w, h, nonwhite / (w * h), coloured)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script, png.path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let f = String(decoding: data, as: UTF8.self).split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard p.terminationStatus == 0, f.count == 4, let w = Int(f[0]), let h = Int(f[1]), let nw = Double(f[2]), let c = Int(f[3]) else {
            XCTFail("PNG decode failed: \(errText)"); return PixelStats()
        }
        return PixelStats(width: w, height: h, nonWhiteFraction: nw, colouredPixels: c)
    }
}
