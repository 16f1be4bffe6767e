import XCTest
@testable import Sensors

final class ADS1115Tests: XCTestCase {
    func testDatasheetCodes() {
        // Table "Output codes" (FSR ±2.048 V): 7FFFh = +FS·(2^15−1)/2^15, 0001h = +62.5 µV, 8000h = −FS.
        XCTAssertEqual(ADS1115Conversion.volts(counts: 0x7FFF, range: .fs2_048), 2.048 * 32767 / 32768, accuracy: 1e-12)
        XCTAssertEqual(ADS1115Conversion.volts(counts: 1, range: .fs2_048), 62.5e-6, accuracy: 1e-15)
        XCTAssertEqual(ADS1115Conversion.volts(counts: -32768, range: .fs2_048), -2.048, accuracy: 1e-12)
        XCTAssertEqual(ADS1115Conversion.volts(counts: -1, range: .fs2_048), -62.5e-6, accuracy: 1e-15)
        XCTAssertEqual(ADS1115Conversion.volts(counts: 1, range: .fs0_256), 7.8125e-6, accuracy: 1e-15)
        XCTAssertEqual(ADS1115Conversion.volts(counts: 1, range: .fs6_144), 187.5e-6, accuracy: 1e-15)
        XCTAssertEqual(ADS1115Conversion.counts(volts: 5, range: .fs4_096), 32767)  // clamps
    }

    func testConfigWordMatchesResetValue() {
        // Reset config 0x8583 = OS 1, AIN0−AIN1, ±2.048 V, single-shot, 128 SPS, comparator off.
        let c = ADS1115.Configuration(mux: .ain0MinusAin1, range: .fs2_048, rate: .sps128, mode: .singleShot)
        XCTAssertEqual(ADS1115Conversion.configWord(c, startSingleShot: true), 0x8583)
        let cont = ADS1115.Configuration(mux: .ain2, range: .fs0_256, rate: .sps860, mode: .continuous)
        XCTAssertEqual(ADS1115Conversion.configWord(cont, startSingleShot: false), 0b0110_1010_1110_0011)
    }

    func testThermistorBetaModel() {
        // 10 kΩ NTC with a 10 kΩ series resistor: half the supply at 25 °C.
        XCTAssertEqual(ADS1115Conversion.thermistorCelsius(inputVolts: 1.65, supplyVolts: 3.3, seriesOhms: 10_000,
                                                           ohmsAt25C: 10_000, beta: 3950), 25, accuracy: 1e-9)
        // R = 10k·exp(3950·(1/323.15 − 1/298.15)) at 50 °C.
        let r50 = 10_000 * exp(3950 * (1 / 323.15 - 1 / 298.15))
        let v = 3.3 * r50 / (10_000 + r50)
        XCTAssertEqual(ADS1115Conversion.thermistorCelsius(inputVolts: v, supplyVolts: 3.3, seriesOhms: 10_000,
                                                           ohmsAt25C: 10_000, beta: 3950), 50, accuracy: 1e-9)
    }

    func makeRig(mode: ADS1115.Mode = .continuous) -> (SimulatedI2CBus, SimulatedADS1115, ADS1115) {
        let bus = SimulatedI2CBus(supportsPlainI2C: false)
        let dev = SimulatedADS1115(force: ForceSource(newtons: 10), bridge: BridgeModel(capacityNewtons: 50,
                                   sensitivityMillivoltsPerVolt: 2, zeroBalanceMillivoltsPerVolt: 0))
        bus.attach(dev, at: 0x48)
        let drv = ADS1115(bus: bus, address: 0x48, configuration: .init(range: .fs0_256, rate: .sps860, mode: mode),
                          delay: bus.time.delay)
        return (bus, dev, drv)
    }

    func testProbeWritesAndReadsBackConfigMSBFirst() throws {
        let (bus, dev, drv) = makeRig()
        XCTAssertEqual(dev.register(1), 0x8583)
        try drv.probe()
        XCTAssertEqual(dev.register(1) & 0x7FFF, 0b0000_1010_1110_0011)
        // On the wire: pointer 0x01, then MSB first.
        XCTAssertEqual(bus.trace.first?.bytes, [0x01, 0x0A, 0xE3])
    }

