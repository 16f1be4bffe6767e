import XCTest
@testable import Analysis

final class ReportTextTests: XCTestCase {
    func testTextSummaryListsNumbersHalfCyclesAndMissing() {
        var run = CorrelationSyntheticRun(); run.includePressure = false
        let text = CorrelationText.render(Correlator.summarize(run.input()))
        XCTAssertTrue(text.contains("Half cycle 1: lithium current fraction"))
        XCTAssertTrue(text.contains("0.720"), text)
        XCTAssertTrue(text.contains("0.510"), text)
        XCTAssertTrue(text.contains("  - No pressure log"))
        // Stiffness could not be computed without pressure: shown as a dash, not a number.
        XCTAssertTrue(text.split(separator: "\n").contains { $0.contains("effective stiffness") && $0.contains("—") })
    }
}
