#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A TCP server on 127.0.0.1 serving the Keithley 2450 SCPI subset, backed by a
/// `SimulatedCell` (`cellpress emulate smu`). Each connection is served on its own thread.
/// With `offOnDisconnect` (default on) the output is switched off when a client disconnects —
/// a real 2450 does NOT do this; it models "the agent died" protection for the demo.
public final class SMUEmulator: @unchecked Sendable {
    public let emulation: Keithley2450Emulation
    public let offOnDisconnect: Bool
    private let requestedPort: UInt16
    private let lock = NSLock()
    private var listenFD: Int32 = -1
    private var clientFDs: Set<Int32> = []
    private var acceptThread: Thread?
    private var running = false

    public init(cell: SimulatedCell, port: UInt16 = 5025, offOnDisconnect: Bool = true) {
        emulation = Keithley2450Emulation(cell: cell)
        requestedPort = port
        self.offOnDisconnect = offOnDisconnect
    }

    /// Whether the emulated output is on (observable by tests).
    public var isOutputOn: Bool { emulation.isOutputOn }

    /// Start listening on 127.0.0.1; returns the bound port (`port: 0` = ephemeral).
    @discardableResult
    public func start() throws -> UInt16 {
        let target = "127.0.0.1:\(requestedPort)"
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw TransportError.system(call: "socket", errno: errno, target: target) }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = requestedPort.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(s, 8) == 0 else {
            let e = errno; Glibc.close(s)
            throw TransportError.system(call: "bind/listen", errno: e, target: target)
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        let port = UInt16(bigEndian: actual.sin_port)
        lock.lock(); listenFD = s; running = true; lock.unlock()
        let thread = Thread { [self] in acceptLoop(listenFD: s) }
        thread.name = "smu-emulator-accept"
        thread.start()
        acceptThread = thread
        return port
    }

    /// Stop listening and drop all clients (the output is switched off).
    public func stop() {
        lock.lock()
        running = false
        let fds = clientFDs
        if listenFD >= 0 { shutdown(listenFD, Int32(SHUT_RDWR)); Glibc.close(listenFD); listenFD = -1 }
        lock.unlock()
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        emulation.forceOutputOff()
    }

    private func acceptLoop(listenFD s: Int32) {
        while true {
            // poll so stop() is noticed even where close() does not wake accept().
            var pfd = pollfd(fd: s, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, 100)
            lock.lock(); let isRunning = running; lock.unlock()
            if !isRunning { return }
            if r <= 0 { continue }
            let client = accept(s, nil, nil)
            if client < 0 { if errno == EINTR || errno == EAGAIN { continue }; return }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            lock.lock(); clientFDs.insert(client); lock.unlock()
            let t = Thread { [self] in serve(client: client) }
            t.name = "smu-emulator-client"
            t.start()
        }
    }

    private func serve(client fd: Int32) {
        var framer = LineFramer(maxLineLength: 4096)
        var buffer = [UInt8](repeating: 0, count: 4096)
        outer: while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            for frame in framer.feed(buffer[0..<n]) {
                guard case .line(let text, _) = frame else { continue }
                let replies = emulation.handle(line: text)
                for reply in replies {
                    do { try PosixIO.writeAll(fd: fd, bytes: Array((reply + "\n").utf8), timeoutSeconds: 2, target: "emulator-client") } catch { break outer }
                }
            }
        }
        lock.lock(); clientFDs.remove(fd); lock.unlock()
        Glibc.close(fd)
        if offOnDisconnect { emulation.forceOutputOff() }
    }

    deinit { stop() }
}
