import CellModel
import Foundation

/// The paper's cell model fitted to a run's voltage with the measured contact areas:
/// V = η_top + η_bottom + I·l/(κ·A) + I·Σ L_side/(κ_int·A·θ_side), Butler–Volmer at each
/// interface on its contact fraction θ (interpolated between scans), the electrolyte's ohmic
/// drop, and the interphase crossed through the contact area. Interphase thickness L grows on
/// the side lithium is deposited on, by the model's growth per charge. Everything but the
/// interphase conductivity κ_int is known, and V is linear in 1/κ_int, so the fit is an exact
/// least-squares line through the origin.
public struct ModelFitResult: Codable, Sendable, Equatable {
    public var interphaseConductivitySiemensPerCentimetre: Double
    public var residualRMSVolts: Double
    public var samplesUsed: Int
}

public enum ModelFit {
    /// nil when there are fewer than 3 usable samples (current flowing, both contact
    /// fractions known, below the cut-off).
    public static func fit(voltage: TimeSeries, current: TimeSeries, scans: [ScanRecord], clockOffsetSeconds: Double,
                           cutoffVolts: Double?, positiveCurrentStrips: InterfaceSide,
                           parameters: CellParameters = CellParameters()) -> ModelFitResult? {
        guard !voltage.isEmpty, !current.isEmpty else { return nil }
        func contactSeries(_ side: InterfaceSide) -> TimeSeries {
            var times: [Double] = [], values: [Double] = []
            for scan in scans.sorted(by: { $0.startUnixSeconds < $1.startUnixSeconds }) {
                guard let f = scan.measurement(side)?.contactFraction, f.isFinite, f > 0 else { continue }
                times.append((scan.startUnixSeconds + scan.endUnixSeconds) / 2 + clockOffsetSeconds)
                values.append(f)
            }
            return TimeSeries(timeUnixSeconds: times, values: values)
        }
        let topContact = contactSeries(.top), bottomContact = contactSeries(.bottom)
        let areaCm2 = parameters.areaSquareCentimetres
        var deposited: [InterfaceSide: Double] = [.top: 0, .bottom: 0]   // mAh/cm² plated onto each side
        var xs: [Double] = [], ys: [Double] = [], rest: [Double] = [], measured: [Double] = []
        var previousTime: Double?
        for (t, v) in zip(voltage.timeUnixSeconds, voltage.values) {
            guard let i = current.interpolated(at: t) else { continue }
            if let p = previousTime {
                let stripped = i > 0 ? positiveCurrentStrips : positiveCurrentStrips.other
                deposited[stripped.other, default: 0] += abs(i) * (t - p) / 3.6 / areaCm2
            }
            previousTime = t
            guard abs(i) > 0, v.isFinite, let θt = topContact.interpolated(at: t), let θb = bottomContact.interpolated(at: t) else { continue }
            if let cutoff = cutoffVolts, abs(v) >= 0.98 * cutoff { continue }
            // The model's sign convention: positive current strips the top electrode.
            let amps = positiveCurrentStrips == .top ? i : -i
            let volts = positiveCurrentStrips == .top ? v : -v
            guard let ηTop = try? CellVoltage.interfaceOverpotentialVolts(currentAmps: amps, contactFraction: θt, parameters: parameters),
                  let ηBottom = try? CellVoltage.interfaceOverpotentialVolts(currentAmps: -amps, contactFraction: θb, parameters: parameters)
            else { continue }
            let known = ηTop - ηBottom + CellVoltage.electrolyteOhmicDropVolts(currentAmps: amps, parameters: parameters)
            let growth = parameters.interphaseGrowthMicrometresPerMilliampHourPerSquareCentimetre
            let lTop = parameters.initialInterphaseThicknessMicrometres + growth * deposited[.top]!
            let lBottom = parameters.initialInterphaseThicknessMicrometres + growth * deposited[.bottom]!
            xs.append(amps * 1e-4 / areaCm2 * (lTop / θt + lBottom / θb))
            ys.append(volts - known)
            rest.append(known)
            measured.append(volts)
        }
        guard xs.count >= 3 else { return nil }
        let sxx = zip(xs, xs).reduce(0) { $0 + $1.0 * $1.1 }, sxy = zip(xs, ys).reduce(0) { $0 + $1.0 * $1.1 }
        guard sxx > 0, sxy > 0 else { return nil }
        let inverseKappa = sxy / sxx
        var sse = 0.0
        for k in 0..<xs.count { let r = measured[k] - (rest[k] + inverseKappa * xs[k]); sse += r * r }
        return ModelFitResult(interphaseConductivitySiemensPerCentimetre: 1 / inverseKappa,
                              residualRMSVolts: (sse / Double(xs.count)).squareRoot(), samplesUsed: xs.count)
    }
}
