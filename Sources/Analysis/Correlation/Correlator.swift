import Foundation

/// Turns a run's logs and scans into a `CorrelationSummary`. Never throws: missing data is
/// reported in `summary.missing` and everything computable is still computed.
public enum Correlator {
    public static func summarize(_ raw: CorrelationInput) -> CorrelationSummary {
        var input = raw
        input.scans = raw.scans.map(sanitized)
        var missing: [String] = []
        var notes: [String] = [
            "Model fit: Butler–Volmer and ohmic drops with the paper's parameters and the measured contact fractions; interphase thickness grows with the charge deposited on each side; only the interphase conductivity is fitted.",
            "Lithium current fraction scales the charge to the analysed area assuming uniform current over the electrode.",
            "Partial molar volume assumes each electron moved one Li from metal into interphase over the whole electrode area.",
        ]
        let electrodeAreaSquareMicrometres = input.electrodeAreaSquareMillimetres * 1e6
        if !(input.electrodeAreaSquareMillimetres > 0) { missing.append("Electrode area is not positive: current densities, current fraction and partial molar volume not computed.") }

        let voltage = usable(input.voltageVolts, "voltage", &missing)
        let current = usable(input.currentAmps, "current", &missing)
        let pressure = usable(input.pressureMegapascals, "pressure", &missing)
        let force = input.forceNewtons.isEmpty ? TimeSeries() : input.forceNewtons
        var charge = input.chargeCoulombs
        if charge.isEmpty {
            charge = ScanPairing.cumulativeAbsoluteCharge(currentAmps: current)
            if !current.isEmpty { notes.append("Charge passed integrated from the current log (no charge log).") }
        }
        if voltage.isEmpty { missing.append("No voltage log: overpotentials and the voltage vs effective current density fit not computed.") }
        if current.isEmpty { missing.append("No current log: half cycles, charge passed and effective current density not computed.") }
        if pressure.isEmpty { missing.append("No pressure log: Δpressure vs Δstack thickness (stiffness), lag and pressure changes not computed.") }
        if input.scans.isEmpty { missing.append("No scans: contact areas, lithium volumes, stack thickness, stiffness, current fractions and partial molar volumes not computed.") }

        // Pair scans with the log.
        let paired = ScanPairing.pair(scans: input.scans, clockOffsetSeconds: input.clockOffsetSeconds,
                                      voltageVolts: voltage, currentAmps: current, chargeCoulombs: charge,
                                      forceNewtons: force, pressureMegapascals: pressure)
        var points: [ScanPoint] = []
        let maxAbsCurrent = current.values.lazy.map(abs).max() ?? 0
        for (scan, p) in zip(input.scans, paired) {
            let anyLog = [p.voltageVolts, p.currentAmps, p.pressureMegapascals].contains { $0 != nil }
            if !anyLog && !(voltage.isEmpty && current.isEmpty && pressure.isEmpty) {
                missing.append("Scan \(scan.id) (\(format(p.startUnixSeconds))…\(format(p.endUnixSeconds)) s after clock offset \(format(input.clockOffsetSeconds)) s) is outside the logged time range.")
            }
            let mid = p.midUnixSeconds
            let iMid = current.interpolated(at: mid)
            var side: InterfaceSide?
            if let i = iMid, abs(i) > 0.02 * maxAbsCurrent {
                side = i > 0 ? input.positiveCurrentStrips : input.positiveCurrentStrips.other
            }
            var jEff: Double?
            // The scan sees only part of the electrode: the contact *fraction* it measures is
            // applied to the whole electrode area to get the area carrying the current.
            if let i = iMid, let s = side, let fraction = contactFraction(scan, s) {
                jEff = Electrochemistry.effectiveCurrentDensityMilliampsPerSquareCentimetre(
                    currentAmps: i, contactAreaSquareMicrometres: fraction * electrodeAreaSquareMicrometres)
            }
            points.append(ScanPoint(scanID: scan.id, label: scan.label, paired: p,
                                    chargePassedCoulombs: clampedInterpolation(charge, mid),
                                    strippingSide: side,
                                    effectiveCurrentDensityMilliampsPerSquareCentimetre: jEff,
                                    topContactAreaSquareMicrometres: scan.top?.contactAreaSquareMicrometres,
                                    bottomContactAreaSquareMicrometres: scan.bottom?.contactAreaSquareMicrometres,
                                    topLithiumVolumeCubicMicrometres: scan.top?.lithiumVolumeCubicMicrometres,
                                    bottomLithiumVolumeCubicMicrometres: scan.bottom?.lithiumVolumeCubicMicrometres,
                                    stackThicknessMicrometres: scan.stackThicknessMicrometres))
        }
        if !input.scans.isEmpty {
            let noThickness = input.scans.filter { $0.stackThicknessMicrometres == nil }.map(\.id)
            if !noThickness.isEmpty { missing.append("No stack thickness for scan(s) \(list(noThickness)).") }
            let noArea = input.scans.filter { $0.analysedAreaSquareMicrometres == nil }.map(\.id)
            if !noArea.isEmpty { missing.append("No analysed area for scan(s) \(list(noArea)): current fraction not computed for half cycles using them.") }
            for side in InterfaceSide.allCases {
                let none = input.scans.filter { $0.measurement(side)?.contactAreaSquareMicrometres == nil }.map(\.id)
                if !none.isEmpty { missing.append("No \(side.rawValue) contact area for scan(s) \(list(none)).") }
            }
        }

        // Half cycles.
        let bounds = input.halfCycles ?? HalfCycleDetection.derive(currentAmps: current, positiveCurrentStrips: input.positiveCurrentStrips)
        if bounds.isEmpty && !current.isEmpty { missing.append("No half cycles found (current never above 2 % of its maximum).") }
        let orderedScans = zip(input.scans, points).sorted { $0.1.paired.midUnixSeconds < $1.1.paired.midUnixSeconds }
        var rows: [HalfCycleRow] = []
        for (k, b) in bounds.enumerated() {
            let prevEnd = k > 0 ? bounds[k - 1].endUnixSeconds : -Double.infinity
            let nextStart = k + 1 < bounds.count ? bounds[k + 1].startUnixSeconds : Double.infinity
            rows.append(halfCycleRow(index: k + 1, bounds: b, prevEnd: prevEnd, nextStart: nextStart,
                                     scans: orderedScans, input: input, voltage: voltage, charge: charge,
                                     pressure: pressure, electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres))
        }

        // Stiffness: Δpressure vs Δthickness.
        var stiffness: StiffnessResult?
        let sp = points.compactMap { p -> (Double, Double, Double)? in
            guard let th = p.stackThicknessMicrometres, let pr = p.paired.pressureMegapascals?.mean else { return nil }
            return (p.paired.midUnixSeconds, th, pr)
        }
        if let first = sp.first {
            let dx = sp.map { $0.1 - first.1 }, dy = sp.map { $0.2 - first.2 }
            let fit = LinearFit.fit(x: dx, y: dy)
            let thicknessSeries = TimeSeries(timeUnixSeconds: sp.map(\.0), values: sp.map(\.1))
            let lag = sp.count >= 4 ? Statistics.bestLag(a: thicknessSeries, b: pressure, maxLagSeconds: 3600, stepSeconds: 60) : nil
            stiffness = StiffnessResult(deltaThicknessMicrometres: dx, deltaPressureMegapascals: dy, fit: fit, lag: lag)
            if fit == nil { missing.append("Stiffness fit needs at least 2 scans with both stack thickness and pressure and a thickness change (have \(sp.count)).") }
        }

        // |V| vs effective current density.
        var ecd: EffectiveCurrentDensityResult?
        let jv = points.compactMap { p -> (Double, Double)? in
            guard let j = p.effectiveCurrentDensityMilliampsPerSquareCentimetre, let v = p.paired.voltageVolts?.atMid else { return nil }
            return (j, abs(v))
        }
        if !jv.isEmpty {
            let below = jv.filter { $0.1 < input.voltageBoundVolts }
            var factor: Double?
            if let p0 = points.first(where: { $0.effectiveCurrentDensityMilliampsPerSquareCentimetre != nil }),
               let i = p0.paired.currentAmps?.atMid, input.electrodeAreaSquareMillimetres > 0 {
                let nominal = abs(i) * 1000 / (input.electrodeAreaSquareMillimetres / 100)
                if nominal > 0 { factor = p0.effectiveCurrentDensityMilliampsPerSquareCentimetre! / nominal }
            }
            ecd = EffectiveCurrentDensityResult(voltageBoundVolts: input.voltageBoundVolts,
                                                effectiveCurrentDensityMilliampsPerSquareCentimetre: jv.map(\.0),
                                                absoluteVoltageVolts: jv.map(\.1),
                                                fit: LinearFit.fit(x: below.map(\.0), y: below.map(\.1)),
                                                firstScanConcentrationFactor: factor)
        } else if !input.scans.isEmpty && !current.isEmpty && !voltage.isEmpty {
            missing.append("No scan taken under current with a contact area at the stripping interface: voltage vs effective current density not fitted.")
        }

        func total(_ f: (ScanPoint) -> Double?) -> (Double, Double)? {
            let v = points.compactMap(f)
            guard let a = v.first, let b = v.last, v.count >= 2 else { return nil }
            return (a, b)
        }
        let top = total(\.topContactAreaSquareMicrometres), bottom = total(\.bottomContactAreaSquareMicrometres)
        let th = total(\.stackThicknessMicrometres), pr = total { $0.paired.pressureMegapascals?.mean }
        var headlines: [String] = []
        func f1(_ x: Double) -> String { String(format: "%.1f", abs(x)) }
        func verb(_ x: Double) -> String { x < 0 ? "fell" : "rose" }
        if let th, let pr {
            headlines.append("Stack thickness \(verb(th.1 - th.0)) \(f1(th.1 - th.0)) µm while stack pressure \(verb(pr.1 - pr.0)) \(f1(pr.1 - pr.0)) MPa.")
        }
        if let fit = stiffness?.fit {
            headlines.append(String(format: "Effective stack stiffness %.3g ± %.2g MPa/µm (r = %.3f, %d scans).",
                                    fit.slope, fit.slopeStandardError ?? 0, fit.r, fit.pointCount))
        }
        for r in rows {
            if let c = r.strippingContactChangeBeforeRunawayPercent {
                headlines.append("Half cycle \(r.index): contact at the stripping (\(r.strippingSide.rawValue)) interface \(verb(c)) \(f1(c)) % before |V| reached \(Markup.number(input.voltageBoundVolts, 2)) V.")
            } else if let c = r.strippingContactChangePercent {
                headlines.append("Half cycle \(r.index): contact at the stripping (\(r.strippingSide.rawValue)) interface changed \(String(format: "%+.1f", c)) %.")
            }
            if let f = r.lithiumCurrentFraction {
                headlines.append(String(format: "Half cycle %d: %.0f %% of the charge came from stripping lithium metal.", r.index, f * 100))
            }
        }
        return CorrelationSummary(
            electrodeAreaSquareMillimetres: input.electrodeAreaSquareMillimetres,
            clockOffsetSeconds: input.clockOffsetSeconds,
            scans: points, halfCycles: rows, stiffness: stiffness, effectiveCurrentDensity: ecd,
            totalTopContactChangePercent: top.flatMap { Electrochemistry.percentChange(from: $0.0, to: $0.1) },
            totalBottomContactChangePercent: bottom.flatMap { Electrochemistry.percentChange(from: $0.0, to: $0.1) },
            totalStackThicknessChangeMicrometres: th.map { $0.1 - $0.0 },
            totalPressureChangeMegapascals: pr.map { $0.1 - $0.0 },
            totalChargeCoulombs: charge.isEmpty ? nil : (charge.values.last! - charge.values.first!),
            modelFit: ModelFit.fit(voltage: voltage, current: current, scans: input.scans, clockOffsetSeconds: input.clockOffsetSeconds,
                                   cutoffVolts: input.cutoffVolts, positiveCurrentStrips: input.positiveCurrentStrips),
            headlines: headlines, missing: missing, notes: notes)
    }

