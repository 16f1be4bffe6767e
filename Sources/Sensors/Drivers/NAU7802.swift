// Nuvoton NAU7802 — 24-bit dual-channel ΣΔ ADC for bridge sensors, I2C address 0x2A (fixed).
// Datasheet: Nuvoton "NAU7802 24-Bit Dual-Channel ADC For Bridge Sensors" (Rev 1.7 / 2.x).
//
// Registers used (one byte each, register pointer auto-increments):
//   0x00 PU_CTRL   RR(0) PUD(1) PUA(2) PUR(3, ro) CS(4) CR(5, ro) OSCS(6) AVDDS(7)
//   0x01 CTRL1     GAINS(2:0) VLDO(5:3) DRDY_SEL(6) CRP(7)
//   0x02 CTRL2     CALMOD(1:0) CALS(2) CAL_ERR(3) CRS(6:4) CHS(7)
//   0x03-0x05 OCAL1 (channel 1 offset calibration, B2..B0)
//   0x11 I2C_CTRL  BGPCP(0) TS(1, temperature sensor to PGA) ...
//   0x12-0x14 ADCO B2..B0  conversion result, 24-bit two's complement, MSB first
//   0x15 ADC       REG_CHPS(5:4) = 0b11 turns the chopper clock off (recommended setting)
//   0x1B PGA       PGACHPDIS(0) ... LDOMODE(6)
//   0x1C PWR_CTRL  PGA_CAP_EN(7): decoupling capacitor on VIN2 for single-channel use
//   0x1F REVISION  low nibble reads 0xF (the only identity the part has)
//
// Power-up (datasheet §9.1): RR=1, RR=0 with PUD=1, PUA=1, wait for PUR, configure,
// CS=1 to start conversions, then internal offset calibration (CALMOD=00, CALS=1, wait for
// CALS=0, check CAL_ERR). The datasheet asks for recalibration after gain or rate changes.
// Full-scale differential input is ±0.5·VREF/gain, so one count is VREF/(gain·2^24).
// Internal temperature sensor (TS=1): typically 109 mV at 25 °C, +360 µV/°C; read at gain 1.

/// NAU7802 register addresses and bits.
public enum NAU7802Register {
    public static let puCtrl: UInt8 = 0x00
    public static let ctrl1: UInt8 = 0x01
    public static let ctrl2: UInt8 = 0x02
    public static let ocal1B2: UInt8 = 0x03
    public static let i2cCtrl: UInt8 = 0x11
    public static let adcoB2: UInt8 = 0x12
    public static let adc: UInt8 = 0x15
    public static let pga: UInt8 = 0x1B
    public static let powerCtrl: UInt8 = 0x1C
    public static let revision: UInt8 = 0x1F

    // PU_CTRL bits
    public static let rr: UInt8 = 1 << 0
    public static let pud: UInt8 = 1 << 1
    public static let pua: UInt8 = 1 << 2
    public static let pur: UInt8 = 1 << 3
    public static let cs: UInt8 = 1 << 4
    public static let cr: UInt8 = 1 << 5
    public static let avdds: UInt8 = 1 << 7
    // CTRL2 bits
    public static let calsBit: UInt8 = 1 << 2
    public static let calErr: UInt8 = 1 << 3
    public static let calmodMask: UInt8 = 0b11
    public static let crsShift: UInt8 = 4
    public static let crsMask: UInt8 = 0b0111_0000
    public static let chs: UInt8 = 1 << 7
    // CTRL1 fields
    public static let gainMask: UInt8 = 0b0000_0111
    public static let vldoShift: UInt8 = 3
    public static let vldoMask: UInt8 = 0b0011_1000
    // I2C_CTRL bits
    public static let ts: UInt8 = 1 << 1
    // ADC register: REG_CHPS
    public static let regChpsOff: UInt8 = 0b0011_0000
    // PGA register
    public static let pgaChopperDisable: UInt8 = 1 << 0
    // POWER_CTRL
    public static let pgaCapEnable: UInt8 = 1 << 7
}

/// Pure NAU7802 conversions (no I/O): tested with datasheet numbers.
public enum NAU7802Conversion {
    /// 2^23: the positive full-scale count + 1.
    public static let fullScaleCounts: Double = 8_388_608

