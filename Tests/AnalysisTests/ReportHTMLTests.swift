import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Analysis

final class ReportHTMLTests: XCTestCase {
    static func syntheticReport(_ run: CorrelationSyntheticRun = CorrelationSyntheticRun()) -> String {
        let input = run.input()
        return HTMLReport.render(input: input, summary: Correlator.summarize(input), title: "Run <7> & \"friends\"",
                                 generatedAt: "2026-11-27 07:00 UTC")
    }

    /// Parses as XML: the report is written XHTML-compatible so a strict parser can check it.
    func testReportIsWellFormedXML() throws {
        #if canImport(FoundationXML) || os(macOS)
        let html = Self.syntheticReport()
        let doc = try XMLDocument(xmlString: html, options: [])
        let svgs = try doc.nodes(forXPath: "//*[local-name()='svg']")
        XCTAssertGreaterThanOrEqual(svgs.count, 8, "stacked time panels + scan plots + correlations + contact maps")
        // Every series path has real geometry: a move and at least one line segment.
        let paths = try doc.nodes(forXPath: "//*[local-name()='path'][@class='series']")
        XCTAssertGreaterThanOrEqual(paths.count, 7)
        for p in paths {
            // attribute(forName:) returns nil on Linux's FoundationXML; search the list instead.
            let d = (p as? XMLElement)?.attributes?.first { $0.name == "d" }?.stringValue ?? ""
            XCTAssertTrue(d.hasPrefix("M") && d.contains("L"), "empty path: \(d.prefix(40))")
        }
        let fits = try doc.nodes(forXPath: "//*[local-name()='path'][@class='fit']")
        XCTAssertEqual(fits.count, 2)
        #else
        throw XCTSkip("FoundationXML not available")
        #endif
    }

    func testReportEscapesTextAndHasNoScriptsOrNetwork() {
        let html = Self.syntheticReport()
        XCTAssertTrue(html.contains("Run &lt;7&gt; &amp; &quot;friends&quot;"))
        XCTAssertTrue(html.contains("0.25 N·m &lt;per screw&gt;"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("http://") && html.replacingOccurrences(of: "http://www.w3.org/", with: "").contains("http://"))
        XCTAssertFalse(html.contains("https://"))
        XCTAssertFalse(html.contains("nan") && html.contains(">nan<"))
    }

    func testReportContainsEverySection() {
        let html = Self.syntheticReport()
        for id in ["metadata", "missing", "numbers", "timeseries", "scanplots", "correlations", "contactmaps", "halfcycles", "scans"] {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">"), id)
        }
        XCTAssertTrue(html.contains("Δpressure vs Δstack thickness"))
        XCTAssertTrue(html.contains("Pressure (MPa)"))
        XCTAssertTrue(html.contains("Half cycle 1: lithium current fraction"))
    }

    func testReportWithoutScansSaysWhatIsMissing() throws {
        var run = CorrelationSyntheticRun(); run.includeScans = false
        let html = Self.syntheticReport(run)
        XCTAssertTrue(html.contains("No scans: contact areas"))
        XCTAssertTrue(html.contains("No scans: nothing to plot."))
        XCTAssertTrue(html.contains("<section id=\"timeseries\">"))
        #if canImport(FoundationXML) || os(macOS)
        XCTAssertNoThrow(try XMLDocument(xmlString: html, options: []))
        #endif
    }

    func testEscapeDropsControlCharacters() {
        XCTAssertEqual(Markup.escape("a\u{1}b<'\"&>\n"), "ab&lt;&#39;&quot;&amp;&gt;\n")
    }
}
