import XCTest
@testable import Analysis

final class ReportSVGTests: XCTestCase {
    func testNiceTicks() {
        // Raw step 0.74/5 = 0.148 → 1.48 × 0.1 → rounds to 1 × 0.1 (thresholds 1.5, 3, 7).
        let t = NiceTicks(min: 0.13, max: 0.87, target: 5)
        XCTAssertEqual(t.step, 0.1, accuracy: 1e-12)
        XCTAssertEqual(t.lower, 0.1, accuracy: 1e-12); XCTAssertEqual(t.upper, 0.9, accuracy: 1e-12)
        XCTAssertEqual(t.values.map { t.label($0) }, ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"])
        // 0.80/4 = 0.2 → step 0.2 from 0.0 to 1.0.
        let u = NiceTicks(min: 0.05, max: 0.85, target: 4)
        XCTAssertEqual(u.values.map { u.label($0) }, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        // 16/5 = 3.2 → 5 × 1 → 1090…1105.
        let big = NiceTicks(min: 1089, max: 1105, target: 5)
        XCTAssertEqual(big.step, 5); XCTAssertEqual(big.lower, 1085); XCTAssertEqual(big.upper, 1105)
        XCTAssertEqual(big.label(1095), "1095")
        let neg = NiceTicks(min: -127e-6 * 1e6, max: 126, target: 5)
        XCTAssertTrue(neg.values.contains(0))
        XCTAssertLessThanOrEqual(neg.lower, -127); XCTAssertGreaterThanOrEqual(neg.upper, 126)
        let flat = NiceTicks(min: 5, max: 5)
        XCTAssertLessThan(flat.lower, 5); XCTAssertGreaterThan(flat.upper, 5)
        let bad = NiceTicks(min: .nan, max: .infinity)
        XCTAssertFalse(bad.values.isEmpty)
    }

    func testDecimationKeepsExtremesAndBoundsVertexCount() {
        var ys = (0..<100_000).map { sin(Double($0) / 1000) }
        ys[54_321] = 50 // a spike must survive decimation
        let pts = ys.enumerated().map { (Double($0.offset), $0.element) }
        let d = SVGPlot.decimate(pts, buckets: 500)
        XCTAssertLessThanOrEqual(d.count, 4 * 501)
        XCTAssertTrue(d.contains { $0.1 == 50 })
        XCTAssertEqual(d.first?.0, 0); XCTAssertEqual(d.last?.0, 99_999)
        XCTAssertEqual(d.map(\.0), d.map(\.0).sorted())
    }

    func testGapsSplitLinesAndEmptyPlotSaysNoData() {
        let spec = PlotSpec(title: "t", xLabel: "x (s)", yLabel: "y (V)", series: [
            PlotSeries(name: "a", xs: [0, 1, 2, 3, 4], ys: [0, 1, .nan, 3, 4]),
        ])
        let svg = SVGPlot.render(spec)
        let d = svg.components(separatedBy: "class=\"series\" d=\"")[1].prefix { $0 != "\"" }
        XCTAssertEqual(d.filter { $0 == "M" }.count, 2)
        XCTAssertTrue(svg.contains(">x (s)<")); XCTAssertTrue(svg.contains(">y (V)<"))
        let empty = SVGPlot.render(PlotSpec(title: "e", xLabel: "x", yLabel: "y", series: [PlotSeries(name: "a", xs: [], ys: [])]))
        XCTAssertTrue(empty.contains(">no data<"))
        XCTAssertFalse(empty.contains("class=\"series\""))
    }

    func testRightAxisAndMarkersAndFitDrawn() {
        var spec = PlotSpec(title: "p", xLabel: "t (h)", yLabel: "P (MPa)", rightYLabel: "F (N)", series: [
            PlotSeries(name: "P", xs: [0, 1, 2], ys: [10, 11, 12]),
            PlotSeries(name: "F", xs: [0, 1, 2], ys: [30, 33, 36], axis: .right),
        ])
        spec.verticalMarkers = [0.5, 1.5, 99] // 99 is outside the forced domain: not drawn
        spec.xDomain = 0...2
        spec.fitLines = [PlotLine(name: "fit", slope: 1, intercept: 10)]
        let svg = SVGPlot.render(spec)
        XCTAssertTrue(svg.contains(">F (N)<")); XCTAssertTrue(svg.contains("(right axis)"))
        let markers = svg.components(separatedBy: "class=\"markers\"")[1].components(separatedBy: "</g>")[0]
        XCTAssertEqual(markers.components(separatedBy: "<line").count - 1, 2)
        XCTAssertTrue(svg.contains("class=\"fit\""))
    }

    func testContactMapRunLengthRects() {
        // 4×2 map: row 0 = 1 1 0 1, row 1 = 0 0 0 0 → 2 runs in row 0, none in row 1.
        let map = ContactMap(width: 4, height: 2, pixels: [1, 1, 0, 1, 0, 0, 0, 0])
        let svg = SVGContactMap.render(map, title: "m")
        let rects = svg.components(separatedBy: "class=\"contact\"")[1].components(separatedBy: "<rect").count - 1
        XCTAssertEqual(rects, 2)
        // Large maps are block-averaged: at most maxCells² cells regardless of input size.
        let big = ContactMap(width: 1000, height: 1000, pixels: (0..<1_000_000).map { UInt8(($0 / 7) % 2) })
        let bigSVG = SVGContactMap.render(big, title: "big", maxCells: 50)
        XCTAssertLessThanOrEqual(bigSVG.components(separatedBy: "<rect").count - 2, 50 * 50)
        XCTAssertTrue(SVGContactMap.render(ContactMap(width: 3, height: 3, pixels: [1]), title: "bad").contains("invalid map"))
    }
}
