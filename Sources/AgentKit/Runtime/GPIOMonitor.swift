import Foundation
import Sensors
import Store

/// Watches one input line (a beamline scan trigger, a door or interlock contact) and records
/// each edge as an event with the kernel's timestamp. Edge timestamps are CLOCK_MONOTONIC;
/// they are put on the wall clock through the offset between the two clocks, read when the
/// edge is handled (both clocks advance together, so the error is only clock slew).
///
/// The wait blocks in libgpiod, so it runs on its own thread with a short timeout to notice
/// `stop()`.
public final class GPIOMonitor: @unchecked Sendable {
    public struct Edge: Sendable, Equatable {
        public var edge: GPIOEdge
        public var monotonicSeconds: Double
        public var unixTimeSeconds: Double
    }

    private let line: any GPIOLine
    private let role: String
    private let onEdge: @Sendable (Edge) -> Void
    private let onError: @Sendable (Error) -> Void
    private let time: SampleTimeSource
    private let lock = NSLock()
    private var stopping = false
    private var started = false
    private var finished = false
    private let done = NSCondition()

    /// - Parameter role: what the line is (`scan_trigger`, `door`…), used in messages.
    public init(line: any GPIOLine, role: String, time: SampleTimeSource = .system,
                onEdge: @escaping @Sendable (Edge) -> Void, onError: @escaping @Sendable (Error) -> Void) {
        self.line = line
        self.role = role
        self.time = time
        self.onEdge = onEdge
        self.onError = onError
    }

    public func start() {
        lock.withLock { started = true }
        let thread = Thread { [self] in self.loop() }
        thread.name = "cellpress.gpio.\(role)"
        thread.start()
    }

    private func loop() {
        while !lock.withLock({ stopping }) {
            do {
                guard let event = try line.waitForEdge(timeoutSeconds: 0.1) else { continue }
                let monotonic = event.timestampSeconds
                let offset = time.unixSeconds() - time.monotonicSeconds()
                onEdge(Edge(edge: event.edge, monotonicSeconds: monotonic, unixTimeSeconds: monotonic + offset))
            } catch {
                onError(error)
                Thread.sleep(forTimeInterval: 0.5)   // a failing line must not spin
            }
        }
        done.lock(); finished = true; done.broadcast(); done.unlock()
    }

    /// Stops watching and waits for the thread to end (at most one wait timeout).
    public func stop() {
        let wasStarted = lock.withLock { () -> Bool in stopping = true; return started }
        done.lock()
        if !wasStarted { finished = true }
        while !finished { done.wait() }
        done.unlock()
        line.release()
    }
}
