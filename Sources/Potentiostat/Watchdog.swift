import Foundation

/// Notices a stalled control loop: if `beat()` is not called for `timeoutSeconds` of wall
/// time, runs `onStall` once on its own thread (which switches the output off). A thread, not
/// a task, so it still runs when the loop blocks the cooperative pool.
public final class Watchdog: @unchecked Sendable {
    private let condition = NSCondition()
    private var lastBeat = Date()
    private var stopped = false
    private var fired = false
    public let timeoutSeconds: Double
    private let onStall: @Sendable () -> Void

    public init(timeoutSeconds: Double, onStall: @escaping @Sendable () -> Void) {
        self.timeoutSeconds = timeoutSeconds
        self.onStall = onStall
    }

    public func start() {
        condition.lock(); lastBeat = Date(); condition.unlock()
        let thread = Thread { [self] in watch() }
        thread.name = "potentiostat-watchdog"
        thread.start()
    }

    public func beat() { condition.lock(); lastBeat = Date(); condition.unlock() }

    public func stop() { condition.lock(); stopped = true; condition.broadcast(); condition.unlock() }

    /// True once the watchdog has fired.
    public var hasFired: Bool { condition.lock(); defer { condition.unlock() }; return fired }

    private func watch() {
        condition.lock()
        while !stopped {
            let deadline = lastBeat.addingTimeInterval(timeoutSeconds)
            if Date() >= deadline {
                fired = true
                condition.unlock()
                onStall()
                return
            }
            _ = condition.wait(until: min(deadline, Date(timeIntervalSinceNow: 0.05)))
        }
        condition.unlock()
    }
}
