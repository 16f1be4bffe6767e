import Foundation

/// A clock the protocol engine samples and sleeps on; injected so tests can run hours of
/// protocol in seconds (accelerated) and the agent can use wall time.
public protocol EngineClock: Sendable {
    /// Seconds since an arbitrary fixed origin, in the clock's (possibly accelerated) time.
    func nowSeconds() -> Double
    /// Unix time (s) corresponding to `nowSeconds()`, for samples stored beside sensor data.
    func unixTimeSeconds() -> Double
    /// Sleep for `seconds` of this clock's time.
    func sleep(seconds: Double) async throws
}

/// Wall-clock time sped up by `timeScale` (1 = real time). Shared by `SimulatedCell` and the
/// engine so both see the same accelerated time.
public struct ScaledClock: EngineClock {
    public let timeScale: Double
    private let originMonotonicSeconds: Double
    private let originUnixSeconds: Double

    public init(timeScale: Double = 1) {
        self.timeScale = max(timeScale, 1e-9)
        originMonotonicSeconds = ScaledClock.monotonicSeconds()
        originUnixSeconds = Date().timeIntervalSince1970
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    public func nowSeconds() -> Double {
        (ScaledClock.monotonicSeconds() - originMonotonicSeconds) * timeScale
    }

    /// Unix time in *simulated* time: origin + accelerated elapsed seconds.
    public func unixTimeSeconds() -> Double { originUnixSeconds + nowSeconds() }

    public func sleep(seconds: Double) async throws {
        let real = max(0, seconds / timeScale)
        try await Task.sleep(nanoseconds: UInt64(real * 1e9))
    }
}

/// A clock that only moves when slept on or advanced: in-process simulations run hours of
/// protocol instantly and deterministically. Thread-safe.
public final class VirtualClock: EngineClock, @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double
    private let originUnixSeconds: Double

    public init(startSeconds: Double = 0, originUnixSeconds: Double = 1_700_000_000) {
        seconds = startSeconds
        self.originUnixSeconds = originUnixSeconds
    }
    public func nowSeconds() -> Double { lock.lock(); defer { lock.unlock() }; return seconds }
    public func unixTimeSeconds() -> Double { originUnixSeconds + nowSeconds() }
    public func advance(seconds delta: Double) { lock.lock(); seconds += max(0, delta); lock.unlock() }
    public func sleep(seconds delta: Double) async throws {
        try Task.checkCancellation()
        advance(seconds: delta)
        await Task.yield()
    }
}
