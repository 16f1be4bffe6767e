#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Thin helpers over POSIX file descriptors shared by the TCP and serial transports.
enum PosixIO {
    /// Wait until `fd` is readable (or writable); false on timeout.
    static func poll(fd: Int32, events: Int16, timeoutSeconds: Double, target: String) throws -> Bool {
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        let ms = Int32(max(0, min(timeoutSeconds * 1000, Double(Int32.max))).rounded(.up))
        while true {
            let r = Glibc.poll(&pfd, 1, ms)
            if r < 0 {
                if errno == EINTR { continue }
                throw TransportError.system(call: "poll", errno: errno, target: target)
            }
            return r > 0
        }
    }

    static func readSome(fd: Int32, maxCount: Int, timeoutSeconds: Double, target: String) throws -> [UInt8] {
        guard try poll(fd: fd, events: Int16(POLLIN), timeoutSeconds: timeoutSeconds, target: target) else {
            throw TransportError.timeout(seconds: timeoutSeconds, target: target)
        }
        var buffer = [UInt8](repeating: 0, count: max(1, maxCount))
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n == 0 { throw TransportError.closed(target: target) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                throw TransportError.timeout(seconds: timeoutSeconds, target: target)
            }
            throw TransportError.system(call: "read", errno: errno, target: target)
        }
    }

    static func writeAll(fd: Int32, bytes: [UInt8], timeoutSeconds: Double, target: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { raw -> Int in
                #if canImport(Glibc)
                return Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
                #else
                return Darwin.send(fd, raw.baseAddress, raw.count, 0)
                #endif
            }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == ENOTSOCK {
                // Serial ports and ptys are not sockets: plain write(2).
                let m = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if m > 0 { offset += m; continue }
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                guard try poll(fd: fd, events: Int16(POLLOUT), timeoutSeconds: timeoutSeconds, target: target) else {
                    throw TransportError.timeout(seconds: timeoutSeconds, target: target)
                }
                continue
            }
            if errno == EPIPE || errno == ECONNRESET { throw TransportError.closed(target: target) }
            throw TransportError.system(call: "write", errno: errno, target: target)
        }
    }
}