    /// ADCO bytes (B2 = MSB) → signed counts (24-bit two's complement, sign-extended).
    public static func counts(b2: UInt8, b1: UInt8, b0: UInt8) -> Int32 {
        let raw = UInt32(b2) << 16 | UInt32(b1) << 8 | UInt32(b0)
        return Int32(bitPattern: raw << 8) >> 8
    }

    /// Signed counts → the three ADCO bytes, clamping to the 24-bit range.
    public static func bytes(counts: Int32) -> [UInt8] {
        let c = min(max(counts, -8_388_608), 8_388_607)
        let u = UInt32(bitPattern: c)
        return [UInt8(truncatingIfNeeded: u >> 16), UInt8(truncatingIfNeeded: u >> 8), UInt8(truncatingIfNeeded: u)]
    }

    /// Counts → differential input volts: full scale ±0.5·VREF/gain ↔ ±2^23.
    public static func volts(counts: Int32, gain: Int, referenceVolts: Double) -> Double {
        Double(counts) * 0.5 * referenceVolts / (Double(gain) * fullScaleCounts)
    }

    /// Differential input volts → counts (rounded, clamped to 24 bits).
    public static func counts(volts: Double, gain: Int, referenceVolts: Double) -> Int32 {
        let c = (volts * Double(gain) * fullScaleCounts / (0.5 * referenceVolts)).rounded()
        return Int32(min(max(c, -fullScaleCounts), fullScaleCounts - 1))
    }

    /// Temperature-sensor volts at 25 °C (datasheet typical).
    public static let temperatureSensorVoltsAt25C = 0.109
    /// Temperature-sensor slope in volts per °C (datasheet typical).
    public static let temperatureSensorVoltsPerCelsius = 360e-6

    /// Temperature-sensor volts → °C (typical; absolute accuracy needs a one-point trim).
    public static func temperatureCelsius(sensorVolts: Double) -> Double {
        25 + (sensorVolts - temperatureSensorVoltsAt25C) / temperatureSensorVoltsPerCelsius
    }

    /// Bridge output volts for a force: ratiometric, `sensitivity` mV/V at `capacity` N.
    public static func bridgeVolts(forceNewtons: Double, capacityNewtons: Double,
                                   sensitivityMillivoltsPerVolt: Double, excitationVolts: Double) -> Double {
        forceNewtons / capacityNewtons * sensitivityMillivoltsPerVolt * 1e-3 * excitationVolts
    }

    /// Newtons per count for a ratiometric bridge (excitation = VREF): the nominal
    /// calibration before any real calibration is done.
    public static func newtonsPerCount(capacityNewtons: Double, sensitivityMillivoltsPerVolt: Double,
                                       gain: Int) -> Double {
        // counts = F/cap · S·1e-3 · gain · 2^24 (VREF cancels)
        capacityNewtons / (sensitivityMillivoltsPerVolt * 1e-3 * Double(gain) * 2 * fullScaleCounts)
    }
}

/// The NAU7802 driver over any `I2CBus` (SMBus byte and I2C-block reads only, so it
/// runs on SMBus-only adapters such as i2c-stub).
public final class NAU7802: Sendable {
    public enum Gain: UInt8, Sendable, CaseIterable, Codable {
        case x1 = 0, x2, x4, x8, x16, x32, x64, x128
        public var factor: Int { 1 << Int(rawValue) }
    }

    /// Internal LDO output (AVDD and the reference when AVDDS=1).
    public enum LDOVoltage: UInt8, Sendable, CaseIterable, Codable {
        case v4_5 = 0, v4_2, v3_9, v3_6, v3_3, v3_0, v2_7, v2_4
        public var volts: Double { 4.5 - 0.3 * Double(rawValue) }
    }

    /// Conversion rate (CRS field); 320 SPS is code 0b111.
    public enum SampleRate: UInt8, Sendable, CaseIterable, Codable {
        case sps10 = 0, sps20 = 1, sps40 = 2, sps80 = 3, sps320 = 7
        public var hertz: Double {
            switch self {
            case .sps10: 10
            case .sps20: 20
            case .sps40: 40
            case .sps80: 80
            case .sps320: 320
            }
        }
    }

