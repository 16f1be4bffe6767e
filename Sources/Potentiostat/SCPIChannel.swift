import Foundation

/// Line-oriented request/response over a `ByteTransport` (SCPI terminates with LF).
/// Thread-safe: one command or query at a time.
public final class SCPIChannel: @unchecked Sendable {
    public let transport: ByteTransport
    public let timeoutSeconds: Double
    private let lock = NSLock()
    private var framer = LineFramer(maxLineLength: 65_536)
    private var pendingLines: [String] = []

    public init(transport: ByteTransport, timeoutSeconds: Double = 2) {
        self.transport = transport
        self.timeoutSeconds = timeoutSeconds
    }

    /// Send a command (no reply expected).
    public func send(_ command: String) throws {
        lock.lock(); defer { lock.unlock() }
        try transport.write(Array((command + "\n").utf8))
    }

    /// Send a query and return its reply line.
    public func query(_ command: String) throws -> String {
        lock.lock(); defer { lock.unlock() }
        try transport.write(Array((command + "\n").utf8))
        return try readLineLocked()
    }

    /// Try to send without waiting for another caller holding the channel (emergency path).
    /// Writes directly if the lock is busy: a short write on a socket is atomic enough.
    public func sendBestEffort(_ command: String) {
        let got = lock.lock(before: Date(timeIntervalSinceNow: 0.2))
        try? transport.write(Array((command + "\n").utf8))
        if got { lock.unlock() }
    }

    private func readLineLocked() throws -> String {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        while pendingLines.isEmpty {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw TransportError.timeout(seconds: timeoutSeconds, target: "scpi") }
            let bytes = try transport.read(maxCount: 4096, timeoutSeconds: remaining)
            for frame in framer.feed(bytes) {
                switch frame {
                case .line(let text, _): pendingLines.append(text)
                case .malformed(let raw, _): pendingLines.append(String(decoding: raw, as: UTF8.self))
                case .overflow: continue
                }
            }
        }
        return pendingLines.removeFirst()
    }
}
