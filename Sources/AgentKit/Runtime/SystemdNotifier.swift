import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// systemd's notify protocol (sd_notify(3)) without libsystemd: datagrams such as
/// `READY=1`, `STATUS=…`, `WATCHDOG=1`, `STOPPING=1` sent to the AF_UNIX socket named in
/// `$NOTIFY_SOCKET` (a path, or `@name` for the abstract namespace). Outside systemd the
/// variable is unset and every call is a no-op.
public final class SystemdNotifier: @unchecked Sendable {
    private let socketPath: String?
    private let lock = NSLock()
    private var descriptor: Int32 = -1

    /// The watchdog interval systemd expects pings within (`$WATCHDOG_USEC`), if any.
    public let watchdogIntervalSeconds: Double?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"]
        socketPath = (path?.isEmpty ?? true) ? nil : path
        if let usec = environment["WATCHDOG_USEC"].flatMap(Double.init), usec > 0,
           environment["WATCHDOG_PID"].map({ Int32($0) == getpid() }) ?? true {
            watchdogIntervalSeconds = usec / 1e6
        } else {
            watchdogIntervalSeconds = nil
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public var isActive: Bool { socketPath != nil }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func watchdogPing() { send("WATCHDOG=1") }
    public func stopping(status: String) { send("STOPPING=1\nSTATUS=\(status)") }

    /// Sends one datagram; failures are ignored, as sd_notify's callers do: the service must
    /// not stop because its supervisor cannot be told something.
    public func send(_ message: String) {
        guard let socketPath else { return }
        lock.lock(); defer { lock.unlock() }
        if descriptor < 0 {
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if descriptor < 0 { return }
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }   // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                sendto(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL), sa, length)
            }
        }
    }
}
