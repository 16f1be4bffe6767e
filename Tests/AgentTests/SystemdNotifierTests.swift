import Foundation
import XCTest
@testable import AgentKit

final class SystemdNotifierTests: XCTestCase {
    /// A real AF_UNIX datagram socket standing in for systemd's notify socket.
    private func makeListener(path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(rc, 0, "bind: errno \(errno)")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    private func receive(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : "<nothing: errno \(errno)>"
    }

    func testReadyStatusAndWatchdogReachTheNotifySocket() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("notify")
        let fd = try makeListener(path: path)
        defer { close(fd) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "2000000"])
        XCTAssertTrue(notifier.isActive)
        XCTAssertEqual(notifier.watchdogIntervalSeconds, 2)
        notifier.ready(status: "database open, 1 rig")
        XCTAssertEqual(receive(fd), "READY=1\nSTATUS=database open, 1 rig")
        notifier.watchdogPing()
        XCTAssertEqual(receive(fd), "WATCHDOG=1")
        notifier.stopping(status: "output off, flushing")
        XCTAssertEqual(receive(fd), "STOPPING=1\nSTATUS=output off, flushing")
    }

    func testOutsideSystemdNothingIsSentAndNothingFails() {
        let notifier = SystemdNotifier(environment: [:])
        XCTAssertFalse(notifier.isActive)
        XCTAssertNil(notifier.watchdogIntervalSeconds)
        notifier.ready(status: "x")
    }

    func testTheClockStateCanBeRead() {
        // In a container the answer may be either; what matters is that the call works.
        XCTAssertNotNil(ClockTrust.isSynchronized())
    }
}