    // MARK: - Half-cycle row

    private static func halfCycleRow(index: Int, bounds b: HalfCycleBounds, prevEnd: Double, nextStart: Double,
                                     scans: [(ScanRecord, ScanPoint)], input: CorrelationInput,
                                     voltage: TimeSeries, charge: TimeSeries, pressure: TimeSeries,
                                     electrodeAreaSquareMicrometres: Double) -> HalfCycleRow {
        let a = b.startUnixSeconds, e = b.endUnixSeconds
        var row = HalfCycleRow(index: index, startUnixSeconds: a, endUnixSeconds: e, durationSeconds: e - a,
                               strippingSide: b.strippingSide)
        if let q0 = clampedInterpolation(charge, a), let q1 = clampedInterpolation(charge, e), !charge.isEmpty {
            row.chargeCoulombs = abs(q1 - q0)
            if input.electrodeAreaSquareMillimetres > 0 {
                row.chargeMilliampHoursPerSquareCentimetre = abs(q1 - q0) / 3.6 / (input.electrodeAreaSquareMillimetres / 100)
            }
        }
        if let r = voltage.timeRange, e > a, r.upperBound > a, r.lowerBound < e {
            let absV = voltage.mapValues(abs)
            if let s = absV.stats(from: a, to: e) { row.meanOverpotentialVolts = s.mean }
            row.endOverpotentialVolts = absV.interpolated(at: min(e, r.upperBound))
            if let cut = input.cutoffVolts, let s = absV.stats(from: a, to: e) { row.reachedCutoff = s.max >= abs(cut) * 0.999 }
        }
        if let p0 = pressure.interpolated(at: a), let p1 = pressure.interpolated(at: e) { row.pressureChangeMegapascals = p1 - p0 }

        // Scans bracketing the half cycle: last before its start (not before the previous
        // half cycle's end), else first inside; first after its end (before the next one
        // starts), else last inside.
        let mids = scans.map { $0.1.paired.midUnixSeconds }
        let candidates = scans.indices.filter { mids[$0] >= prevEnd - 1e-9 && mids[$0] <= nextStart + 1e-9 }
        let startIdx = candidates.last(where: { mids[$0] <= a }) ?? candidates.first(where: { mids[$0] > a && mids[$0] < e })
        let endIdx = candidates.first(where: { mids[$0] >= e }) ?? candidates.last(where: { mids[$0] > a && mids[$0] < e })
        guard let si = startIdx, let ei = endIdx, si != ei, mids[ei] > mids[si] else { return row }
        let s0 = scans[si].0, s1 = scans[ei].0
        row.startScanID = s0.id; row.endScanID = s1.id
        func change(_ side: InterfaceSide) -> Double? {
            guard let c0 = s0.measurement(side)?.contactAreaSquareMicrometres,
                  let c1 = s1.measurement(side)?.contactAreaSquareMicrometres else { return nil }
            return Electrochemistry.percentChange(from: c0, to: c1)
        }
        row.topContactChangePercent = change(.top)
        row.bottomContactChangePercent = change(.bottom)
        row.strippingContactChangePercent = change(b.strippingSide)
        if let t0 = s0.stackThicknessMicrometres, let t1 = s1.stackThicknessMicrometres { row.stackThicknessChangeMicrometres = t1 - t0 }
        if let v0 = s0.measurement(b.strippingSide)?.lithiumVolumeCubicMicrometres,
           let v1 = s1.measurement(b.strippingSide)?.lithiumVolumeCubicMicrometres { row.lithiumVolumeLostCubicMicrometres = v0 - v1 }
        if let q0 = scans[si].1.chargePassedCoulombs, let q1 = scans[ei].1.chargePassedCoulombs {
            let q = abs(q1 - q0)
            row.chargeBetweenScansCoulombs = q
            // The analysed region can differ slightly between scans; use their mean.
            let areas = [s0.analysedAreaSquareMicrometres, s1.analysedAreaSquareMicrometres].compactMap { $0 }
            if let lost = row.lithiumVolumeLostCubicMicrometres, !areas.isEmpty {
                row.lithiumCurrentFraction = Electrochemistry.lithiumCurrentFraction(
                    lithiumVolumeLostCubicMicrometres: lost, chargeCoulombs: q,
                    analysedAreaSquareMicrometres: areas.reduce(0, +) / Double(areas.count),
                    electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres)
            }
            if let dl = row.stackThicknessChangeMicrometres {
                row.interphasePartialMolarVolumeCubicCentimetresPerMole = Electrochemistry.interphasePartialMolarVolume(
                    stackThicknessChangeMicrometres: dl, chargeCoulombs: q, electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres)
            }
        }
        // Runaway: first sample in the half cycle with |V| at or above the voltage bound.
        let firstInside = voltage.isEmpty ? 0 : (voltage.lastIndex(atOrBefore: a) ?? 0)
        if !voltage.isEmpty, let k = voltage.timeUnixSeconds[firstInside...].indices.first(where: {
            voltage.timeUnixSeconds[$0] > e || (voltage.timeUnixSeconds[$0] >= a && abs(voltage.values[$0]) >= input.voltageBoundVolts)
        }), voltage.timeUnixSeconds[k] <= e {
            let tRun = voltage.timeUnixSeconds[k]
            row.runawayUnixSeconds = tRun
            if let before = (si...ei).last(where: { mids[$0] <= tRun && $0 != si }),
               let c0 = s0.measurement(b.strippingSide)?.contactAreaSquareMicrometres,
               let c1 = scans[before].0.measurement(b.strippingSide)?.contactAreaSquareMicrometres {
                row.strippingContactChangeBeforeRunawayPercent = Electrochemistry.percentChange(from: c0, to: c1)
            }
        }
        // Fits through all scans between the bracketing ones.
        let inside = scans[min(si, ei)...max(si, ei)]
        let analysedAreas = inside.compactMap { $0.0.analysedAreaSquareMicrometres }
        let volumePoints = inside.compactMap { pair -> (Double, Double)? in
            guard let q = pair.1.chargePassedCoulombs, let v = pair.0.measurement(b.strippingSide)?.lithiumVolumeCubicMicrometres else { return nil }
            return (q, v)
        }
        if !analysedAreas.isEmpty, let fit = LinearFit.fit(x: volumePoints.map(\.0), y: volumePoints.map(\.1)) {
            let area = analysedAreas.reduce(0, +) / Double(analysedAreas.count)
            // Linear in the volume lost per coulomb, so the slope's error scales the same way.
            func fraction(_ slope: Double) -> Double? {
                Electrochemistry.lithiumCurrentFraction(lithiumVolumeLostCubicMicrometres: -slope, chargeCoulombs: 1,
                                                        analysedAreaSquareMicrometres: area,
                                                        electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres)
            }
            if let v = fraction(fit.slope) {
                let se = fit.slopeStandardError.flatMap { e in fraction(fit.slope + e).map { abs($0 - v) } }
                row.lithiumCurrentFractionFit = Estimate(value: v, standardError: se, pointCount: fit.pointCount)
            }
        }
        let thicknessPoints = inside.compactMap { pair -> (Double, Double)? in
            guard let q = pair.1.chargePassedCoulombs, let l = pair.0.stackThicknessMicrometres else { return nil }
            return (q, l)
        }
        if let fit = LinearFit.fit(x: thicknessPoints.map(\.0), y: thicknessPoints.map(\.1)) {
            func molarVolume(_ slope: Double) -> Double? {
                Electrochemistry.interphasePartialMolarVolume(stackThicknessChangeMicrometres: slope, chargeCoulombs: 1,
                                                              electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres)
            }
            if let v = molarVolume(fit.slope) {
                let se = fit.slopeStandardError.flatMap { e in molarVolume(fit.slope + e).map { abs($0 - v) } }
                row.interphasePartialMolarVolumeFit = Estimate(value: v, standardError: se, pointCount: fit.pointCount)
            }
        }
        return row
    }

