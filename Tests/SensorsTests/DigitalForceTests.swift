import XCTest
@testable import Sensors

final class DigitalForceTests: XCTestCase {
    func testFrameDecode() {
        let (status, counts) = DigitalForceFrame.decode(0x9F, 0xFF)
        XCTAssertEqual(status, .stale)
        XCTAssertEqual(counts, 0x1FFF)
        XCTAssertEqual(DigitalForceFrame.decode(0xC0, 0x00).status, .diagnostic)
        XCTAssertEqual(DigitalForceFrame.decode(0x40, 0x00).status, .commandMode)
        XCTAssertEqual(DigitalForceFrame.temperatureCounts(0xFF, 0xE0), 2047)
        let frame = DigitalForceFrame.encode(status: .normal, counts: 8192, temperatureCounts: 768)
        XCTAssertEqual(DigitalForceFrame.decode(frame[0], frame[1]).counts, 8192)
        XCTAssertEqual(DigitalForceFrame.temperatureCounts(frame[2], frame[3]), 768)
    }

    func testFMATransferFunctions() {
        let p10 = HoneywellFMA.Part(rangeNewtons: 25, transferFunction: .tenToNinetyPercent)
        XCTAssertEqual(HoneywellFMA.forceNewtons(counts: 1638, part: p10), 0)       // 10 % of 2^14
        XCTAssertEqual(HoneywellFMA.forceNewtons(counts: 14745, part: p10), 25)     // 90 % of 2^14
        XCTAssertEqual(HoneywellFMA.forceNewtons(counts: 8191.5, part: p10), 12.5, accuracy: 1e-12)
        let p20 = HoneywellFMA.Part(rangeNewtons: 5, transferFunction: .twentyToEightyPercent)
        XCTAssertEqual(HoneywellFMA.forceNewtons(counts: 3277, part: p20), 0)       // 20 %
        XCTAssertEqual(HoneywellFMA.forceNewtons(counts: 13107, part: p20), 5)      // 80 %
        XCTAssertEqual(HoneywellFMA.temperatureCelsius(counts: 0), -50)
        XCTAssertEqual(HoneywellFMA.temperatureCelsius(counts: 2047), 150)
        XCTAssertEqual(HoneywellFMA.temperatureCelsius(counts: 1024), 50.05, accuracy: 0.01)
    }

    func testFX29Scaling() {
        XCTAssertEqual(TEFX29.forceNewtons(counts: 1000, rangeNewtons: 100), 0)
        XCTAssertEqual(TEFX29.forceNewtons(counts: 15000, rangeNewtons: 100), 100)
        XCTAssertEqual(TEFX29.forceNewtons(counts: 8000, rangeNewtons: 44.48), 22.24, accuracy: 1e-9)
    }

    func testFMAReadAndStatuses() throws {
        let bus = SimulatedI2CBus()
        let part = HoneywellFMA.Part(rangeNewtons: 25, transferFunction: .twentyToEightyPercent)
        let dev = SimulatedDigitalForceSensor(model: .fma(part), force: ForceSource(newtons: 12.5), temperatureCelsius: 31)
        bus.attach(dev, at: 0x28)
        let sensor = HoneywellFMASensor(bus: bus, part: part, delay: bus.time.delay)
        bus.time.advance(bySeconds: 0.01)
        try sensor.probe()
        bus.time.advance(bySeconds: 0.01)
        let r = try sensor.read()
        XCTAssertEqual(r.forceNewtons, 12.5, accuracy: 25.0 / 9830)  // one count
        XCTAssertEqual(r.temperatureCelsius ?? .nan, 31, accuracy: 0.1)
        // Immediate re-read: stale, retried after a delay (which moves simulated time) and then fresh.
        let t0 = bus.time.nowSeconds
        _ = try sensor.read()
        XCTAssertGreaterThan(bus.time.nowSeconds, t0)
        dev.force(status: .diagnostic)
        XCTAssertThrowsError(try sensor.read()) { XCTAssertEqual(($0 as? SensorError)?.kind, .diagnosticFault) }
        dev.force(status: .commandMode)
        XCTAssertThrowsError(try sensor.read()) { XCTAssertEqual(($0 as? SensorError)?.kind, .commandMode) }
        dev.force(status: .stale)
        XCTAssertThrowsError(try sensor.read()) { XCTAssertEqual(($0 as? SensorError)?.kind, .staleData) }
        dev.force(status: nil)
        bus.inject(.nak, at: 0x28, transfers: 1)
        XCTAssertThrowsError(try sensor.read()) { XCTAssertEqual(($0 as? I2CError)?.kind, .deviceAbsent) }
        bus.inject(.stuckBits(mask: 0xC0, value: 0xC0), at: 0x28, transfers: 1)  // status lines stuck high
        XCTAssertThrowsError(try sensor.read()) { XCTAssertEqual(($0 as? SensorError)?.kind, .diagnosticFault) }
        // The driver never writes to the part (a write would be a command).
        XCTAssertFalse(bus.trace.contains { $0.direction == .write && !$0.bytes.isEmpty })
    }

    func testFX29ReadAndSMBusOnlyAdapter() throws {
        let bus = SimulatedI2CBus()
        let dev = SimulatedDigitalForceSensor(model: .fx29(rangeNewtons: 100), force: ForceSource(newtons: 31.4))
        bus.attach(dev, at: 0x28)
        let sensor = TEFX29Sensor(bus: bus, rangeNewtons: 100, delay: bus.time.delay)
        bus.time.advance(bySeconds: 0.01)
        let r = try sensor.read()
        XCTAssertEqual(r.rawCounts, 5396)  // 1000 + 31.4/100 · 14000
        XCTAssertEqual(r.forceNewtons, 31.4, accuracy: 100.0 / 14000)
        XCTAssertNil(r.temperatureCelsius)
        bus.inject(.timeout, at: 0x28, transfers: 1)
        XCTAssertThrowsError(try sensor.read()) { XCTAssertEqual(($0 as? I2CError)?.kind, .timeout) }
        let smbusOnly = SimulatedI2CBus(supportsPlainI2C: false)
        smbusOnly.attach(dev, at: 0x28)
        XCTAssertThrowsError(try TEFX29Sensor(bus: smbusOnly).read()) { XCTAssertEqual(($0 as? I2CError)?.kind, .unsupported) }
    }
}
