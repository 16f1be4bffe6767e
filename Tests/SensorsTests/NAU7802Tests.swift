import XCTest
@testable import Sensors

final class NAU7802ConversionTests: XCTestCase {
    func testTwosComplementADCO() {
        XCTAssertEqual(NAU7802Conversion.counts(b2: 0x7F, b1: 0xFF, b0: 0xFF), 8_388_607)
        XCTAssertEqual(NAU7802Conversion.counts(b2: 0x80, b1: 0x00, b0: 0x00), -8_388_608)
        XCTAssertEqual(NAU7802Conversion.counts(b2: 0xFF, b1: 0xFF, b0: 0xFF), -1)
        XCTAssertEqual(NAU7802Conversion.counts(b2: 0x00, b1: 0x00, b0: 0x01), 1)
        XCTAssertEqual(NAU7802Conversion.counts(b2: 0x12, b1: 0x34, b0: 0x56), 0x123456)
        for c: Int32 in [-8_388_608, -1, 0, 1, 123_456, 8_388_607] {
            let b = NAU7802Conversion.bytes(counts: c)
            XCTAssertEqual(NAU7802Conversion.counts(b2: b[0], b1: b[1], b0: b[2]), c)
        }
        XCTAssertEqual(NAU7802Conversion.bytes(counts: 9_000_000), [0x7F, 0xFF, 0xFF])  // clamps
    }

    func testFullScaleIsHalfVREFOverGain() {
        // ±0.5·VREF/gain: at VREF 3.3 V, gain 1 → ±1.65 V; gain 128 → ±12.89 mV.
        XCTAssertEqual(NAU7802Conversion.volts(counts: -8_388_608, gain: 1, referenceVolts: 3.3), -1.65, accuracy: 1e-12)
        XCTAssertEqual(NAU7802Conversion.volts(counts: 8_388_607, gain: 128, referenceVolts: 3.3), 0.0128906, accuracy: 1e-7)
        XCTAssertEqual(NAU7802Conversion.counts(volts: 0.825, gain: 1, referenceVolts: 3.3), 4_194_304)
        XCTAssertEqual(NAU7802Conversion.counts(volts: 1.0, gain: 128, referenceVolts: 3.3), 8_388_607)  // saturates
    }

    func testTemperatureSensorTypicals() {
        XCTAssertEqual(NAU7802Conversion.temperatureCelsius(sensorVolts: 0.109), 25, accuracy: 1e-9)
        XCTAssertEqual(NAU7802Conversion.temperatureCelsius(sensorVolts: 0.109 + 0.0036), 35, accuracy: 1e-9)
        XCTAssertEqual(NAU7802Conversion.temperatureCelsius(sensorVolts: 0.109 - 0.009), 0, accuracy: 1e-9)
    }

    func testBridgeCountsRatiometric() {
        // 2 mV/V at full scale, gain 128: 0.002 · 128 · 2^24 counts, whatever the excitation.
        let npc = NAU7802Conversion.newtonsPerCount(capacityNewtons: 50, sensitivityMillivoltsPerVolt: 2, gain: 128)
        XCTAssertEqual(50 / npc, 0.002 * 128 * 16_777_216, accuracy: 1e-6)
        let v = NAU7802Conversion.bridgeVolts(forceNewtons: 25, capacityNewtons: 50, sensitivityMillivoltsPerVolt: 2,
                                              excitationVolts: 3.3)
        XCTAssertEqual(v, 3.3e-3, accuracy: 1e-12)
    }
}

final class NAU7802DriverTests: XCTestCase {
    struct Rig {
        let bus: SimulatedI2CBus
        let device: SimulatedNAU7802
        let driver: NAU7802
    }

    func makeRig(gain: NAU7802.Gain = .x128, rate: NAU7802.SampleRate = .sps320, noise: Double = 0,
                 plainI2C: Bool = false) -> Rig {
        let bus = SimulatedI2CBus(supportsPlainI2C: plainI2C)  // SMBus-only, like i2c-stub
        let device = SimulatedNAU7802(force: ForceSource(newtons: 0), noiseCounts: noise)
        bus.attach(device, at: 0x2A)
        let driver = NAU7802(bus: bus, configuration: .init(gain: gain, rate: rate, ldo: .v3_3), delay: bus.time.delay)
        return Rig(bus: bus, device: device, driver: driver)
    }