    // MARK: - Helpers

    /// Non-finite scan measurements (a failed segmentation) become "not measured".
    static func sanitized(_ scan: ScanRecord) -> ScanRecord {
        func f(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? $0 : nil } }
        func m(_ i: InterfaceMeasurement?) -> InterfaceMeasurement? {
            guard var i else { return nil }
            i.lithiumVolumeCubicMicrometres = f(i.lithiumVolumeCubicMicrometres)
            i.contactAreaSquareMicrometres = f(i.contactAreaSquareMicrometres)
            i.contactFraction = f(i.contactFraction)
            i.interfaceZMicrometres = f(i.interfaceZMicrometres)
            i.collectorZMicrometres = f(i.collectorZMicrometres)
            return i
        }
        var s = scan
        s.top = m(scan.top); s.bottom = m(scan.bottom)
        s.stackThicknessMicrometres = f(scan.stackThicknessMicrometres)
        s.analysedAreaSquareMicrometres = f(scan.analysedAreaSquareMicrometres)
        if !s.startUnixSeconds.isFinite || !s.endUnixSeconds.isFinite { s.startUnixSeconds = 0; s.endUnixSeconds = 0 }
        return s
    }

    /// Contact fraction of one interface: measured, or contact area ÷ analysed area.
    static func contactFraction(_ scan: ScanRecord, _ side: InterfaceSide) -> Double? {
        if let f = scan.measurement(side)?.contactFraction { return f }
        guard let a = scan.measurement(side)?.contactAreaSquareMicrometres,
              let total = scan.analysedAreaSquareMicrometres, total > 0 else { return nil }
        return a / total
    }

    private static func usable(_ input: TimeSeries, _ name: String, _ missing: inout [String]) -> TimeSeries {
        if input.timeUnixSeconds.count != input.values.count {
            missing.append("The \(name) log has \(input.timeUnixSeconds.count) times but \(input.values.count) values: ignored.")
            return TimeSeries()
        }
        // Non-finite samples (sensor glitches) would poison means and make the JSON unencodable.
        var s = input
        let bad = zip(s.timeUnixSeconds, s.values).filter { !$0.0.isFinite || !$0.1.isFinite }.count
        if bad > 0 {
            let keep = zip(s.timeUnixSeconds, s.values).filter { $0.0.isFinite && $0.1.isFinite }
            s = TimeSeries(timeUnixSeconds: keep.map(\.0), values: keep.map(\.1))
            missing.append("\(bad) non-finite sample(s) dropped from the \(name) log.")
        }
        if zip(s.timeUnixSeconds, s.timeUnixSeconds.dropFirst()).contains(where: { $0 > $1 }) {
            missing.append("The \(name) log's times are not ascending: sorted before use.")
            let order = s.timeUnixSeconds.indices.sorted { s.timeUnixSeconds[$0] < s.timeUnixSeconds[$1] }
            return TimeSeries(timeUnixSeconds: order.map { s.timeUnixSeconds[$0] }, values: order.map { s.values[$0] })
        }
        return s
    }

    /// Interpolation with the value held constant outside the sampled range (for the
    /// cumulative charge, which is flat before the first and after the last sample).
    static func clampedInterpolation(_ s: TimeSeries, _ t: Double) -> Double? {
        guard let r = s.timeRange else { return nil }
        return s.interpolated(at: min(max(t, r.lowerBound), r.upperBound))
    }

    private static func format(_ x: Double) -> String { String(format: "%.0f", x) }
    private static func list(_ ids: [Int]) -> String { ids.map(String.init).joined(separator: ", ") }
}