    func testContinuousReadOfBridge() throws {
        let (bus, _, drv) = makeRig()
        try drv.probe()
        bus.time.advance(bySeconds: 0.01)
        let sensor = ADS1115ForceSensor(driver: drv, calibration: .identity)
        let counts = try sensor.read().rawCounts
        // 10 N of 50 N at 2 mV/V, 3.3 V: 1.32 mV / 7.8125 µV = 168.96 counts.
        XCTAssertEqual(counts, 169)
        XCTAssertEqual(ADS1115Conversion.volts(counts: Int16(counts), range: .fs0_256), 1.32e-3, accuracy: 7.9e-6)
    }

    func testSingleShotWaitsForOS() throws {
        let (bus, dev, drv) = makeRig(mode: .singleShot)
        try drv.probe()
        dev.setInputs(ain2Volts: 0.2, ain3Volts: 0)
        let t0 = bus.time.nowSeconds
        let c = try drv.readSingleShot(mux: .ain2)
        XCTAssertEqual(c, 25600)  // 0.2 V / 7.8125 µV
        XCTAssertGreaterThanOrEqual(bus.time.nowSeconds - t0, 1.0 / 860)
    }

    func testThermistorChannelBesideForce() throws {
        let (bus, dev, drv) = makeRig()
        try drv.probe()
        // 10 kΩ NTC (β 3950) at 40 °C below a 10 kΩ series resistor from 3.3 V.
        let r40 = 10_000 * exp(3950 * (1 / 313.15 - 1 / 298.15))
        dev.setInputs(ain2Volts: 3.3 * r40 / (10_000 + r40), ain3Volts: 0)
        let sensor = ADS1115ForceSensor(driver: drv, calibration: .identity, thermistor: ADS1115Thermistor(everyReads: 3),
                                        delay: bus.time.delay)
        bus.time.advance(bySeconds: 0.01)
        let first = try sensor.read()
        XCTAssertEqual(first.temperatureCelsius ?? .nan, 40, accuracy: 0.05)
        XCTAssertEqual(first.rawCounts, 169, "force path restored after the thermistor conversion")
        XCTAssertEqual(dev.register(1) & 0x0100, 0, "back in continuous mode")
        dev.setInputs(ain2Volts: 1.65, ain3Volts: 0)  // 25 °C, seen at the next temperature read
        XCTAssertEqual(try sensor.read().temperatureCelsius ?? .nan, 40, accuracy: 0.05)
        XCTAssertEqual(try sensor.read().temperatureCelsius ?? .nan, 40, accuracy: 0.05)
        XCTAssertEqual(try sensor.read().temperatureCelsius ?? .nan, 25, accuracy: 0.05)
    }

    func testFaults() throws {
        let (bus, _, drv) = makeRig()
        bus.inject(.nak, at: 0x48, transfers: 1)
        XCTAssertThrowsError(try drv.probe()) { XCTAssertEqual(($0 as? I2CError)?.kind, .deviceAbsent) }
        bus.inject(.stuckBits(mask: 0x01, value: 0x00), at: 0x48)
        XCTAssertThrowsError(try drv.probe()) { XCTAssertEqual(($0 as? SensorError)?.kind, .configurationMismatch) }
        bus.inject(.timeout, at: 0x48, transfers: 1)
        XCTAssertThrowsError(try drv.readConversion()) { XCTAssertEqual(($0 as? I2CError)?.kind, .timeout) }
        bus.clearFaults()
        XCTAssertNoThrow(try drv.probe())
        let wrongAddress = ADS1115(bus: bus, address: 0x2A)
        XCTAssertThrowsError(try wrongAddress.probe()) { XCTAssertEqual(($0 as? SensorError)?.kind, .invalidConfiguration) }
    }
}
