import Foundation

/// In-process byte pipe; `LoopbackTransport.pair()` gives two connected ends.
public final class LoopbackTransport: ByteTransport, @unchecked Sendable {
    /// One direction of the pipe: a byte queue with a condition variable.
    final class Pipe: @unchecked Sendable {
        let condition = NSCondition()
        var bytes: [UInt8] = []
        var closed = false
    }
    private let incoming: Pipe
    private let outgoing: Pipe

    private init(incoming: Pipe, outgoing: Pipe) {
        self.incoming = incoming
        self.outgoing = outgoing
    }

    /// Two connected ends: what one writes, the other reads.
    public static func pair() -> (LoopbackTransport, LoopbackTransport) {
        let a = Pipe(), b = Pipe()
        return (LoopbackTransport(incoming: a, outgoing: b), LoopbackTransport(incoming: b, outgoing: a))
    }

    public func write(_ bytes: [UInt8]) throws {
        outgoing.condition.lock(); defer { outgoing.condition.unlock() }
        guard !outgoing.closed else { throw TransportError.closed(target: "loopback") }
        outgoing.bytes.append(contentsOf: bytes)
        outgoing.condition.broadcast()
    }

    public func read(maxCount: Int, timeoutSeconds: Double) throws -> [UInt8] {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        incoming.condition.lock(); defer { incoming.condition.unlock() }
        while incoming.bytes.isEmpty {
            if incoming.closed { throw TransportError.closed(target: "loopback") }
            if !incoming.condition.wait(until: deadline) {
                if incoming.bytes.isEmpty { throw TransportError.timeout(seconds: timeoutSeconds, target: "loopback") }
            }
        }
        let n = min(max(1, maxCount), incoming.bytes.count)
        let out = Array(incoming.bytes[0..<n])
        incoming.bytes.removeFirst(n)
        return out
    }

    /// Closes both directions (the peer sees end of stream after draining).
    public func close() {
        for pipe in [incoming, outgoing] {
            pipe.condition.lock(); pipe.closed = true; pipe.condition.broadcast(); pipe.condition.unlock()
        }
    }
}
