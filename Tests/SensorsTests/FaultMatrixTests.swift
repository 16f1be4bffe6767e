import XCTest
@testable import Sensors

/// Every driver's probe and read against its simulated part, under each injected fault.
final class FaultMatrixTests: XCTestCase {
    struct Case {
        let name: String
        let address: UInt8
        let sensor: any ForceSensor
    }

    func makeCases(_ bus: SimulatedI2CBus) -> [Case] {
        let force = ForceSource(newtons: 20)
        bus.attach(SimulatedNAU7802(force: force), at: 0x2A)
        bus.attach(SimulatedADS1115(force: force), at: 0x48)
        let fmaPart = HoneywellFMA.Part(rangeNewtons: 25)
        bus.attach(SimulatedDigitalForceSensor(model: .fma(fmaPart), force: force), at: 0x28)
        bus.attach(SimulatedDigitalForceSensor(model: .fx29(rangeNewtons: 100), force: force), at: 0x29)
        let d = bus.time.delay
        return [
            Case(name: "nau7802", address: 0x2A, sensor: NAU7802ForceSensor(
                driver: NAU7802(bus: bus, configuration: .init(rate: .sps320), delay: d), calibration: .identity)),
            Case(name: "ads1115", address: 0x48, sensor: ADS1115ForceSensor(
                driver: ADS1115(bus: bus, address: 0x48, delay: d), calibration: .identity, delay: d)),
            Case(name: "fma", address: 0x28, sensor: HoneywellFMASensor(bus: bus, address: 0x28, part: fmaPart, delay: d)),
            Case(name: "fx29", address: 0x29, sensor: TEFX29Sensor(bus: bus, address: 0x29, rangeNewtons: 100, delay: d)),
        ]
    }

    func testEveryDriverUnderEveryFault() throws {
        let bus = SimulatedI2CBus()
        let cases = makeCases(bus)
        for c in cases {
            bus.time.advance(bySeconds: 0.01)
            XCTAssertNoThrow(try c.sensor.probe(), c.name)
            bus.time.advance(bySeconds: 0.01)
            let good = try c.sensor.read()
            if c.name == "fma" || c.name == "fx29" { XCTAssertEqual(good.forceNewtons, 20, accuracy: 0.01, c.name) }

            for (fault, expected) in [(I2CFault.nak, I2CError.Kind.deviceAbsent), (.timeout, .timeout)] {
                bus.inject(fault, at: c.address)
                XCTAssertThrowsError(try c.sensor.probe(), "\(c.name) probe \(fault)") {
                    XCTAssertEqual(($0 as? I2CError)?.kind, expected, "\(c.name) probe \(fault)")
                    XCTAssertEqual(($0 as? I2CError)?.address, c.address)
                }
                XCTAssertThrowsError(try c.sensor.read(), "\(c.name) read \(fault)") {
                    XCTAssertEqual(($0 as? I2CError)?.kind, expected, "\(c.name) read \(fault)")
                }
                bus.clearFaults()
            }

            // SDA stuck high (every byte 0xFF): configuration readback (ADCs) or the status bits
            // (digital parts: 11 = diagnostic) must catch it; no plausible force comes back.
            bus.inject(.stuckBits(mask: 0xFF, value: 0xFF), at: c.address)
            XCTAssertThrowsError(try { try c.sensor.probe(); _ = try c.sensor.read() }(), c.name) {
                XCTAssertNotNil($0 as? SensorError, "\(c.name): \($0)")
            }
            bus.clearFaults()
            bus.time.advance(bySeconds: 0.01)
            XCTAssertNoThrow(try c.sensor.probe(), "\(c.name) recovers")
        }
    }
}
