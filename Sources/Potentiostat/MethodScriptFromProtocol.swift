/// The project's protocol (TOML) as a MethodSCRIPT run for PalmSens instruments.
///
/// Charge-ended steps become durations at their constant current (the instrument counts
/// time, not charge); per-step voltage ends become the step's |E| cut-off; the protocol's
/// |V| limit becomes the script's safety abort, so the instrument stops on its own even if
/// the agent dies. What MethodSCRIPT cannot do on the instrument — hold-for-scan steps and
/// the stack-pressure window — is refused with the reason, not silently dropped.
public enum MethodScriptFromProtocol {
    public struct Unsupported: Error, Equatable, Sendable, CustomStringConvertible {
        public var keyPath: String
        public var reason: String
        public var description: String { "\(keyPath): \(reason)" }
    }

    public static func convert(_ p: GalvanostaticProtocol, samplingIntervalSeconds: Double) throws -> MethodScriptProtocol {
        var steps: [MethodScriptStep] = []
        for (index, step) in p.steps.enumerated() {
            let path = "step[\(index)]"
            switch step.kind {
            case .hold:
                throw Unsupported(keyPath: path, reason: "hold steps wait for the beamline, which only the agent can see; run this protocol with `cellpress run`")
            case .rest:
                guard let d = step.durationSeconds else { throw Unsupported(keyPath: path, reason: "a rest needs duration_s for MethodSCRIPT") }
                steps.append(.rest(durationSeconds: d))
            case .constantCurrent(let amps):
                var candidates: [Double] = []
                if let d = step.durationSeconds { candidates.append(d) }
                if let q = step.chargeMilliampHoursPerSquareCentimetre, amps != 0 {
                    // mAh/cm² × cm² = mAh; × 3.6 = C; ÷ |I| = s.
                    candidates.append(q * p.areaSquareCentimetres * 3.6 / abs(amps))
                }
                guard let duration = candidates.min() else {
                    throw Unsupported(keyPath: path, reason: "a constant-current step needs duration_s or charge_mah_cm2 for MethodSCRIPT")
                }
                steps.append(.constantCurrent(currentAmps: amps, durationSeconds: duration, voltageLimitVolts: step.endVoltageVolts.map(abs)))
            }
        }
        if p.limits.pressureWindow != nil {
            throw Unsupported(keyPath: "limits.pressure_min_mpa", reason: "the stack-pressure window is enforced by the agent, not the instrument; run this protocol with `cellpress run`")
        }
        return MethodScriptProtocol(steps: steps, samplingIntervalSeconds: samplingIntervalSeconds,
                                    repeatCount: p.repeatCount, safetyAbortVolts: p.limits.voltageAbsoluteMaximumVolts)
    }
}
