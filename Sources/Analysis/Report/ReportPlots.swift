import Foundation

/// The report's plot sections. Times are shown in hours since the first logged sample.
enum ReportPlots {
    /// Time zero of the report: the earliest log sample, else the earliest scan start.
    static func originSeconds(_ input: CorrelationInput) -> Double {
        let firsts = [input.voltageVolts, input.currentAmps, input.pressureMegapascals, input.forceNewtons]
            .compactMap { $0.timeRange?.lowerBound }
        if let t = firsts.min() { return t }
        return (input.scans.map(\.startUnixSeconds).min() ?? 0) + input.clockOffsetSeconds
    }

    static func hours(_ s: TimeSeries, _ t0: Double) -> [Double] { s.timeUnixSeconds.map { ($0 - t0) / 3600 } }

    static func timeSeriesSection(_ b: inout HTMLBuilder, _ input: CorrelationInput, _ s: CorrelationSummary) {
        b.raw("<section id=\"timeseries\">\n"); b.element("h2", "Voltage, current and pressure vs time")
        let t0 = originSeconds(input)
        let markers = s.scans.map { ($0.paired.midUnixSeconds - t0) / 3600 }
        let all = [input.voltageVolts, input.currentAmps, input.pressureMegapascals, input.forceNewtons].flatMap { hours($0, t0) } + markers
        let domain = (all.min() ?? 0)...(all.max() ?? 1)
        // Stacked panels sharing one time axis.
        let panels: [(String, String, TimeSeries, Double, String)] = [
            ("Cell voltage", "Voltage (V)", input.voltageVolts, 1, "voltage"),
            ("Current", "Current (µA)", input.currentAmps, 1e6, "current"),
            ("Stack pressure", "Pressure (MPa)", input.pressureMegapascals, 1, "pressure"),
        ]
        for (k, (title, label, series, scale, name)) in panels.enumerated() {
            var spec = PlotSpec(title: title, xLabel: "Time since start (h)", yLabel: label,
                                series: [PlotSeries(name: name, xs: hours(series, t0), ys: series.values.map { $0 * scale },
                                                    color: SVGPlot.palette[k])])
            if name == "pressure" && !input.forceNewtons.isEmpty {
                spec.series.append(PlotSeries(name: "force", xs: hours(input.forceNewtons, t0), ys: input.forceNewtons.values,
                                              axis: .right, color: SVGPlot.palette[3]))
                spec.rightYLabel = "Force (N)"
            }
            spec.verticalMarkers = markers
            spec.markerName = "scan mid-time"
            spec.xDomain = domain
            spec.heightPixels = 220
            b.raw(SVGPlot.render(spec) + "\n")
        }
        b.raw("</section>\n")
    }

    static func scanSection(_ b: inout HTMLBuilder, _ input: CorrelationInput, _ s: CorrelationSummary) {
        b.raw("<section id=\"scanplots\">\n"); b.element("h2", "Contact, lithium volume and stack thickness from the scans")
        guard !s.scans.isEmpty else { b.element("p", "No scans: nothing to plot."); b.raw("</section>\n"); return }
        let t0 = originSeconds(input)
        let th = s.scans.map { ($0.paired.midUnixSeconds - t0) / 3600 }
        func v(_ f: (ScanPoint) -> Double?) -> [Double] { s.scans.map { f($0) ?? .nan } }
        var contact = PlotSpec(title: "Contact area per interface", xLabel: "Time since start (h)", yLabel: "Contact area (µm²)", series: [
            PlotSeries(name: "top", xs: th, ys: v(\.topContactAreaSquareMicrometres), style: .lineAndPoints),
            PlotSeries(name: "bottom", xs: th, ys: v(\.bottomContactAreaSquareMicrometres), style: .lineAndPoints),
        ])
        contact.heightPixels = 260
        b.raw(SVGPlot.render(contact) + "\n")

        let q = v { $0.chargePassedCoulombs.map { $0 * 1000 } }
        var volumes = PlotSpec(title: "Lithium volume in the analysed region vs charge passed", xLabel: "Charge passed (mC)",
                               yLabel: "Lithium volume (10⁶ µm³)", series: [
            PlotSeries(name: "top", xs: q, ys: v { $0.topLithiumVolumeCubicMicrometres.map { $0 / 1e6 } }, style: .lineAndPoints),
            PlotSeries(name: "bottom", xs: q, ys: v { $0.bottomLithiumVolumeCubicMicrometres.map { $0 / 1e6 } }, style: .lineAndPoints),
        ])
        volumes.heightPixels = 260
        b.raw(SVGPlot.render(volumes) + "\n")

        var stack = PlotSpec(title: "Stack thickness and pressure", xLabel: "Time since start (h)", yLabel: "Stack thickness (µm)",
                             rightYLabel: "Pressure, scan-window mean (MPa)", series: [
            PlotSeries(name: "stack thickness", xs: th, ys: v(\.stackThicknessMicrometres), style: .lineAndPoints),
            PlotSeries(name: "pressure", xs: th, ys: v { $0.paired.pressureMegapascals?.mean }, style: .lineAndPoints, axis: .right,
                       color: SVGPlot.palette[2]),
        ])
        stack.heightPixels = 260
        b.raw(SVGPlot.render(stack) + "\n")
        b.raw("</section>\n")
    }

