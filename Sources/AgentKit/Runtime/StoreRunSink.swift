import Foundation
import Potentiostat
import Store

/// Where the protocol engine's samples and events go: rows for the batched writer (never
/// blocking the control loop on the disk), plus the latest values for status lines.
public final class StoreRunSink: RunSink, @unchecked Sendable {
    private let writer: SampleWriter
    private let cellId: Int64
    private let runId: Int64
    private let lock = NSLock()
    private var last: RunSample?
    private var count = 0
    private let onAlarm: (@Sendable (String) -> Void)?

    public init(writer: SampleWriter, cellId: Int64, runId: Int64, onAlarm: (@Sendable (String) -> Void)? = nil) {
        self.writer = writer
        self.cellId = cellId
        self.runId = runId
        self.onAlarm = onAlarm
    }

    public var latest: RunSample? { lock.withLock { last } }
    public var samples: Int { lock.withLock { count } }

    public func record(sample: RunSample) {
        lock.withLock { last = sample; count += 1 }
        writer.append(EchemSample(runId: runId, unixTimeSeconds: sample.unixTimeSeconds, runTimeSeconds: sample.runTimeSeconds,
                                  voltageVolts: sample.voltageVolts, currentAmps: sample.currentAmps,
                                  chargeCoulombs: sample.chargeCoulombs, stepIndex: sample.stepIndex, cycle: sample.cycle))
    }

    public func record(event: RunEvent) {
        let (kind, message, value) = Self.describe(event.kind)
        if kind == Event.Kind.alarm || kind == Event.Kind.limit { onAlarm?(message) }
        writer.append(Event(cellId: cellId, runId: runId, unixTimeSeconds: event.unixTimeSeconds,
                            kind: kind, message: message, value: value))
    }

    /// The stored kind, message and value of an engine event.
    static func describe(_ kind: RunEventKind) -> (String, String, Double?) {
        switch kind {
        case .runStarted(let instrument):
            return (Event.Kind.note, "protocol started on \(instrument)", nil)
        case let .stepStarted(step, cycle, amps):
            return (Event.Kind.step, String(format: "step %d (cycle %d) started at %.4g µA", step, cycle, amps * 1e6), amps)
        case let .stepEnded(step, cycle, reason, charge):
            return (Event.Kind.step, String(format: "step %d (cycle %d) ended on %@ after %.3f mAh/cm²", step, cycle, reason.rawValue, charge), charge)
        case let .limitHit(limit, value):
            return (Event.Kind.limit, "limit \(limit) reached at \(value)", value)
        case .paused(let p):
            return (Event.Kind.alarm, String(format: "current paused: stack pressure %.2f MPa outside the window", p), p)
        case .resumed(let p):
            return (Event.Kind.note, String(format: "current resumed: stack pressure %.2f MPa back in the window", p), p)
        case .alarm(let text):
            return (Event.Kind.alarm, text, nil)
        case .outputOff(let reason):
            return (Event.Kind.note, "output off: \(reason)", nil)
        case .runEnded(let result):
            return (Event.Kind.note, "protocol ended: \(RunOutcome(result).reason)", nil)
        }
    }
}

/// A protocol result as the run's stored status and reason.
public struct RunOutcome: Sendable {
    public var status: Run.Status
    public var reason: String
    public init(status: Run.Status, reason: String) { self.status = status; self.reason = reason }
    public init(_ result: RunResult) {
        switch result {
        case .completed: (status, reason) = (.completed, "all steps completed")
        case .cutOff(let v): (status, reason) = (.cutOff, String(format: "voltage cut-off at %.3f V", v))
        case .aborted(let why): (status, reason) = (.aborted, why.description)
        }
    }
}
