/// What a protocol step does.
public enum StepKind: Equatable, Sendable {
    /// Constant current, A (positive strips the working/top electrode).
    case constantCurrent(amps: Double)
    /// Rest at 0 A (open circuit through a current source; voltage keeps being measured).
    case rest
    /// Rest at 0 A until released (e.g. a tomography scan is taken) or its duration ends.
    case hold
}

/// One ordered step; it ends on whichever of its end conditions is met first.
public struct ProtocolStep: Equatable, Sendable {
    public var kind: StepKind
    /// End after this much time in the step, s.
    public var durationSeconds: Double?
    /// End after this much charge through the cell's area in this step, mAh/cm² (absolute).
    public var chargeMilliampHoursPerSquareCentimetre: Double?
    /// End when the voltage reaches this value moving away from 0 V (V ≥ x for x > 0,
    /// V ≤ x for x < 0): the per-step voltage cut-off of galvanostatic cycling.
    public var endVoltageVolts: Double?

    public init(kind: StepKind, durationSeconds: Double? = nil,
                chargeMilliampHoursPerSquareCentimetre: Double? = nil, endVoltageVolts: Double? = nil) {
        self.kind = kind
        self.durationSeconds = durationSeconds
        self.chargeMilliampHoursPerSquareCentimetre = chargeMilliampHoursPerSquareCentimetre
        self.endVoltageVolts = endVoltageVolts
    }

    /// Current this step sources, A.
    public var currentAmps: Double {
        if case .constantCurrent(let a) = kind { return a }
        return 0
    }
}

/// What to do when the stack pressure leaves its window.
public enum PressureAction: String, Equatable, Sendable {
    /// Set 0 A while outside the window; resume the step when back inside.
    case pause
    /// Switch the output off and end the run.
    case abort
}

/// Allowed stack-pressure range, MPa.
public struct PressureWindow: Equatable, Sendable {
    public var minimumMegapascals: Double?
    public var maximumMegapascals: Double?
    public var action: PressureAction
    public init(minimumMegapascals: Double?, maximumMegapascals: Double?, action: PressureAction) {
        self.minimumMegapascals = minimumMegapascals
        self.maximumMegapascals = maximumMegapascals
        self.action = action
    }
    public func contains(_ megapascals: Double) -> Bool {
        if let lo = minimumMegapascals, megapascals < lo { return false }
        if let hi = maximumMegapascals, megapascals > hi { return false }
        return true
    }
}

/// Run-wide limits.
public struct ProtocolLimits: Equatable, Sendable {
    /// |V| at or above this ends the run as a cut-off (output off). Paper: 4 V.
    public var voltageAbsoluteMaximumVolts: Double
    public var pressureWindow: PressureWindow?
    public var maximumDurationHours: Double?
    /// Soft short: under current, |V| below this (a Li|Li cell collapsing towards 0 V).
    public var softShortVolts: Double?
    public init(voltageAbsoluteMaximumVolts: Double = 4.0, pressureWindow: PressureWindow? = nil,
                maximumDurationHours: Double? = nil, softShortVolts: Double? = nil) {
        self.voltageAbsoluteMaximumVolts = voltageAbsoluteMaximumVolts
        self.pressureWindow = pressureWindow
        self.maximumDurationHours = maximumDurationHours
        self.softShortVolts = softShortVolts
    }
}

/// A galvanostatic cycling protocol: ordered steps, repeated `repeatCount` times, under limits.
/// Plain data so other back-ends (MethodSCRIPT generation) can translate it.
public struct GalvanostaticProtocol: Equatable, Sendable {
    /// Nominal cell area, cm² (2 mm diameter → 0.0314 cm²).
    public var areaSquareCentimetres: Double
    public var steps: [ProtocolStep]
    /// Times the step list runs (`[loop] repeat`), ≥ 1.
    public var repeatCount: Int
    public var limits: ProtocolLimits

    public init(areaSquareCentimetres: Double, steps: [ProtocolStep], repeatCount: Int = 1,
                limits: ProtocolLimits = ProtocolLimits()) {
        self.areaSquareCentimetres = areaSquareCentimetres
        self.steps = steps
        self.repeatCount = repeatCount
        self.limits = limits
    }
}
