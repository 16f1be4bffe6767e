import XCTest
@testable import Sensors

final class SimulatedGPIOTests: XCTestCase {
    func makeLines() -> (SimulatedGPIO, Locked<UInt64>) {
        let ns = Locked<UInt64>(1_000)
        let gpio = SimulatedGPIO(nanoseconds: { ns.withLock { $0 += 500; return $0 } })
        gpio.addLine(offset: 0, name: "hil-in")
        gpio.addLine(offset: 1, name: "hil-out")
        gpio.addLine(chip: "gpiochip1", offset: 3, name: "door")
        return (gpio, ns)
    }

    func testEdgesCarryIncreasingTimestamps() throws {
        let (gpio, _) = makeLines()
        let line = try gpio.request(.name("hil-in"), mode: .bothEdges, consumer: "test")
        for v in [true, false, true] { gpio.drive(.name("hil-in"), to: v) }
        gpio.drive(.name("hil-in"), to: true)  // no change, no edge
        let events = try (0..<3).map { _ in try XCTUnwrap(line.waitForEdge(timeoutSeconds: 1)) }
        XCTAssertEqual(events.map(\.edge), [.rising, .falling, .rising])
        XCTAssertEqual(events.map(\.timestampNanoseconds), [1_500, 2_000, 2_500])
        XCTAssertNil(try line.waitForEdge(timeoutSeconds: 0.01))
        XCTAssertTrue(try line.value())
    }

    func testOutputsByOffsetAndHistory() throws {
        let (gpio, _) = makeLines()
        let relay = try gpio.request(.offset(chip: "gpiochip0", offset: 1), mode: .output(initialValue: true), consumer: "test")
        try relay.setValue(false)
        try relay.setValue(true)
        XCTAssertEqual(gpio.outputHistory(.name("hil-out")), [true, false, true])
        XCTAssertEqual(gpio.level(.name("hil-out")), true)
        let input = try gpio.request(.name("door"), mode: .input, consumer: "test")
        XCTAssertThrowsError(try input.setValue(true)) { XCTAssertEqual(($0 as? GPIOError)?.kind, .wrongMode) }
        XCTAssertThrowsError(try input.waitForEdge(timeoutSeconds: 0)) { XCTAssertEqual(($0 as? GPIOError)?.kind, .wrongMode) }
    }

    func testBusyNotFoundAndRelease() throws {
        let (gpio, _) = makeLines()
        let first = try gpio.request(.name("hil-in"), mode: .input, consumer: "a")
        XCTAssertThrowsError(try gpio.request(.offset(chip: "/dev/gpiochip0", offset: 0), mode: .input, consumer: "b")) {
            XCTAssertEqual(($0 as? GPIOError)?.kind, .busy)
        }
        first.release()
        XCTAssertThrowsError(try first.value())
        XCTAssertNoThrow(try gpio.request(.name("hil-in"), mode: .input, consumer: "b"))
        XCTAssertThrowsError(try gpio.request(.name("nope"), mode: .input, consumer: "b")) {
            XCTAssertEqual(($0 as? GPIOError)?.kind, .notFound)
        }
    }
}

final class LinuxGPIOTests: XCTestCase {
    func testMissingChipAndNameAreTypedErrors() {
        let gpio = LinuxGPIO()
        XCTAssertThrowsError(try gpio.request(.offset(chip: "/nonexistent/gpiochip99", offset: 0), mode: .input, consumer: "test")) {
            let e = $0 as? GPIOError
            XCTAssertEqual(e?.kind, .notFound, String(describing: $0))
            XCTAssertTrue(e?.description.contains("gpiochip99") ?? false)
        }
        XCTAssertThrowsError(try gpio.request(.name("cellpress-no-such-line-name"), mode: .input, consumer: "test")) {
            XCTAssertEqual(($0 as? GPIOError)?.kind, .notFound, String(describing: $0))
        }
    }

    func testPermissionMessageNamesGroup() {
        let e = GPIOError(errno: EACCES, line: "gpiochip0 line 3", operation: "request")
        XCTAssertEqual(e.kind, .permissionDenied)
        XCTAssertTrue(e.description.contains("'gpio' group"))
    }
}