    public struct Configuration: Sendable, Equatable, Codable {
        public var gain: Gain
        public var rate: SampleRate
        /// Internal LDO voltage; nil means AVDD comes from outside (`externalAVDDVolts`).
        public var ldo: LDOVoltage?
        public var externalAVDDVolts: Double
        /// Input channel 1 or 2.
        public var channel: Int

        public init(gain: Gain = .x128, rate: SampleRate = .sps80, ldo: LDOVoltage? = .v3_3,
                    externalAVDDVolts: Double = 3.3, channel: Int = 1) {
            self.gain = gain
            self.rate = rate
            self.ldo = ldo
            self.externalAVDDVolts = externalAVDDVolts
            self.channel = channel
        }

        /// The reference voltage conversions are relative to.
        public var referenceVolts: Double { ldo?.volts ?? externalAVDDVolts }
    }

    public static let defaultAddress: UInt8 = 0x2A
    public let bus: any I2CBus
    public let address: UInt8
    private let delay: Delay
    private let state: Locked<Configuration>
    private var config: Configuration { state.current }
    /// When CR was last seen set (Delay's clock), to sleep until the next conversion is due
    /// instead of polling the bus all period long.
    private let lastReadySeconds = Locked<Double?>(nil)

    public init(bus: any I2CBus, address: UInt8 = NAU7802.defaultAddress,
                configuration: Configuration = Configuration(), delay: Delay = .system) {
        self.bus = bus
        self.address = address
        self.state = Locked(configuration)
        self.delay = delay
    }

    public var configuration: Configuration { config }

    private func error(_ kind: SensorError.Kind, _ detail: String) -> SensorError {
        SensorError(kind, chip: "NAU7802", bus: bus.name, address: address, detail: detail)
    }

    private func read(_ register: UInt8) throws -> UInt8 {
        try bus.readByteData(address: address, register: register)
    }

    private func write(_ register: UInt8, _ value: UInt8) throws {
        try bus.writeByteData(address: address, register: register, value: value)
    }

    /// Identity check (REVISION low nibble 0xF), reset, power-up, configuration with
    /// readback, start of conversions and internal offset calibration.
    public func probe() throws {
        let revision = try read(NAU7802Register.revision)
        guard revision & 0x0F == 0x0F else {
            throw error(.identityMismatch, "REVISION register 0x1F reads 0x\(hex(revision)), expected low nibble 0xF")
        }
        try reset()
        try powerUp()
        try configure()
        try startConversions()
        try calibrateOffset()
    }

    /// Register reset: RR=1 then RR=0 (all registers back to defaults).
    public func reset() throws {
        try write(NAU7802Register.puCtrl, NAU7802Register.rr)
        try write(NAU7802Register.puCtrl, 0)
    }

    /// PUD and PUA on, then wait (≤ 10 ms) for PUR.
    public func powerUp() throws {
        try write(NAU7802Register.puCtrl, NAU7802Register.pud)
        try write(NAU7802Register.puCtrl, NAU7802Register.pud | NAU7802Register.pua)
        for _ in 0..<20 {
            delay.sleep(0.0005)
            if try read(NAU7802Register.puCtrl) & NAU7802Register.pur != 0 { return }
        }
        throw error(.notReady, "PUR (power-up ready) did not set within 10 ms of PUD|PUA")
    }

