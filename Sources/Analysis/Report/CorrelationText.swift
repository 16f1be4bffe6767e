import Foundation

/// Plain-text rendering of a `CorrelationSummary` (`cellpress correlate` without --format json).
public enum CorrelationText {
    /// The headline numbers as (quantity, value, unit) rows; shared with the HTML report.
    public static func keyRows(_ s: CorrelationSummary) -> [[String]] {
        func n(_ x: Double?, _ d: Int = 4) -> String { Markup.number(x, d) }
        func pm(_ v: Double?, _ e: Double?) -> String { v == nil ? "—" : e == nil ? n(v, 4) : "\(n(v, 4)) ± \(n(e, 2))" }
        var rows: [[String]] = []
        let st = s.stiffness?.fit
        rows.append(["Δpressure / Δstack thickness (effective stiffness)", pm(st?.slope, st?.slopeStandardError), "MPa/µm"])
        rows.append(["  Pearson r, points", st.map { "\(n($0.r, 3)), \($0.pointCount)" } ?? "—", ""])
        rows.append(["  Lag of pressure after thickness (max |r|)", s.stiffness?.lag.map { "\(n($0.lagSeconds)) (r = \(n($0.r, 3)))" } ?? "—", "s"])
        let e = s.effectiveCurrentDensity?.fit
        rows.append(["|V| vs effective current density: slope (below \(n(s.effectiveCurrentDensity?.voltageBoundVolts ?? 0.8)) V)", pm(e?.slope, e?.slopeStandardError), "V per mA/cm² (kΩ·cm²)"])
        rows.append(["  intercept", pm(e?.intercept, e?.interceptStandardError), "V"])
        rows.append(["  Pearson r, points used", e.map { "\(n($0.r, 3)), \($0.pointCount)" } ?? "—", ""])
        rows.append(["Effective ÷ nominal current density at first scan under current", n(s.effectiveCurrentDensity?.firstScanConcentrationFactor, 3), "×"])
        rows.append(["Top contact change, first → last scan", n(s.totalTopContactChangePercent, 3), "%"])
        rows.append(["Bottom contact change, first → last scan", n(s.totalBottomContactChangePercent, 3), "%"])
        rows.append(["Stack thickness change, first → last scan", n(s.totalStackThicknessChangeMicrometres, 3), "µm"])
        rows.append(["Pressure change, first → last scan (window means)", n(s.totalPressureChangeMegapascals, 3), "MPa"])
        rows.append(["Charge passed (total |Q|)", n(s.totalChargeCoulombs, 4), "C"])
        for h in s.halfCycles {
            rows.append(["Half cycle \(h.index): lithium current fraction", n(h.lithiumCurrentFraction, 3), ""])
            if let f = h.lithiumCurrentFractionFit {
                rows.append(["  fit over \(f.pointCount) scans (Li volume vs charge)", pm(f.value, f.standardError), ""])
            }
            rows.append(["Half cycle \(h.index): partial molar volume of Li in interphase", n(h.interphasePartialMolarVolumeCubicCentimetresPerMole, 3), "cm³/mol"])
            if let v = h.interphasePartialMolarVolumeFit {
                rows.append(["  fit over \(v.pointCount) scans (stack thickness vs charge)", pm(v.value, v.standardError), "cm³/mol"])
            }
            if let c = h.strippingContactChangeBeforeRunawayPercent {
                rows.append(["Half cycle \(h.index): stripping contact change before |V| reached the bound", n(c, 3), "%"])
            }
            rows.append(["Half cycle \(h.index): contact change at stripping (\(h.strippingSide.rawValue)) interface", n(h.strippingContactChangePercent, 3), "%"])
        }
        if let fit = s.modelFit {
            rows.append(["Model fit (Butler–Volmer + ohmic): interphase conductivity", String(format: "%.3g", fit.interphaseConductivitySiemensPerCentimetre), "S/cm"])
            rows.append(["Model fit: residual RMS over \(fit.samplesUsed) samples", String(format: "%.4f", fit.residualRMSVolts), "V"])
        } else {
            rows.append(["Model fit (Butler–Volmer + ohmic): interphase conductivity, residual", "not computed (needs voltage, current and scans with contact)", ""])
        }
        return rows
    }

    /// A fixed-width text report: numbers, half-cycle table, what is missing.
    public static func render(_ s: CorrelationSummary) -> String {
        var out = s.headlines.isEmpty ? "" : "Findings\n" + s.headlines.map { "  \($0)\n" }.joined() + "\n"
        out += "Numbers\n" + table(keyRows(s).map { [$0[0], $0[1] + ($0[2].isEmpty ? "" : " " + $0[2])] })
        out += "\nHalf cycles\n"
        if s.halfCycles.isEmpty { out += "  none\n" } else {
            func n(_ x: Double?, _ d: Int = 3) -> String { Markup.number(x, d) }
            var rows = [["#", "strip", "h", "Q mC", "mean|V|", "end|V|", "top Δ%", "bot Δ%", "ΔP MPa", "ΔL µm", "Li frac", "V̄ cm³/mol"]]
            for h in s.halfCycles {
                rows.append([String(h.index), h.strippingSide.rawValue, n(h.durationSeconds / 3600),
                             n(h.chargeCoulombs.map { $0 * 1000 }, 4), n(h.meanOverpotentialVolts), n(h.endOverpotentialVolts),
                             n(h.topContactChangePercent), n(h.bottomContactChangePercent), n(h.pressureChangeMegapascals),
                             n(h.stackThicknessChangeMicrometres), n(h.lithiumCurrentFraction),
                             n(h.interphasePartialMolarVolumeCubicCentimetresPerMole)])
            }
            out += table(rows)
        }
        out += "\nMissing\n" + (s.missing.isEmpty ? "  nothing\n" : s.missing.map { "  - \($0)\n" }.joined())
        return out
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func table(_ rows: [[String]]) -> String {
        let cols = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: cols)
        for r in rows { for (k, c) in r.enumerated() { widths[k] = max(widths[k], c.count) } }
        return rows.map { r in
            "  " + r.enumerated().map { k, c in k == r.count - 1 ? c : c + String(repeating: " ", count: widths[k] - c.count) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