    func testProbeFollowsPowerUpSequenceAndReadsBackConfiguration() throws {
        let rig = makeRig()
        try rig.driver.probe()
        let writes = rig.bus.trace.filter { $0.direction == .write && $0.bytes.count == 2 && $0.bytes[0] == 0x00 }
            .map { $0.bytes[1] }
        // RR, then RR cleared, PUD, PUD|PUA, ... and finally CS set.
        XCTAssertEqual(Array(writes.prefix(4)), [0x01, 0x00, 0x02, 0x06])
        let pu = rig.device.register(NAU7802Register.puCtrl)
        XCTAssertEqual(pu & 0b1001_0110, 0b1001_0110, "PUD, PUA, CS, AVDDS set: 0x\(String(pu, radix: 16))")
        XCTAssertEqual(rig.device.register(NAU7802Register.ctrl1), 0b0010_0111)  // 3.3 V LDO (100), gain 128
        XCTAssertEqual(rig.device.register(NAU7802Register.ctrl2) >> 4, 0b111)  // 320 SPS
        XCTAssertEqual(rig.device.register(NAU7802Register.ctrl2) & 0b1100, 0)  // CALS done, no CAL_ERR
        // Calibration stored the part's offset (30 µV at gain 128, VREF 3.3 → ~19 500 counts).
        let ocal = NAU7802Conversion.counts(b2: rig.device.register(3), b1: rig.device.register(4), b0: rig.device.register(5))
        XCTAssertEqual(Double(ocal), 30e-6 * 128 / 3.3 * 16_777_216, accuracy: 2)
    }

    func testForceReadThroughNominalCalibration() throws {
        let rig = makeRig()
        try rig.driver.probe()
        let zero = try rig.driver.waitAndReadCounts()
        // Bridge zero balance 0.05 mV/V shows as offset; tare removes it.
        let npc = NAU7802Conversion.newtonsPerCount(capacityNewtons: 50, sensitivityMillivoltsPerVolt: 2, gain: 128)
        let cal = Calibration(offsetCounts: Double(zero), newtonsPerCount: npc)
        rig.device.force.set(newtons: 31.4)
        let sensor = NAU7802ForceSensor(driver: rig.driver, calibration: cal)
        let reading = try sensor.read()
        XCTAssertEqual(reading.forceNewtons, 31.4, accuracy: 0.001)
        XCTAssertEqual(Double(reading.rawCounts - zero), 31.4 / npc, accuracy: 1.5)
    }

    func testEachReadWaitsForAFreshConversion() throws {
        let rig = makeRig()
        try rig.driver.probe()
        let t0 = rig.bus.time.nowSeconds
        for _ in 0..<10 { _ = try rig.driver.waitAndReadCounts() }
        // Ten fresh conversions at 320 SPS take at least 9 periods of (simulated) time.
        XCTAssertGreaterThanOrEqual(rig.bus.time.nowSeconds - t0, 9.0 / 320)
        XCTAssertFalse(try rig.driver.isConversionReady())
    }

    func testReadsSleepUntilTheNextConversionInsteadOfPollingAllPeriod() throws {
        let rig = makeRig(rate: .sps80)
        try rig.driver.probe()
        _ = try rig.driver.waitAndReadCounts()
        rig.bus.clearTrace()
        for _ in 0..<20 { _ = try rig.driver.waitAndReadCounts() }
        let crPolls = rig.bus.trace.filter { $0.direction == .write && $0.bytes == [NAU7802Register.puCtrl] }.count
        XCTAssertGreaterThanOrEqual(crPolls, 20)
        XCTAssertLessThanOrEqual(crPolls, 60, "about 1–3 CR polls per conversion, not 16")
    }

    func testGainChangeWithoutRecalibrationLeavesOffsetAndSetGainRemovesIt() throws {
        let rig = makeRig(gain: .x64)
        try rig.driver.probe()
        let calibrated = try rig.driver.waitAndReadCounts()
        // Change gain behind the driver's back (no CALS): the part's offset is now wrong.
        try rig.bus.writeByteData(address: 0x2A, register: NAU7802Register.ctrl1, value: 0b0010_0111)
        let uncalibrated = try rig.driver.waitAndReadCounts()
        try rig.driver.setGain(.x128)
        let recalibrated = try rig.driver.waitAndReadCounts()
        let zeroBalance128 = Double(calibrated) * 2  // only the bridge's zero balance remains, doubled by gain
        XCTAssertEqual(Double(recalibrated), zeroBalance128, accuracy: 3)
        XCTAssertGreaterThan(abs(Double(uncalibrated) - zeroBalance128), 9000)
    }

    func testInternalTemperatureSensor() throws {
        let rig = makeRig()
        try rig.driver.probe()
        rig.device.setTemperature(celsius: 41.5)
        XCTAssertEqual(try rig.driver.readTemperatureCelsius(), 41.5, accuracy: 0.05)
        // Afterwards the force path is back: gain 128, TS off.
        XCTAssertEqual(rig.device.register(NAU7802Register.ctrl1) & 0x07, 0x07)
        XCTAssertEqual(rig.device.register(NAU7802Register.i2cCtrl) & NAU7802Register.ts, 0)
    }