    static func correlationSection(_ b: inout HTMLBuilder, _ s: CorrelationSummary) {
        b.raw("<section id=\"correlations\">\n"); b.element("h2", "Correlations")
        if let st = s.stiffness {
            var spec = PlotSpec(title: "Δpressure vs Δstack thickness", xLabel: "Δ stack thickness from first scan (µm)",
                                yLabel: "Δ pressure (MPa)", series: [
                PlotSeries(name: "scans", xs: st.deltaThicknessMicrometres, ys: st.deltaPressureMegapascals, style: .scatter),
            ])
            if let f = st.fit {
                spec.fitLines = [PlotLine(name: "fit: \(Markup.number(f.slope, 3)) MPa/µm, r = \(Markup.number(f.r, 3))", slope: f.slope, intercept: f.intercept)]
            }
            spec.heightPixels = 300
            b.raw(SVGPlot.render(spec) + "\n")
        } else {
            b.element("p", "Δpressure vs Δstack thickness: not available (see What is missing).")
        }
        if let e = s.effectiveCurrentDensity {
            let below = zip(e.effectiveCurrentDensityMilliampsPerSquareCentimetre, e.absoluteVoltageVolts).filter { $0.1 < e.voltageBoundVolts }
            let above = zip(e.effectiveCurrentDensityMilliampsPerSquareCentimetre, e.absoluteVoltageVolts).filter { $0.1 >= e.voltageBoundVolts }
            var spec = PlotSpec(title: "Cell voltage vs effective current density", xLabel: "Effective current density I / contact area (mA/cm²)",
                                yLabel: "|Voltage| (V)", series: [
                PlotSeries(name: "below \(Markup.number(e.voltageBoundVolts)) V (fitted)", xs: below.map(\.0), ys: below.map(\.1), style: .scatter),
                PlotSeries(name: "above bound", xs: above.map(\.0), ys: above.map(\.1), style: .scatter, color: "#bbb"),
            ])
            if let f = e.fit {
                spec.fitLines = [PlotLine(name: "fit: \(Markup.number(f.slope, 3)) V per mA/cm²", slope: f.slope, intercept: f.intercept)]
            }
            b.raw(SVGPlot.render(spec) + "\n")
        } else {
            b.element("p", "Voltage vs effective current density: not available (see What is missing).")
        }
        b.raw("</section>\n")
    }

    static func contactMapSection(_ b: inout HTMLBuilder, _ input: CorrelationInput, _ s: CorrelationSummary) {
        b.raw("<section id=\"contactmaps\">\n"); b.element("h2", "Contact maps per scan (dark = contact)")
        var any = false
        for side in InterfaceSide.allCases {
            let maps = input.scans.compactMap { scan in scan.measurement(side)?.contactMap.map { (scan, $0) } }
            guard !maps.isEmpty else { continue }
            any = true
            b.element("h3", "\(side.rawValue.capitalized) interface")
            b.raw("<div class=\"maps\">\n")
            for (scan, map) in maps {
                let frac = scan.measurement(side)?.contactFraction.map { " — \(Markup.number($0 * 100, 3)) %" } ?? ""
                b.raw("<figure>" + SVGContactMap.render(map, title: "Scan \(scan.id)\(frac)", maxSidePixels: 150, maxCells: 75) + "</figure>\n")
            }
            b.raw("</div>\n")
        }
        if !any { b.element("p", "No contact maps in the input.") }
        b.raw("</section>\n")
    }
}
