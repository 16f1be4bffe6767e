import Foundation

/// The run report: one self-contained XHTML-compatible HTML file (inline SVG and CSS, no
/// scripts, no network), laid out to print. All text from the input is escaped.
public enum HTMLReport {
    /// Renders the report for `input` and its `summary` (from `Correlator.summarize`).
    /// `generatedAt` is shown verbatim (the caller formats the time; keeps this pure).
    public static func render(input: CorrelationInput, summary: CorrelationSummary,
                              title: String = "cellpress run report", generatedAt: String? = nil) -> String {
        var b = HTMLBuilder()
        b.raw("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        b.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        b.element("title", title)
        b.raw("<style>\n\(css)\n</style>\n</head>\n<body>\n")
        b.element("h1", title)
        if let generatedAt { b.element("p", "Generated \(generatedAt).", cls: "meta") }

        b.raw("<section id=\"findings\">\n"); b.element("h2", "Findings")
        if summary.headlines.isEmpty { b.element("p", "No findings: see What is missing.") } else { b.list(summary.headlines, cls: "findings") }
        b.raw("</section>\n")
        metadataSection(&b, input, summary)
        missingSection(&b, summary)
        keyNumbersSection(&b, summary)
        ReportPlots.timeSeriesSection(&b, input, summary)
        ReportPlots.scanSection(&b, input, summary)
        ReportPlots.correlationSection(&b, summary)
        ReportPlots.contactMapSection(&b, input, summary)
        halfCycleSection(&b, summary)
        scanTableSection(&b, input, summary)
        b.raw("</body>\n</html>\n")
        return b.text
    }

    static let css = """
    body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 13px; color: #111; margin: 24px; max-width: 1120px; }
    h1 { font-size: 22px; margin: 0 0 8px 0; }
    h2 { font-size: 17px; border-bottom: 1px solid #bbb; padding-bottom: 2px; margin-top: 26px; }
    table { border-collapse: collapse; margin: 6px 0 12px 0; }
    th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; vertical-align: top; }
    td { white-space: nowrap; }
    th { background: #f0f0f0; }
    td.l, th.l { text-align: left; }
    .meta { color: #555; }
    .missing li { color: #8a1c00; }
    .maps { display: flex; flex-wrap: wrap; gap: 8px; }
    .maps figure { margin: 0; }
    svg.plot { max-width: 100%; height: auto; display: block; margin: 4px 0; }
    section { break-inside: avoid-page; }
    @media print { body { margin: 0; font-size: 11px; } table { font-size: 9px; } h2 { break-after: avoid; } table, figure, svg { break-inside: avoid; } }
    """

    // MARK: - Sections

    private static func metadataSection(_ b: inout HTMLBuilder, _ input: CorrelationInput, _ s: CorrelationSummary) {
        b.raw("<section id=\"metadata\">\n"); b.element("h2", "Cell and assembly")
        var rows: [[String]] = input.metadata.map { [$0.key, $0.value] }
        rows.append(["Electrode area", "\(Markup.number(input.electrodeAreaSquareMillimetres)) mm²"])
        rows.append(["Clock offset applied to scans", "\(Markup.number(input.clockOffsetSeconds)) s"])
        rows.append(["Voltage bound for the linear fit", "\(Markup.number(input.voltageBoundVolts)) V"])
        rows.append(["Voltage cut-off", input.cutoffVolts.map { "\(Markup.number($0)) V" } ?? "not given"])
        rows.append(["Positive current strips", "\(input.positiveCurrentStrips.rawValue) electrode"])
        rows.append(["Scans", "\(input.scans.count)"])
        rows.append(["Log samples (V, I, P, F)", "\(input.voltageVolts.count), \(input.currentAmps.count), \(input.pressureMegapascals.count), \(input.forceNewtons.count)"])
        b.table(header: ["Item", "Value"], rows: rows, leftColumns: 2)
        b.raw("</section>\n")
    }

    private static func missingSection(_ b: inout HTMLBuilder, _ s: CorrelationSummary) {
        b.raw("<section id=\"missing\">\n"); b.element("h2", "What is missing")
        if s.missing.isEmpty { b.element("p", "Nothing: every input needed for the numbers below was present.") }
        else { b.list(s.missing, cls: "missing") }
        b.element("h3", "Assumptions")
        b.list(s.notes, cls: "notes")
        b.raw("</section>\n")
    }

    private static func keyNumbersSection(_ b: inout HTMLBuilder, _ s: CorrelationSummary) {
        b.raw("<section id=\"numbers\">\n"); b.element("h2", "Numbers")
        b.table(header: ["Quantity", "Value", "Unit"], rows: CorrelationText.keyRows(s), leftColumns: 1)
        b.raw("</section>\n")
    }

    private static func halfCycleSection(_ b: inout HTMLBuilder, _ s: CorrelationSummary) {
        b.raw("<section id=\"halfcycles\">\n"); b.element("h2", "Half cycles")
        guard !s.halfCycles.isEmpty else { b.element("p", "No half cycles (no current log or no current)."); b.raw("</section>\n"); return }
        func n(_ x: Double?, _ d: Int = 4) -> String { Markup.number(x, d) }
        let rows = s.halfCycles.map { h -> [String] in
            [String(h.index), h.strippingSide.rawValue, n(h.durationSeconds / 3600, 3),
             h.reachedCutoff.map { $0 ? "yes" : "no" } ?? "—",
             n(h.chargeCoulombs.map { $0 * 1000 }), n(h.chargeMilliampHoursPerSquareCentimetre, 3),
             n(h.meanOverpotentialVolts, 3), n(h.endOverpotentialVolts, 3),
             n(h.topContactChangePercent, 3), n(h.bottomContactChangePercent, 3),
             n(h.pressureChangeMegapascals, 3), n(h.stackThicknessChangeMicrometres, 3),
             n(h.lithiumCurrentFraction, 3), n(h.interphasePartialMolarVolumeCubicCentimetresPerMole, 3),
             [h.startScanID, h.endScanID].map { $0.map(String.init) ?? "—" }.joined(separator: "→")]
        }
        b.table(header: ["#", "Stripping", "Duration (h)", "Cut-off", "Charge (mC)", "Charge (mAh/cm²)",
                         "Mean |V| (V)", "End |V| (V)", "Top contact Δ (%)", "Bottom contact Δ (%)",
                         "ΔP (MPa)", "Δ stack (µm)", "Li current fraction", "V̄ interphase (cm³/mol)", "Scans"],
                rows: rows, leftColumns: 0)
        b.raw("</section>\n")
    }

    private static func scanTableSection(_ b: inout HTMLBuilder, _ input: CorrelationInput, _ s: CorrelationSummary) {
        b.raw("<section id=\"scans\">\n"); b.element("h2", "Scans and their log windows")
        guard !s.scans.isEmpty else { b.element("p", "No scans."); b.raw("</section>\n"); return }
        func n(_ x: Double?, _ d: Int = 4) -> String { Markup.number(x, d) }
        let t0 = ReportPlots.originSeconds(input)
        let rows = s.scans.map { p -> [String] in
            let q = p.paired
            return [String(p.scanID), p.label, n((q.midUnixSeconds - t0) / 3600, 4),
                    n(q.voltageVolts?.mean, 4), n(q.currentAmps.map { $0.mean * 1e6 }, 4),
                    q.pressureMegapascals.map { "\(n($0.mean, 4)) (\(n($0.min, 4))–\(n($0.max, 4)))" } ?? "—",
                    n(q.forceNewtons?.mean, 4), n(p.chargePassedCoulombs.map { $0 * 1000 }, 4),
                    n(p.topContactAreaSquareMicrometres, 4), n(p.bottomContactAreaSquareMicrometres, 4),
                    n(p.stackThicknessMicrometres, 5), n(p.effectiveCurrentDensityMilliampsPerSquareCentimetre, 4),
                    q.pressureMegapascals.map { String($0.sampleCount) } ?? "—"]
        }
        b.table(header: ["Scan", "Label", "Mid (h)", "Mean V (V)", "Mean I (µA)", "Pressure mean (min–max) (MPa)",
                         "Force (N)", "Charge (mC)", "Top contact (µm²)", "Bottom contact (µm²)", "Stack (µm)",
                         "j eff (mA/cm²)", "P samples"], rows: rows, leftColumns: 2)
        b.raw("</section>\n")
    }
}

/// Accumulates escaped HTML.
struct HTMLBuilder {
    var text = ""
    mutating func raw(_ s: String) { text += s }
    mutating func element(_ tag: String, _ content: String, cls: String? = nil) {
        text += "<\(tag)\(cls.map { " class=\"\(Markup.escape($0))\"" } ?? "")>\(Markup.escape(content))</\(tag)>\n"
    }
    mutating func list(_ items: [String], cls: String) {
        text += "<ul class=\"\(cls)\">\n"
        for i in items { text += "<li>\(Markup.escape(i))</li>\n" }
        text += "</ul>\n"
    }
    /// The first `leftColumns` columns are left-aligned (text); the rest are numbers.
    mutating func table(header: [String], rows: [[String]], leftColumns: Int) {
        text += "<table>\n<thead><tr>"
        for (k, h) in header.enumerated() { text += "<th\(k < leftColumns ? " class=\"l\"" : "")>\(Markup.escape(h))</th>" }
        text += "</tr></thead>\n<tbody>\n"
        for r in rows {
            text += "<tr>"
            for (k, v) in r.enumerated() { text += "<td\(k < leftColumns ? " class=\"l\"" : "")>\(Markup.escape(v))</td>" }
            text += "</tr>\n"
        }
        text += "</tbody>\n</table>\n"
    }
}
