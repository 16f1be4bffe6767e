import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Potentiostat

final class TransportTests: XCTestCase {
    func testLoopbackPairCarriesBytesAndTimesOut() throws {
        let (a, b) = LoopbackTransport.pair()
        try a.write(Array("hello".utf8))
        XCTAssertEqual(try b.read(maxCount: 3, timeoutSeconds: 1), Array("hel".utf8))
        XCTAssertEqual(try b.read(maxCount: 10, timeoutSeconds: 1), Array("lo".utf8))
        XCTAssertThrowsError(try b.read(maxCount: 1, timeoutSeconds: 0.01)) { error in
            guard case .timeout = error as? TransportError else { return XCTFail("\(error)") }
        }
        a.close()
        XCTAssertThrowsError(try b.read(maxCount: 1, timeoutSeconds: 1)) { error in
            XCTAssertEqual(error as? TransportError, .closed(target: "loopback"))
        }
    }

    func testTCPConnectRefusedIsTypedError() {
        // Bind an ephemeral port, close it, then connect: refused.
        let emulator = SMUEmulator(cell: SimulatedCell(), port: 0)
        guard let port = try? emulator.start() else { return XCTFail("start") }
        emulator.stop()
        XCTAssertThrowsError(try TCPTransport(host: "127.0.0.1", port: port, connectTimeoutSeconds: 1)) { error in
            guard case .system(let call, _, _)? = error as? TransportError else { return XCTFail("\(error)") }
            XCTAssertEqual(call, "connect")
        }
    }

    func testSerialOverPseudoTerminal() throws {
        // posix_openpt/grantpt/unlockpt/ptsname are not exported to Swift by Glibc; do what
        // they do with /dev/ptmx and the Linux ioctls TIOCSPTLCK (unlock) and TIOCGPTN (number).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { throw XCTSkip("no /dev/ptmx here") }
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, UInt(0x4004_5431), &unlock) == 0, ioctl(master, UInt(0x8004_5430), &number) == 0 else {
            throw XCTSkip("pty ioctls unavailable")
        }
        let path = "/dev/pts/\(number)"
        let port = try SerialTransport(path: path, baudRate: 115200)
        defer { port.close() }
        // A second open of the same device is refused (advisory lock / TIOCEXCL).
        XCTAssertThrowsError(try SerialTransport(path: path, baudRate: 115200)) { error in
            XCTAssertEqual(error as? TransportError, .busy(path: path))
        }
        let message = Array("*IDN?\n".utf8)
        XCTAssertEqual(message.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }, message.count)
        var got: [UInt8] = []
        while got.count < message.count { got += try port.read(maxCount: 64, timeoutSeconds: 2) }
        XCTAssertEqual(got, message)   // raw mode: no echo, no CR translation
        try port.write(Array("0,\"No error\"\n".utf8))
        var buffer = [UInt8](repeating: 0, count: 64)
        var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&pfd, 1, 2000), 1)
        let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        XCTAssertEqual(String(decoding: buffer[0..<max(0, n)], as: UTF8.self), "0,\"No error\"\n")
        XCTAssertThrowsError(try port.read(maxCount: 1, timeoutSeconds: 0.05))
        XCTAssertThrowsError(try SerialTransport(path: path, baudRate: 12345))
    }
}
