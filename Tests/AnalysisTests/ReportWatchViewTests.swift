import XCTest
@testable import Analysis

final class ReportWatchViewTests: XCTestCase {
    private func sampleSeries() -> [WatchSeries] {
        let ramp = (0..<600).map { 10 + Double($0) / 100 }
        return [
            WatchSeries(name: "Pressure", unit: "MPa", values: ramp, span: "10 min"),
            WatchSeries(name: "Voltage", unit: "V", values: ramp.map { sin($0) }),
            WatchSeries(name: "Current", unit: "µA", values: [126, 126, 126]),
        ]
    }

    func testFrameShapeIs80By24() {
        let status = WatchStatus(clock: "2026-11-27 07:30:00Z", step: "strip top 4 mA/cm²", cycle: 3, state: "running",
                                 alarms: ["pressure below 5 MPa", String(repeating: "x", count: 200)])
        for unicode in [true, false] {
            let lines = WatchView.lines(status: status, series: sampleSeries(), unicode: unicode)
            XCTAssertEqual(lines.count, 24)
            for l in lines { XCTAssertLessThanOrEqual(l.count, 80, "\(l)") }
            XCTAssertTrue(lines[0].hasPrefix("cellpress watch")); XCTAssertTrue(lines[0].hasSuffix("07:30:00Z"))
            XCTAssertEqual(lines[0].count, 80)
            XCTAssertTrue(lines[1].contains("Cycle: 3"))
            XCTAssertTrue(lines.contains { $0.hasPrefix("Pressure") && $0.contains("15.99") && $0.contains("MPa") })
            XCTAssertTrue(lines.contains { $0 == "! pressure below 5 MPa" })
            XCTAssertEqual(lines.last, "Ctrl-C quits")
            if !unicode { XCTAssertTrue(lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) }) }
        }
    }

    func testFrameRedrawsInPlaceWithoutClearingTheScreen() {
        let frame = WatchView.frame(status: WatchStatus(), series: sampleSeries())
        XCTAssertTrue(frame.hasPrefix("\u{1B}[H"))
        XCTAssertTrue(frame.hasSuffix("\u{1B}[K\u{1B}[J"))
        XCTAssertFalse(frame.contains("\u{1B}[2J"), "clearing the whole screen each refresh flickers")
        XCTAssertEqual(frame.components(separatedBy: "\u{1B}[K").count - 1, 24)
        XCTAssertEqual(frame.components(separatedBy: "\r\n").count, 24)
    }

    func testSparklineOfRampRisesMonotonically() {
        let s = WatchView.sparkline((0..<160).map(Double.init), width: 80)
        XCTAssertEqual(s.count, 80)
        XCTAssertEqual(s.first, "▁"); XCTAssertEqual(s.last, "█")
        let levels = s.map { WatchView.blocks.firstIndex(of: $0)! }
        XCTAssertEqual(levels, levels.sorted())
        XCTAssertEqual(Set(levels).count, 8)
    }

    func testSparklineShortFlatAndGaps() {
        XCTAssertEqual(WatchView.sparkline([1, 2], width: 5), "   ▁█")
        XCTAssertEqual(WatchView.sparkline([3, 3, 3], width: 3, unicode: false), "---")
        XCTAssertEqual(WatchView.sparkline([0, .nan, 1], width: 3), "▁ █")
        XCTAssertEqual(WatchView.sparkline([], width: 10), "")
    }

    func testManyAlarmsAndSeriesStillFitAndControlCharactersAreRemoved() {
        let many = (0..<12).map { WatchSeries(name: "S\($0)", unit: "u", values: [Double($0)]) }
        let alarms = (0..<30).map { "alarm \($0)\u{1B}[2J" }
        let lines = WatchView.lines(status: WatchStatus(alarms: alarms), series: many)
        XCTAssertEqual(lines.count, 24)
        XCTAssertTrue(lines.contains("(+6 more series not shown)"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("! +") && $0.hasSuffix("more alarms") })
        XCTAssertFalse(lines.joined().contains("\u{1B}"))
    }
}