    /// Writes gain, LDO, rate, channel and the recommended analog settings; reads back CTRL1/CTRL2.
    public func configure() throws {
        guard config.channel == 1 || config.channel == 2 else {
            throw error(.invalidConfiguration, "channel \(config.channel) (must be 1 or 2)")
        }
        let ctrl1 = config.gain.rawValue | ((config.ldo?.rawValue ?? 0) << NAU7802Register.vldoShift)
        try write(NAU7802Register.ctrl1, ctrl1)
        var pu = try read(NAU7802Register.puCtrl)
        pu = config.ldo == nil ? (pu & ~NAU7802Register.avdds) : (pu | NAU7802Register.avdds)
        try write(NAU7802Register.puCtrl, pu)
        let ctrl2 = (config.rate.rawValue << NAU7802Register.crsShift) | (config.channel == 2 ? NAU7802Register.chs : 0)
        try write(NAU7802Register.ctrl2, ctrl2)
        // Chopper clock off and PGA chopper disabled: the settings Nuvoton recommends for low noise.
        try bus.updateByteData(address: address, register: NAU7802Register.adc,
                               mask: NAU7802Register.regChpsOff, bits: NAU7802Register.regChpsOff)
        try bus.updateByteData(address: address, register: NAU7802Register.pga,
                               mask: NAU7802Register.pgaChopperDisable, bits: NAU7802Register.pgaChopperDisable)
        // Channel 1 alone: the VIN2 capacitor improves noise.
        try bus.updateByteData(address: address, register: NAU7802Register.powerCtrl,
                               mask: NAU7802Register.pgaCapEnable,
                               bits: config.channel == 1 ? NAU7802Register.pgaCapEnable : 0)
        let back1 = try read(NAU7802Register.ctrl1)
        let back2 = try read(NAU7802Register.ctrl2)
        guard back1 == ctrl1, back2 & (NAU7802Register.crsMask | NAU7802Register.chs) == ctrl2 else {
            throw error(.configurationMismatch,
                        "wrote CTRL1=0x\(hex(ctrl1)) CTRL2=0x\(hex(ctrl2)), read back 0x\(hex(back1)) 0x\(hex(back2))")
        }
    }

    /// CS=1: start continuous conversions.
    public func startConversions() throws {
        try bus.updateByteData(address: address, register: NAU7802Register.puCtrl,
                               mask: NAU7802Register.cs, bits: NAU7802Register.cs)
    }

    /// Internal offset calibration (CALMOD=00, CALS=1); waits up to ~6 conversion periods for CALS=0.
    public func calibrateOffset() throws {
        var ctrl2 = try read(NAU7802Register.ctrl2)
        ctrl2 = (ctrl2 & ~(NAU7802Register.calmodMask | NAU7802Register.calErr)) | NAU7802Register.calsBit
        try write(NAU7802Register.ctrl2, ctrl2)
        lastReadySeconds.withLock { $0 = nil }
        let period = 1 / config.rate.hertz
        for _ in 0..<48 {
            delay.sleep(period / 8)
            let status = try read(NAU7802Register.ctrl2)
            if status & NAU7802Register.calsBit == 0 {
                if status & NAU7802Register.calErr != 0 {
                    throw error(.calibrationFailed, "CAL_ERR set after internal offset calibration")
                }
                return
            }
        }
        throw error(.notReady, "offset calibration (CALS) did not finish within 6 conversion periods")
    }

    /// Changes the gain and recalibrates (the datasheet requires it).
    public func setGain(_ gain: Gain) throws {
        state.withLock { $0.gain = gain }
        try bus.updateByteData(address: address, register: NAU7802Register.ctrl1,
                               mask: NAU7802Register.gainMask, bits: gain.rawValue)
        try calibrateOffset()
    }

    /// Changes the conversion rate and recalibrates.
    public func setRate(_ rate: SampleRate) throws {
        state.withLock { $0.rate = rate }
        try bus.updateByteData(address: address, register: NAU7802Register.ctrl2, mask: NAU7802Register.crsMask,
                               bits: rate.rawValue << NAU7802Register.crsShift)
        try calibrateOffset()
    }

    /// CR: a new conversion is waiting in ADCO.
    public func isConversionReady() throws -> Bool {
        try read(NAU7802Register.puCtrl) & NAU7802Register.cr != 0
    }

    /// Reads ADCO (one 3-byte I2C-block read from 0x12) as signed counts. Reading clears CR.
    public func readRawCounts() throws -> Int32 {
        let b = try bus.readBlockData(address: address, register: NAU7802Register.adcoB2, count: 3)
        return NAU7802Conversion.counts(b2: b[0], b1: b[1], b0: b[2])
    }

