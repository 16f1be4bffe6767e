import XCTest
import Glibc
@testable import Sensors

final class I2CErrorTests: XCTestCase {
    func testErrnoClassificationFollowsLinuxFaultCodes() {
        XCTAssertEqual(I2CError.classify(errno: ENXIO), .deviceAbsent)
        XCTAssertEqual(I2CError.classify(errno: EREMOTEIO), .deviceAbsent)
        XCTAssertEqual(I2CError.classify(errno: ENODEV), .deviceAbsent)  // i2c-stub's NACK
        XCTAssertEqual(I2CError.classify(errno: ETIMEDOUT), .timeout)
        XCTAssertEqual(I2CError.classify(errno: EOPNOTSUPP), .unsupported)
        XCTAssertEqual(I2CError.classify(errno: EACCES), .permissionDenied)
        XCTAssertEqual(I2CError.classify(errno: ENOENT), .noSuchBus)
        XCTAssertEqual(I2CError.classify(errno: EIO), .io)
    }

    func testDescriptionCarriesContext() {
        let e = I2CError(errno: ENXIO, bus: "/dev/i2c-1", address: 0x2A, register: 0x12, operation: "read byte data")
        XCTAssertEqual(e.kind, .deviceAbsent)
        XCTAssertTrue(e.description.contains("/dev/i2c-1"), e.description)
        XCTAssertTrue(e.description.contains("0x2a"), e.description)
        XCTAssertTrue(e.description.contains("0x12"), e.description)
        XCTAssertTrue(e.description.contains("ENXIO"), e.description)
        XCTAssertFalse(e.description.contains("\n"))
        let denied = I2CError(errno: EACCES, bus: "/dev/i2c-1", operation: "open")
        XCTAssertTrue(denied.description.contains("'i2c' group"), denied.description)
    }

    func testLinuxBusMissingNodeIsNoSuchBus() {
        XCTAssertThrowsError(try LinuxI2CBus(path: "/nonexistent/i2c-99")) { error in
            let e = error as? I2CError
            XCTAssertEqual(e?.kind, .noSuchBus)
            XCTAssertEqual(e?.errno, ENOENT)
            XCTAssertEqual(e?.bus, "/nonexistent/i2c-99")
        }
    }

    func testLinuxBusOnNonI2CNodeReportsErrnoNotCrash() throws {
        // /dev/null opens but I2C_SLAVE is not a valid ioctl there (ENOTTY): a typed error, no abort.
        let bus = try LinuxI2CBus(path: "/dev/null")
        XCTAssertThrowsError(try bus.readByteData(address: 0x2A, register: 0)) { error in
            let e = error as? I2CError
            XCTAssertNotNil(e)
            XCTAssertEqual(e?.address, 0x2A)
            XCTAssertNotEqual(e?.errno, 0)
        }
        XCTAssertThrowsError(try bus.readByteData(address: 0x78, register: 0)) { error in
            XCTAssertEqual((error as? I2CError)?.kind, .invalidArgument)
        }
    }
}

final class SimulatedI2CBusTests: XCTestCase {
    func makeBus(plain: Bool = true) -> (SimulatedI2CBus, RegisterMapDevice) {
        let bus = SimulatedI2CBus(supportsPlainI2C: plain)
        let dev = RegisterMapDevice(registers: [0x10: 0xAB, 0x11: 0xCD, 0x12: 0xEF])
        bus.attach(dev, at: 0x2A)
        return (bus, dev)
    }

    func testSMBusCallsAreWireMessages() throws {
        let (bus, dev) = makeBus()
        XCTAssertEqual(try bus.readByteData(address: 0x2A, register: 0x11), 0xCD)
        XCTAssertEqual(try bus.readWordData(address: 0x2A, register: 0x10), 0xCDAB)  // low byte first
        XCTAssertEqual(try bus.readBlockData(address: 0x2A, register: 0x10, count: 3), [0xAB, 0xCD, 0xEF])
        try bus.writeWordData(address: 0x2A, register: 0x20, value: 0x1234)
        XCTAssertEqual(dev[0x20], 0x34)
        XCTAssertEqual(dev[0x21], 0x12)
        try bus.writeBlockData(address: 0x2A, register: 0x30, bytes: [1, 2, 3])
        XCTAssertEqual([dev[0x30], dev[0x31], dev[0x32]], [1, 2, 3])
        XCTAssertEqual(try bus.writeRead(address: 0x2A, write: [0x12], readCount: 1), [0xEF])
        let trace = bus.trace
        XCTAssertEqual(trace.first, I2CTraceEntry(address: 0x2A, direction: .write, bytes: [0x11], failure: nil))
        XCTAssertEqual(trace[1], I2CTraceEntry(address: 0x2A, direction: .read, bytes: [0xCD], failure: nil))
    }

