#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// TCP client transport (POSIX sockets) with connect, read and write timeouts.
public final class TCPTransport: ByteTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32
    public let target: String
    /// Timeout for a blocked write, s.
    public let writeTimeoutSeconds: Double

    /// Connect to an IPv4 `host` (dotted quad, e.g. "127.0.0.1") and `port`.
    public init(host: String, port: UInt16, connectTimeoutSeconds: Double = 3,
                writeTimeoutSeconds: Double = 3) throws {
        target = "\(host):\(port)"
        self.writeTimeoutSeconds = writeTimeoutSeconds
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw TransportError.unsupported("not an IPv4 address: \(host)")
        }
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw TransportError.system(call: "socket", errno: errno, target: target) }
        _ = fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let r = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if r != 0 {
            guard errno == EINPROGRESS else {
                let e = errno; Glibc.close(s)
                throw TransportError.system(call: "connect", errno: e, target: target)
            }
            let ready: Bool
            do { ready = try PosixIO.poll(fd: s, events: Int16(POLLOUT), timeoutSeconds: connectTimeoutSeconds, target: target) } catch {
                Glibc.close(s); throw error
            }
            guard ready else { Glibc.close(s); throw TransportError.timeout(seconds: connectTimeoutSeconds, target: target) }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(s, SOL_SOCKET, SO_ERROR, &soError, &len)
            if soError != 0 { Glibc.close(s); throw TransportError.system(call: "connect", errno: soError, target: target) }
        }
        fd = s
    }

    private func descriptor() throws -> Int32 {
        lock.lock(); defer { lock.unlock() }
        guard fd >= 0 else { throw TransportError.closed(target: target) }
        return fd
    }

    public func write(_ bytes: [UInt8]) throws {
        try PosixIO.writeAll(fd: descriptor(), bytes: bytes, timeoutSeconds: writeTimeoutSeconds, target: target)
    }

    public func read(maxCount: Int, timeoutSeconds: Double) throws -> [UInt8] {
        try PosixIO.readSome(fd: descriptor(), maxCount: maxCount, timeoutSeconds: timeoutSeconds, target: target)
    }

    public func close() {
        lock.lock(); defer { lock.unlock() }
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)); Glibc.close(fd); fd = -1 }
    }

    deinit { close() }
}
