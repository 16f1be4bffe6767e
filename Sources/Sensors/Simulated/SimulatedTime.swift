import Foundation

/// Time as simulated devices see it: either the real monotonic clock or a manual clock that
/// only moves when told (so tests of data-ready timing run instantly and deterministically).
public final class SimulatedTime: @unchecked Sendable {
    private let lock = NSLock()
    private let manual: Bool
    private var manualSeconds: Double
    private let start = ContinuousClock.now

    /// Real time: seconds since this object was made, from the monotonic clock.
    public static func realTime() -> SimulatedTime { SimulatedTime(manual: false) }
    /// Manual time starting at 0 s; `advance(bySeconds:)` or `delay` moves it.
    public static func manualTime() -> SimulatedTime { SimulatedTime(manual: true) }

    private init(manual: Bool) {
        self.manual = manual
        manualSeconds = 0
    }

    /// Seconds since the simulation started.
    public var nowSeconds: Double {
        if manual {
            lock.lock(); defer { lock.unlock() }
            return manualSeconds
        }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// Moves manual time forward (no effect on real time).
    public func advance(bySeconds seconds: Double) {
        guard manual else { return }
        lock.lock(); defer { lock.unlock() }
        manualSeconds += max(0, seconds)
    }

    /// A `Delay` matching this time: instant (advancing the clock) when manual, a real sleep otherwise.
    public var delay: Delay {
        if manual {
            return Delay(sleep: { [self] seconds in advance(bySeconds: seconds) }, nowSeconds: { [self] in nowSeconds })
        }
        return .system
    }
}

/// How a driver waits (power-up, conversion polling) and tells time (to predict the next
/// conversion). Injected so simulations need not sleep.
public struct Delay: Sendable {
    public let sleep: @Sendable (_ seconds: Double) -> Void
    /// Monotonic seconds (any origin).
    public let nowSeconds: @Sendable () -> Double
    public init(sleep: @escaping @Sendable (_ seconds: Double) -> Void,
                nowSeconds: (@Sendable () -> Double)? = nil) {
        self.sleep = sleep
        self.nowSeconds = nowSeconds ?? { clockSeconds(CLOCK_MONOTONIC) }
    }
    /// A real, blocking sleep (usleep). Drivers only wait a few conversion periods at most.
    public static let system = Delay(sleep: { seconds in
        if seconds > 0 { usleep(UInt32(min(seconds, 4000) * 1_000_000)) }
    })
}