    func testAbsentAddressNaks() {
        let (bus, _) = makeBus()
        XCTAssertThrowsError(try bus.readByteData(address: 0x50, register: 0)) { error in
            let e = error as? I2CError
            XCTAssertEqual(e?.kind, .deviceAbsent)
            XCTAssertEqual(e?.errno, ENXIO)
            XCTAssertEqual(e?.address, 0x50)
            XCTAssertEqual(e?.register, 0)
        }
        XCTAssertThrowsError(try bus.writeQuick(address: 0x50))
        XCTAssertNoThrow(try bus.writeQuick(address: 0x2A))
    }

    func testInjectedFaultsForCountedTransfers() throws {
        let (bus, _) = makeBus()
        bus.inject(.nak, at: 0x2A, transfers: 1)
        XCTAssertThrowsError(try bus.readByteData(address: 0x2A, register: 0x10)) {
            XCTAssertEqual(($0 as? I2CError)?.kind, .deviceAbsent)
        }
        XCTAssertEqual(try bus.readByteData(address: 0x2A, register: 0x10), 0xAB)
        bus.inject(.timeout, at: 0x2A, transfers: 2)
        for _ in 0..<2 {
            XCTAssertThrowsError(try bus.readByteData(address: 0x2A, register: 0x10)) {
                XCTAssertEqual(($0 as? I2CError)?.kind, .timeout)
                XCTAssertEqual(($0 as? I2CError)?.errno, ETIMEDOUT)
            }
        }
        XCTAssertEqual(try bus.readByteData(address: 0x2A, register: 0x10), 0xAB)
        bus.inject(.stuckBits(mask: 0x80, value: 0x00), at: 0x2A, transfers: 1)
        XCTAssertEqual(try bus.readByteData(address: 0x2A, register: 0x10), 0x2B)
        XCTAssertEqual(try bus.readByteData(address: 0x2A, register: 0x10), 0xAB)
        bus.inject(.stuckBits(mask: 0x01, value: 0x01), at: 0x2A)
        XCTAssertEqual(try bus.readBlockData(address: 0x2A, register: 0x10, count: 2), [0xAB, 0xCD])
        XCTAssertEqual(try bus.readByteData(address: 0x2A, register: 0x12), 0xEF)
        bus.inject(.stuckBits(mask: 0x01, value: 0x00), at: 0x2A)
        XCTAssertEqual(try bus.readByteData(address: 0x2A, register: 0x12), 0xEE)
        bus.clearFaults()
        XCTAssertEqual(try bus.readByteData(address: 0x2A, register: 0x12), 0xEF)
    }

    func testSMBusOnlyAdapterRejectsPlainTransfersLikeI2CStub() throws {
        let (bus, _) = makeBus(plain: false)
        XCTAssertThrowsError(try bus.read(address: 0x2A, count: 2)) {
            XCTAssertEqual(($0 as? I2CError)?.kind, .unsupported)
            XCTAssertEqual(($0 as? I2CError)?.errno, EOPNOTSUPP)
        }
        XCTAssertThrowsError(try bus.writeRead(address: 0x2A, write: [0x10], readCount: 1))
        XCTAssertEqual(try bus.readBlockData(address: 0x2A, register: 0x10, count: 3), [0xAB, 0xCD, 0xEF])
    }

    func testTraceIsBounded() throws {
        let bus = SimulatedI2CBus(traceLimit: 10)
        bus.attach(RegisterMapDevice(), at: 0x10)
        for _ in 0..<100 { _ = try bus.readByteData(address: 0x10, register: 0) }
        XCTAssertLessThanOrEqual(bus.trace.count, 10)
        XCTAssertGreaterThan(bus.trace.count, 0)
    }
}
