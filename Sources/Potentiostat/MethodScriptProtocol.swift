// The galvanostatic protocol as the MethodSCRIPT generator understands it: a short list of
// constant-current and rest steps, sampled at one interval, repeated N times. The project's
// TOML protocol (charge/voltage end conditions, pressure window...) is richer; the agent
// maps what an instrument-side script can do onto this and enforces the rest itself.

/// One step of a MethodSCRIPT protocol.
public enum MethodScriptStep: Sendable, Equatable {
    /// Chronopotentiometry: hold `currentAmps` (signed) for `durationSeconds`. With a
    /// `voltageLimitVolts`, the step ends early when |E| reaches the limit (a cut-off, the
    /// next step follows).
    case constantCurrent(currentAmps: Double, durationSeconds: Double, voltageLimitVolts: Double?)
    /// Rest at open circuit (cell switched off, potential still measured).
    case rest(durationSeconds: Double)

    public var durationSeconds: Double {
        switch self {
        case .constantCurrent(_, let d, _): return d
        case .rest(let d): return d
        }
    }
}

/// A protocol for one MethodSCRIPT run.
public struct MethodScriptProtocol: Sendable, Equatable {
    /// The steps, in order.
    public var steps: [MethodScriptStep]
    /// Time between data packets, seconds.
    public var samplingIntervalSeconds: Double
    /// How many times the whole step list runs (≥ 1).
    public var repeatCount: Int
    /// If set, the instrument aborts the whole script (and `on_finished:` switches the
    /// cell off) when |E| exceeds this, whatever step is running: protection that holds
    /// even when the agent has died.
    public var safetyAbortVolts: Double?

    public init(steps: [MethodScriptStep], samplingIntervalSeconds: Double,
                repeatCount: Int = 1, safetyAbortVolts: Double? = nil) {
        self.steps = steps
        self.samplingIntervalSeconds = samplingIntervalSeconds
        self.repeatCount = repeatCount
        self.safetyAbortVolts = safetyAbortVolts
    }
}
