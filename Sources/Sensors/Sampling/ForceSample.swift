import Foundation

/// One delivered force sample with both timestamps.
public struct ForceSample: Sendable, Equatable {
    /// Monotonic time in seconds (CLOCK_MONOTONIC by default: the same clock as GPIO edge
    /// event timestamps, so samples and beamline triggers can be ordered exactly).
    public var monotonicSeconds: Double
    /// Wall-clock Unix time in seconds (for humans and for joining with other logs).
    public var unixSeconds: Double
    /// Raw counts (the mean over the averaged reads).
    public var rawCounts: Double
    public var forceNewtons: Double
    public var temperatureCelsius: Double?
    /// How many sensor reads were averaged into this sample.
    public var readsAveraged: Int
}

/// A sensor fault or recovery, reported so the store can record a gap and raise an alarm.
public struct SamplerEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Reads started failing: a gap begins (alarm).
        case gapStarted
        /// Reads work again: the gap ends.
        case gapEnded
    }
    public var kind: Kind
    public var chip: String
    public var monotonicSeconds: Double
    public var unixSeconds: Double
    /// The error that opened the gap (its one-line description).
    public var error: String
    /// Failed read attempts so far in this gap.
    public var failedAttempts: Int
    /// For `gapEnded`: the gap's length in seconds (monotonic).
    public var gapSeconds: Double?
}

/// Where samples go (the lead backs it with the store's batched writer).
public protocol ForceSampleSink: Sendable {
    func record(_ sample: ForceSample) async
    func record(_ event: SamplerEvent) async
}

/// Where the sampler gets its timestamps; injected so tests are deterministic.
public struct SampleTimeSource: Sendable {
    public let monotonicSeconds: @Sendable () -> Double
    public let unixSeconds: @Sendable () -> Double
    public init(monotonicSeconds: @escaping @Sendable () -> Double, unixSeconds: @escaping @Sendable () -> Double) {
        self.monotonicSeconds = monotonicSeconds
        self.unixSeconds = unixSeconds
    }

    /// CLOCK_MONOTONIC and CLOCK_REALTIME.
    public static let system = SampleTimeSource(
        monotonicSeconds: { clockSeconds(CLOCK_MONOTONIC) },
        unixSeconds: { clockSeconds(CLOCK_REALTIME) })
}

func clockSeconds(_ id: clockid_t) -> Double {
    var ts = timespec()
    clock_gettime(id, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