    func testReadOnDRDYEdgeCarriesTheKernelTimestamp() throws {
        let rig = makeRig()
        try rig.driver.probe()
        let gpio = SimulatedGPIO(nanoseconds: { 5_000_000_123 })
        gpio.addLine(offset: 4, name: "nau-drdy")
        let drdy = try gpio.request(.name("nau-drdy"), mode: .bothEdges, consumer: "test")
        rig.bus.time.advance(bySeconds: 0.01)  // a conversion is waiting
        gpio.drive(.name("nau-drdy"), to: true)
        let (counts, edge) = try rig.driver.readCountsOnDataReady(drdy: drdy)
        XCTAssertEqual(edge.timestampNanoseconds, 5_000_000_123)
        XCTAssertEqual(edge.edge, .rising)
        XCTAssertEqual(Double(counts), 0.05e-3 * 128 * 16_777_216, accuracy: 2)  // bridge zero balance
        // A falling edge alone is not data ready: times out as notReady.
        gpio.drive(.name("nau-drdy"), to: false)
        XCTAssertThrowsError(try rig.driver.readCountsOnDataReady(drdy: drdy, timeoutPeriods: 0.5)) {
            XCTAssertEqual(($0 as? SensorError)?.kind, .notReady)
        }
    }

    func testAverageRawCountsForTare() throws {
        let rig = makeRig()
        try rig.driver.probe()
        rig.device.force.set(newtons: 0)
        let sensor = NAU7802ForceSensor(driver: rig.driver, calibration: .identity)
        let zero = try averageRawCounts(of: sensor, reads: 8)
        XCTAssertEqual(zero, 0.05e-3 * 128 * 16_777_216, accuracy: 2)
        let tared = Calibration.identity.tared(zeroCounts: zero)
        XCTAssertEqual(tared.forceNewtons(counts: zero), 0)
    }

    func testProbeRejectsAPartWithoutTheRevisionNibble() {
        let bus = SimulatedI2CBus()
        bus.attach(RegisterMapDevice(), at: 0x2A)
        let driver = NAU7802(bus: bus, delay: bus.time.delay)
        XCTAssertThrowsError(try driver.probe()) { XCTAssertEqual(($0 as? SensorError)?.kind, .identityMismatch) }
    }

    func testProbeFaults() {
        let rig = makeRig()
        rig.bus.inject(.nak, at: 0x2A)
        XCTAssertThrowsError(try rig.driver.probe()) { XCTAssertEqual(($0 as? I2CError)?.kind, .deviceAbsent) }
        rig.bus.inject(.timeout, at: 0x2A)
        XCTAssertThrowsError(try rig.driver.probe()) { XCTAssertEqual(($0 as? I2CError)?.kind, .timeout) }
        // Bit 3 stuck low (PUR in PU_CTRL) also corrupts REVISION's 0xF nibble: caught by identity.
        rig.bus.inject(.stuckBits(mask: NAU7802Register.pur, value: 0), at: 0x2A)
        XCTAssertThrowsError(try rig.driver.probe()) { XCTAssertEqual(($0 as? SensorError)?.kind, .identityMismatch) }
        // Bit 1 stuck low: PUD never reads back, so CTRL1's readback or power-up fails.
        rig.bus.inject(.stuckBits(mask: 0x02, value: 0), at: 0x2A)
        XCTAssertThrowsError(try rig.driver.probe()) { XCTAssertNotNil($0 as? SensorError) }
        rig.bus.clearFaults()
        XCTAssertNoThrow(try rig.driver.probe())
    }

    func testReadFaults() throws {
        let rig = makeRig()
        try rig.driver.probe()
        rig.bus.inject(.timeout, at: 0x2A, transfers: 1)
        XCTAssertThrowsError(try rig.driver.waitAndReadCounts()) { XCTAssertEqual(($0 as? I2CError)?.kind, .timeout) }
        // CR stuck low: no conversion is ever seen as ready.
        rig.bus.inject(.stuckBits(mask: NAU7802Register.cr, value: 0), at: 0x2A)
        XCTAssertThrowsError(try rig.driver.waitAndReadCounts()) { XCTAssertEqual(($0 as? SensorError)?.kind, .notReady) }
        rig.bus.clearFaults()
        XCTAssertNoThrow(try rig.driver.waitAndReadCounts())
    }

    func testCalibrationErrorIsReported() throws {
        let rig = makeRig()
        try rig.driver.reset()  // not powered: CALS fails with CAL_ERR
        XCTAssertThrowsError(try rig.driver.calibrateOffset()) {
            XCTAssertEqual(($0 as? SensorError)?.kind, .calibrationFailed)
        }
    }
}
