import XCTest
import CellModel
@testable import Potentiostat

/// Waits (generously) for a condition that another thread makes true.
func waitUntilTrue(timeoutSeconds: Double = 1.0, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
    while Date() < deadline { if condition() { return true }; usleep(2000) }
    return condition()
}

final class EmulatorDriverTests: XCTestCase {
    func testDriverAgainstEmulatorOverTCP() throws {
        let cell = SimulatedCell(voltageNoiseVolts: 0)
        let emulator = SMUEmulator(cell: cell, port: 0)
        let port = try emulator.start()
        defer { emulator.stop() }
        let smu = try KeithleySourceMeter(host: "127.0.0.1", port: port)
        XCTAssertTrue(try smu.identify().contains("2450"))
        try smu.configure(voltageLimitVolts: 4.5)
        XCTAssertEqual(emulator.emulation.outputOffMode, "HIMP")
        XCTAssertEqual(emulator.emulation.voltageLimit, 4.5)
        let amps = CellParameters().currentAmps(milliampsPerSquareCentimetre: 1)
        try smu.setCurrent(amps: amps)
        try smu.outputOn()
        XCTAssertTrue(emulator.isOutputOn)
        let reading = try smu.measure()
        // Fresh cell at 1 mA/cm²: 0.387 V (see CellModelTests), current echoed.
        XCTAssertEqual(reading.voltageVolts, 0.387, accuracy: 0.01)
        XCTAssertEqual(reading.currentAmps, amps, accuracy: 1e-9)
        try smu.setCurrent(amps: -amps)
        XCTAssertLessThan(try smu.measure().voltageVolts, -0.3)
        try smu.outputOff()
        XCTAssertFalse(emulator.isOutputOn)
    }

    func testInstrumentErrorSurfacesAsTypedError() throws {
        let emulator = SMUEmulator(cell: SimulatedCell(), port: 0)
        let port = try emulator.start()
        defer { emulator.stop() }
        let smu = try KeithleySourceMeter(host: "127.0.0.1", port: port)
        XCTAssertThrowsError(try smu.setCurrent(amps: 5)) { error in   // > 1.05 A: out of range
            guard case .instrumentReported(_, let entries)? = error as? InstrumentError else { return XCTFail("\(error)") }
            XCTAssertEqual(entries.first?.code, -222)
        }
        try smu.channel.send(":BOGUS:CMD 1")
        XCTAssertThrowsError(try smu.checkErrors(after: "bogus")) { error in
            guard case .instrumentReported(_, let entries)? = error as? InstrumentError else { return XCTFail("\(error)") }
            XCTAssertEqual(entries, [SCPIErrorEntry(code: -113, message: "Undefined header")])
        }
    }

    func testOffOnDisconnect() throws {
        let emulator = SMUEmulator(cell: SimulatedCell(), port: 0, offOnDisconnect: true)
        let port = try emulator.start()
        defer { emulator.stop() }
        let transport = try TCPTransport(host: "127.0.0.1", port: port)
        let smu = KeithleySourceMeter(channel: SCPIChannel(transport: transport))
        try smu.configure(voltageLimitVolts: 4.5)
        try smu.setCurrent(amps: 31.4e-6)
        try smu.outputOn()
        XCTAssertTrue(emulator.isOutputOn)
        transport.close()
        XCTAssertTrue(waitUntilTrue { !emulator.isOutputOn }, "output still on 1 s after the link dropped")
    }

    func test2400DialectCommands() {
        let (a, _) = LoopbackTransport.pair()
        let smu = KeithleySourceMeter(channel: SCPIChannel(transport: a), dialect: .model2400)
        let cmds = smu.configurationCommands(voltageLimitVolts: 4)
        XCTAssertTrue(cmds.contains(":SENS:VOLT:PROT 4"))
        XCTAssertFalse(cmds.contains { $0.contains("VLIM") })
        XCTAssertTrue(cmds.contains(":OUTP:SMOD HIMP"))
    }

    func testCellCompliance() {
        let cell = SimulatedCell(voltageNoiseVolts: 0)
        let actual = cell.sourceCurrent(amps: 1e-3, voltageLimitVolts: 1.0)
        XCTAssertLessThan(actual, 1e-3)
        XCTAssertEqual(cell.measureVoltageVolts(), 1.0, accuracy: 1e-3)
    }
}
