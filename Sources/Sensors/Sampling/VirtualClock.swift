import Foundation

/// A `Clock` for tests and simulations whose time moves only when something sleeps on it:
/// `sleep(until:)` jumps straight to the deadline. Loops paced by it run instantly and
/// deterministically. Its `time` gives matching sample timestamps.
public final class VirtualClock: Clock, Sendable {
    public struct Instant: InstantProtocol, Sendable {
        public var offset: Duration
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let current = Locked(Instant(offset: .zero))
    /// Unix time at virtual time zero.
    public let unixEpochSeconds: Double

    public init(unixEpochSeconds: Double = 1_800_000_000) { self.unixEpochSeconds = unixEpochSeconds }

    public var now: Instant { current.current }
    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        current.withLock { if $0 < deadline { $0 = deadline } }
        await Task.yield()
        try Task.checkCancellation()
    }

    /// Moves time forward without sleeping (e.g. to model a slow read).
    public func advance(by duration: Duration) { current.withLock { $0 = $0.advanced(by: duration) } }

    /// Seconds since virtual time zero.
    public var seconds: Double {
        let c = now.offset.components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }

    /// Timestamps from this clock (monotonic = virtual seconds, Unix = epoch + virtual seconds).
    public var time: SampleTimeSource {
        SampleTimeSource(monotonicSeconds: { [self] in seconds }, unixSeconds: { [self] in unixEpochSeconds + seconds })
    }
}
