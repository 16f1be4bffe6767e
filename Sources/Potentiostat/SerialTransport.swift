#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Serial port transport (termios): raw 8N1 at a given baud rate, no flow control, opened
/// exclusively (TIOCEXCL where available, plus an advisory flock like pyserial) so two agents
/// cannot both drive one instrument. Reads use poll() timeouts; VMIN = 0 / VTIME = 1 make a
/// blocking read return after 0.1 s of silence as a second line of defence.
public final class SerialTransport: ByteTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32
    public let path: String

    /// Open `path` (e.g. /dev/ttyUSB0) at `baudRate` (9600…230400).
    public init(path: String, baudRate: Int) throws {
        self.path = path
        guard let speed = SerialTransport.speed(for: baudRate) else {
            throw TransportError.unsupported("baud rate \(baudRate)")
        }
        let f = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard f >= 0 else {
            if errno == EBUSY { throw TransportError.busy(path: path) }   // TIOCEXCL held by another process
            throw TransportError.system(call: "open", errno: errno, target: path)
        }
        if flock(f, LOCK_EX | LOCK_NB) != 0 {
            Glibc.close(f); throw TransportError.busy(path: path)
        }
        // TIOCEXCL: further open(2)s of the tty fail with EBUSY (except for root).
        _ = ioctl(f, UInt(TIOCEXCL))
        var tio = termios()
        guard tcgetattr(f, &tio) == 0 else {
            let e = errno; Glibc.close(f); throw TransportError.system(call: "tcgetattr", errno: e, target: path)
        }
        cfmakeraw(&tio)                                   // raw: no echo, no line editing, 8 bits
        let clearControl: tcflag_t = tcflag_t(PARENB) | tcflag_t(CSTOPB) | tcflag_t(CSIZE) | tcflag_t(CRTSCTS)
        let setControl: tcflag_t = tcflag_t(CS8) | tcflag_t(CLOCAL) | tcflag_t(CREAD)   // 8N1, ignore modem lines
        let clearInput: tcflag_t = tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY)   // no XON/XOFF
        tio.c_cflag &= ~clearControl
        tio.c_cflag |= setControl
        tio.c_iflag &= ~clearInput
        withUnsafeMutableBytes(of: &tio.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 1
        }
        cfsetispeed(&tio, speed)
        cfsetospeed(&tio, speed)
        guard tcsetattr(f, TCSANOW, &tio) == 0 else {
            let e = errno; Glibc.close(f); throw TransportError.system(call: "tcsetattr", errno: e, target: path)
        }
        tcflush(f, TCIOFLUSH)
        fd = f
    }

    static func speed(for baud: Int) -> speed_t? {
        switch baud {
        case 1200: return speed_t(B1200)
        case 2400: return speed_t(B2400)
        case 4800: return speed_t(B4800)
        case 9600: return speed_t(B9600)
        case 19200: return speed_t(B19200)
        case 38400: return speed_t(B38400)
        case 57600: return speed_t(B57600)
        case 115200: return speed_t(B115200)
        case 230400: return speed_t(B230400)
        default: return nil
        }
    }

    private func descriptor() throws -> Int32 {
        lock.lock(); defer { lock.unlock() }
        guard fd >= 0 else { throw TransportError.closed(target: path) }
        return fd
    }

    public func write(_ bytes: [UInt8]) throws {
        try PosixIO.writeAll(fd: descriptor(), bytes: bytes, timeoutSeconds: 3, target: path)
    }

    public func read(maxCount: Int, timeoutSeconds: Double) throws -> [UInt8] {
        try PosixIO.readSome(fd: descriptor(), maxCount: maxCount, timeoutSeconds: timeoutSeconds, target: path)
    }

    public func close() {
        lock.lock(); defer { lock.unlock() }
        if fd >= 0 { flock(fd, LOCK_UN); Glibc.close(fd); fd = -1 }
    }

    deinit { close() }
}
