import XCTest
@testable import Analysis

/// Three days of 1 Hz logs and 300 scans: the correlation and the report must stay
/// proportionate (no per-scan passes over the whole log). No timing assertion — the
/// machine is shared — only a size bound on the report and a generous safety check.
final class CorrelationScaleTests: XCTestCase {
    func testLongRunSummarisesAndReportStaysSmall() throws {
        let n = 3 * 86_400
        let t = (0..<n).map(Double.init)
        var input = CorrelationInput()
        input.currentAmps = TimeSeries(timeUnixSeconds: t, values: t.map { (Int($0) / 14_400) % 2 == 0 ? 31.4e-6 : -31.4e-6 })
        input.voltageVolts = TimeSeries(timeUnixSeconds: t, values: t.map { 0.1 * sin($0 / 3000) + ((Int($0) / 14_400) % 2 == 0 ? 0.2 : -0.2) })
        input.pressureMegapascals = TimeSeries(timeUnixSeconds: t, values: t.map { 12 - $0 / 86_400 })
        input.scans = (0..<300).map { k in
            let start = Double(k) * 864
            return ScanRecord(id: k, startUnixSeconds: start, endUnixSeconds: start + 420,
                              top: InterfaceMeasurement(contactAreaSquareMicrometres: 30_000 - Double(k) * 10, contactFraction: 0.25),
                              bottom: InterfaceMeasurement(contactAreaSquareMicrometres: 29_000 - Double(k) * 20, contactFraction: 0.24),
                              stackThicknessMicrometres: 1100 - Double(k) * 0.02, analysedAreaSquareMicrometres: 115_600)
        }
        let s = Correlator.summarize(input)
        XCTAssertEqual(s.halfCycles.count, (n + 14_399) / 14_400) // 18 alternating 4-h blocks
        XCTAssertEqual(s.scans.count, 300)
        // Pressure falls 1 MPa/day and thickness 0.02 µm per 864 s scan → 1 MPa per 2 µm.
        XCTAssertEqual(try XCTUnwrap(s.stiffness?.fit?.slope), 0.5, accuracy: 1e-3)
        let html = HTMLReport.render(input: input, summary: s)
        // Plots are decimated to the pixel width: 260 k samples must not become 260 k vertices.
        XCTAssertLessThan(html.utf8.count, 3_000_000, "report is \(html.utf8.count) bytes")
    }
}
