import Foundation

/// One measurement point of a run.
public struct RunSample: Equatable, Sendable {
    public var unixTimeSeconds: Double
    /// Time since the run started, s (engine clock).
    public var runTimeSeconds: Double
    public var voltageVolts: Double
    public var currentAmps: Double
    /// Net charge passed since the run started, C (positive = top electrode stripped).
    public var chargeCoulombs: Double
    /// Index into `GalvanostaticProtocol.steps`.
    public var stepIndex: Int
    /// Loop iteration, from 0.
    public var cycle: Int
    /// Stack pressure at the sample, MPa (nil when no sensor reading).
    public var pressureMegapascals: Double?

    public init(unixTimeSeconds: Double, runTimeSeconds: Double, voltageVolts: Double, currentAmps: Double,
                chargeCoulombs: Double, stepIndex: Int, cycle: Int, pressureMegapascals: Double?) {
        self.unixTimeSeconds = unixTimeSeconds
        self.runTimeSeconds = runTimeSeconds
        self.voltageVolts = voltageVolts
        self.currentAmps = currentAmps
        self.chargeCoulombs = chargeCoulombs
        self.stepIndex = stepIndex
        self.cycle = cycle
        self.pressureMegapascals = pressureMegapascals
    }
}

/// Why a step ended.
public enum StepEndReason: String, Equatable, Sendable {
    case duration, charge, voltage, released
}

/// Why a run was aborted.
public enum AbortReason: Equatable, Sendable, CustomStringConvertible {
    case pressureOutOfWindow(megapascals: Double)
    case maximumDuration(hours: Double)
    case softShort(volts: Double)
    case instrumentError(String)
    case linkLost(String)
    case cancelled
    case loopFailure(String)
    case watchdog

    public var description: String {
        switch self {
        case .pressureOutOfWindow(let p): return "stack pressure \(p) MPa outside window"
        case .maximumDuration(let h): return "maximum duration \(h) h reached"
        case .softShort(let v): return "soft short: |V| = \(abs(v)) V under current"
        case .instrumentError(let s): return "instrument error: \(s)"
        case .linkLost(let s): return "instrument link lost: \(s)"
        case .cancelled: return "cancelled (signal or operator)"
        case .loopFailure(let s): return "control loop failed: \(s)"
        case .watchdog: return "watchdog: control loop stalled"
        }
    }
}

/// How a run ended.
public enum RunResult: Equatable, Sendable {
    /// Every step of every cycle ran.
    case completed
    /// |V| reached the protocol's `voltage_abs_max_v` (the experiment's cut-off).
    case cutOff(voltageVolts: Double)
    case aborted(AbortReason)
}

/// Something that happened during a run (stored as an event beside the samples).
public enum RunEventKind: Equatable, Sendable {
    case runStarted(instrument: String)
    case stepStarted(stepIndex: Int, cycle: Int, currentAmps: Double)
    case stepEnded(stepIndex: Int, cycle: Int, reason: StepEndReason, chargeMilliampHoursPerSquareCentimetre: Double)
    /// A limit was hit (name and value, e.g. "voltage_abs_max_v", −4.02).
    case limitHit(limit: String, value: Double)
    case paused(pressureMegapascals: Double)
    case resumed(pressureMegapascals: Double)
    case alarm(String)
    case outputOff(reason: String)
    case runEnded(RunResult)
}

public struct RunEvent: Equatable, Sendable {
    public var unixTimeSeconds: Double
    public var runTimeSeconds: Double
    public var kind: RunEventKind
}

/// Where the engine sends samples and events (the agent backs it with SQLite).
/// Called from the control loop (and the watchdog thread for its alarm): keep it quick.
public protocol RunSink: Sendable {
    func record(sample: RunSample)
    func record(event: RunEvent)
}

/// A sink that keeps everything in memory (tests, demos). Thread-safe.
public final class RecordingSink: RunSink, @unchecked Sendable {
    private let lock = NSLock()
    private var storedSamples: [RunSample] = []
    private var storedEvents: [RunEvent] = []
    public init() {}
    public func record(sample: RunSample) { lock.lock(); storedSamples.append(sample); lock.unlock() }
    public func record(event: RunEvent) { lock.lock(); storedEvents.append(event); lock.unlock() }
    public var samples: [RunSample] { lock.lock(); defer { lock.unlock() }; return storedSamples }
    public var events: [RunEvent] { lock.lock(); defer { lock.unlock() }; return storedEvents }
}
