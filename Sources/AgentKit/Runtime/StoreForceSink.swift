import Foundation
import Sensors
import Store

/// Where the force sampler's output goes: converted to stack pressure over the cell's area,
/// tagged with the cell and the active run, and handed to the batched writer (non-blocking).
/// Sensor faults become alarm events (a gap in the record, with its length once it ends).
public final class StoreForceSink: ForceSampleSink, @unchecked Sendable {
    private let writer: SampleWriter
    private let cellId: Int64
    private let sensorId: String
    private let areaSquareMillimetres: Double
    private let lock = NSLock()
    private var runId: Int64?
    private var latestSample: Sensors.ForceSample?
    private var delivered = 0
    private let onAlarm: (@Sendable (String) -> Void)?

    public init(writer: SampleWriter, cellId: Int64, sensorId: String, cellAreaSquareMillimetres: Double,
                onAlarm: (@Sendable (String) -> Void)? = nil) {
        self.writer = writer
        self.cellId = cellId
        self.sensorId = sensorId
        self.areaSquareMillimetres = cellAreaSquareMillimetres
        self.onAlarm = onAlarm
    }

    /// Samples from now on belong to this run (nil: between runs, cell only).
    public func attach(runId: Int64?) { lock.withLock { self.runId = runId } }

    public var latest: Sensors.ForceSample? { lock.withLock { latestSample } }
    public var samplesDelivered: Int { lock.withLock { delivered } }

    public func pressureMegapascals(forceNewtons: Double) -> Double { forceNewtons / areaSquareMillimetres }

    public func record(_ sample: Sensors.ForceSample) async {
        let run = lock.withLock { () -> Int64? in
            latestSample = sample
            delivered += 1
            return runId
        }
        writer.append(Store.ForceSample(cellId: cellId, runId: run, sensorId: sensorId, unixTimeSeconds: sample.unixSeconds,
                                        monotonicSeconds: sample.monotonicSeconds, rawCounts: Int64(sample.rawCounts.rounded()),
                                        forceNewtons: sample.forceNewtons,
                                        pressureMegapascals: pressureMegapascals(forceNewtons: sample.forceNewtons),
                                        temperatureCelsius: sample.temperatureCelsius))
    }

    public func record(_ event: SamplerEvent) async {
        let run = lock.withLock { runId }
        let message: String
        switch event.kind {
        case .gapStarted:
            message = "force sensor \(sensorId) silent: \(event.error)"
            onAlarm?(message)
        case .gapEnded:
            message = String(format: "force sensor %@ back after a %.1f s gap (%d failed reads)", sensorId, event.gapSeconds ?? 0, event.failedAttempts)
        }
        writer.append(Event(cellId: cellId, runId: run, unixTimeSeconds: event.unixSeconds,
                            kind: event.kind == .gapStarted ? Event.Kind.alarm : Event.Kind.note,
                            message: message, value: event.gapSeconds))
    }
}