    /// Waits for CR and reads ADCO. If a conversion was seen recently, first sleeps until the
    /// next one is due (one period after it, less 5 %), then polls every 1/16 period, for at
    /// most `periods` periods in all; so a read costs one or two bus polls, not one per poll tick.
    public func waitAndReadCounts(periods: Double = 2.5) throws -> Int32 {
        let period = 1 / config.rate.hertz
        let start = delay.nowSeconds()
        if let last = lastReadySeconds.current {
            let due = last + period * 0.95 - start
            if due > 0 && due < period { delay.sleep(due) }
        }
        let polls = Int(periods * 16)
        for _ in 0...polls {
            if try isConversionReady() {
                lastReadySeconds.withLock { $0 = delay.nowSeconds() }
                return try readRawCounts()
            }
            delay.sleep(period / 16)
        }
        lastReadySeconds.withLock { $0 = nil }
        throw error(.notReady, "CR (cycle ready) not set within \(periods) conversion periods at \(config.rate.hertz) SPS")
    }

    /// Waits for the DRDY pin's rising edge (CTRL1 DRDY_SEL=0: the pin signals conversion
    /// ready) on a line requested with `.bothEdges`, then reads ADCO. Returns the counts and the
    /// kernel's edge timestamp (CLOCK_MONOTONIC), which times the sample better than the read.
    public func readCountsOnDataReady(drdy: any GPIOLine, timeoutPeriods: Double = 2.5) throws
        -> (counts: Int32, edge: GPIOEdgeEvent) {
        let timeout = timeoutPeriods / config.rate.hertz
        let deadline = delay.nowSeconds() + timeout
        while true {
            let remaining = deadline - delay.nowSeconds()
            guard remaining > 0, let event = try drdy.waitForEdge(timeoutSeconds: remaining) else {
                throw error(.notReady, "no DRDY rising edge on \(drdy.spec) within \(timeoutPeriods) conversion periods")
            }
            if event.edge == .rising { return (try readRawCounts(), event) }
        }
    }

    /// Internal temperature sensor: TS=1 at gain 1 with its own offset calibration (the
    /// force channel's calibration is for another gain), then gain and input restored and
    /// recalibrated, so the next force reading is clean. Costs about 8 conversion periods.
    public func readTemperatureCelsius() throws -> Double {
        let savedCtrl1 = try read(NAU7802Register.ctrl1)
        try write(NAU7802Register.ctrl1, savedCtrl1 & ~NAU7802Register.gainMask)
        try bus.updateByteData(address: address, register: NAU7802Register.i2cCtrl,
                               mask: NAU7802Register.ts, bits: NAU7802Register.ts)
        try calibrateOffset()
        let counts = try waitAndReadCounts()
        try bus.updateByteData(address: address, register: NAU7802Register.i2cCtrl, mask: NAU7802Register.ts, bits: 0)
        try write(NAU7802Register.ctrl1, savedCtrl1)
        try calibrateOffset()
        let volts = NAU7802Conversion.volts(counts: counts, gain: 1, referenceVolts: config.referenceVolts)
        return NAU7802Conversion.temperatureCelsius(sensorVolts: volts)
    }
}

/// NAU7802 as a `ForceSensor`: counts through a `Calibration`; temperature every
/// `temperatureEvery` reads (0 = never), since each temperature read costs ~4 conversions.
public final class NAU7802ForceSensor: ForceSensor, Sendable {
    public let driver: NAU7802
    public let calibration: Calibration
    private let temperatureEvery: Int
    /// (reads since the last temperature reading, last temperature °C)
    private let temperatureState = Locked<(Int, Double?)>((0, nil))

    public init(driver: NAU7802, calibration: Calibration, temperatureEvery: Int = 0) {
        self.driver = driver
        self.calibration = calibration
        self.temperatureEvery = temperatureEvery
    }

    public var chip: String { "nau7802" }
    public var maximumRateHz: Double { driver.configuration.rate.hertz }
    public func probe() throws { try driver.probe() }

    public func read() throws -> ForceReading {
        var temperature = temperatureState.current.1
        if temperatureEvery > 0 {
            if temperatureState.current.0 == 0 {
                temperature = try driver.readTemperatureCelsius()
                temperatureState.withLock { $0.1 = temperature }
            }
            temperatureState.withLock { $0.0 = ($0.0 + 1) % temperatureEvery }
        }
        let counts = try driver.waitAndReadCounts()
        return ForceReading(rawCounts: counts, forceNewtons: calibration.forceNewtons(counts: Double(counts)),
                            temperatureCelsius: temperature)
    }
}
