// Texas Instruments ADS1115 — 16-bit ΔΣ ADC, 4 inputs (2 differential), PGA, I2C 0x48–0x4B
// (ADDR pin to GND/VDD/SDA/SCL). Datasheet: TI SBAS444 "ADS111x".
//
// Registers (16-bit, MSB first on the wire; address pointer register selects one):
//   0x00 Conversion  signed 16-bit result
//   0x01 Config      OS(15) MUX(14:12) PGA(11:9) MODE(8) DR(7:5) COMP_MODE(4) COMP_POL(3)
//                    COMP_LAT(2) COMP_QUE(1:0); reset value 0x8583
//   0x02 Lo_thresh, 0x03 Hi_thresh (reset 0x8000 / 0x7FFF)
// OS: write 1 in single-shot mode to start a conversion; reads 0 while converting, 1 when idle.
// LSB = FSR / 2^15 (±2.048 V → 62.5 µV). No identity register: probe writes the configuration
// and reads it back. SMBus word transfers carry the bytes low-first, so words are byte-swapped.

public enum ADS1115Register {
    public static let conversion: UInt8 = 0x00
    public static let config: UInt8 = 0x01
    public static let loThresh: UInt8 = 0x02
    public static let hiThresh: UInt8 = 0x03
    public static let resetConfig: UInt16 = 0x8583
    public static let osBit: UInt16 = 1 << 15
    public static let modeSingleShot: UInt16 = 1 << 8
    public static let compQueDisable: UInt16 = 0b11
}

/// Pure ADS1115 conversions.
public enum ADS1115Conversion {
    /// Signed counts → volts for a PGA range: counts × FSR / 32768.
    public static func volts(counts: Int16, range: ADS1115.Range) -> Double {
        Double(counts) * range.fullScaleVolts / 32768
    }

    /// Volts → counts (rounded, clamped to −32768...32767).
    public static func counts(volts: Double, range: ADS1115.Range) -> Int16 {
        let c = (volts / range.fullScaleVolts * 32768).rounded()
        return Int16(min(max(c, -32768), 32767))
    }

    /// The config word for a setting (OS set, comparator disabled).
    public static func configWord(_ c: ADS1115.Configuration, startSingleShot: Bool) -> UInt16 {
        var w = UInt16(c.mux.rawValue) << 12 | UInt16(c.range.rawValue) << 9 | UInt16(c.rate.rawValue) << 5
        if c.mode == .singleShot { w |= ADS1115Register.modeSingleShot }
        if startSingleShot { w |= ADS1115Register.osBit }
        return w | ADS1115Register.compQueDisable
    }

    /// NTC thermistor (Beta model) on a divider: supply — series resistor — input — NTC — GND.
    public static func thermistorCelsius(inputVolts: Double, supplyVolts: Double, seriesOhms: Double,
                                         ohmsAt25C: Double, beta: Double) -> Double {
        let ohms = seriesOhms * inputVolts / (supplyVolts - inputVolts)
        let inverseKelvin = 1 / 298.15 + Foundation.log(ohms / ohmsAt25C) / beta
        return 1 / inverseKelvin - 273.15
    }
}

import Foundation

/// ADS1115 driver over SMBus word transfers (works on SMBus-only adapters).
public final class ADS1115: Sendable {
    public enum Mux: UInt8, Sendable, CaseIterable, Codable {
        case ain0MinusAin1 = 0, ain0MinusAin3, ain1MinusAin3, ain2MinusAin3, ain0, ain1, ain2, ain3
    }
    public enum Range: UInt8, Sendable, CaseIterable, Codable {
        case fs6_144 = 0, fs4_096, fs2_048, fs1_024, fs0_512, fs0_256
        public var fullScaleVolts: Double { [6.144, 4.096, 2.048, 1.024, 0.512, 0.256][Int(rawValue)] }
    }
    public enum DataRate: UInt8, Sendable, CaseIterable, Codable {
        case sps8 = 0, sps16, sps32, sps64, sps128, sps250, sps475, sps860
        public var hertz: Double { [8, 16, 32, 64, 128, 250, 475, 860][Int(rawValue)] }
    }
    public enum Mode: Sendable, Codable { case continuous, singleShot }

    public struct Configuration: Sendable, Equatable, Codable {
        public var mux: Mux
        public var range: Range
        public var rate: DataRate
        public var mode: Mode
        public init(mux: Mux = .ain0MinusAin1, range: Range = .fs0_256, rate: DataRate = .sps860,
                    mode: Mode = .continuous) {
            self.mux = mux
            self.range = range
            self.rate = rate
            self.mode = mode
        }
    }

    public static let addresses: ClosedRange<UInt8> = 0x48...0x4B
    public let bus: any I2CBus
    public let address: UInt8
    public let configuration: Configuration
    private let delay: Delay

    public init(bus: any I2CBus, address: UInt8 = 0x48, configuration: Configuration = Configuration(),
                delay: Delay = .system) {
        self.bus = bus
        self.address = address
        self.configuration = configuration
        self.delay = delay
    }

    private func error(_ kind: SensorError.Kind, _ detail: String) -> SensorError {
        SensorError(kind, chip: "ADS1115", bus: bus.name, address: address, detail: detail)
    }

    /// Reads a 16-bit register (MSB first on the wire).
    public func readRegister(_ register: UInt8) throws -> UInt16 {
        try bus.readWordData(address: address, register: register).byteSwapped
    }

    /// Writes a 16-bit register (MSB first on the wire).
    public func writeRegister(_ register: UInt8, _ value: UInt16) throws {
        try bus.writeWordData(address: address, register: register, value: value.byteSwapped)
    }

    /// Writes the configuration and reads it back (bits 14:0; OS reads as a status bit).
    /// In continuous mode this also starts conversions.
    public func probe() throws {
        guard Self.addresses.contains(address) else {
            throw error(.invalidConfiguration, "address 0x\(hex(address)) is not one of 0x48...0x4B")
        }
        let word = ADS1115Conversion.configWord(configuration, startSingleShot: false)
        try writeRegister(ADS1115Register.config, word)
        let back = try readRegister(ADS1115Register.config)
        guard back & 0x7FFF == word & 0x7FFF else {
            throw error(.configurationMismatch, "wrote config 0x\(String(word, radix: 16)), read back 0x\(String(back, radix: 16))")
        }
    }

    /// Latest conversion result (continuous mode), signed counts.
    public func readConversion() throws -> Int16 {
        Int16(bitPattern: try readRegister(ADS1115Register.conversion))
    }

    /// Single-shot conversion on `mux`: OS=1 to start, poll OS until idle (≤ 3 periods), read.
    public func readSingleShot(mux: Mux) throws -> Int16 {
        var c = configuration
        c.mux = mux
        c.mode = .singleShot
        try writeRegister(ADS1115Register.config, ADS1115Conversion.configWord(c, startSingleShot: true))
        let period = 1 / c.rate.hertz
        for _ in 0..<24 {
            delay.sleep(period / 8)
            if try readRegister(ADS1115Register.config) & ADS1115Register.osBit != 0 { return try readConversion() }
        }
        throw error(.notReady, "single-shot conversion (OS) not done within 3 periods at \(c.rate.hertz) SPS")
    }
}

/// An NTC thermistor on one ADS1115 input (divider: supply — series resistor — input — NTC — GND).
public struct ADS1115Thermistor: Sendable, Equatable, Codable {
    public var mux: ADS1115.Mux
    public var supplyVolts: Double
    public var seriesOhms: Double
    public var ohmsAt25C: Double
    public var beta: Double
    /// Read the temperature once every this many force reads (it costs two conversions).
    public var everyReads: Int

    public init(mux: ADS1115.Mux = .ain2, supplyVolts: Double = 3.3, seriesOhms: Double = 10_000,
                ohmsAt25C: Double = 10_000, beta: Double = 3950, everyReads: Int = 100) {
        self.mux = mux
        self.supplyVolts = supplyVolts
        self.seriesOhms = seriesOhms
        self.ohmsAt25C = ohmsAt25C
        self.beta = beta
        self.everyReads = everyReads
    }
}

/// ADS1115 as a `ForceSensor` (bridge across the configured MUX, counts through a Calibration).
/// Continuous mode reads the latest conversion; single-shot starts one per read. With a
/// thermistor, every `everyReads` reads it takes a single-shot conversion of the thermistor
/// input (at ±4.096 V), then restores the force configuration and waits for a fresh result.
public final class ADS1115ForceSensor: ForceSensor, Sendable {
    public let driver: ADS1115
    public let calibration: Calibration
    public let thermistor: ADS1115Thermistor?
    private let delay: Delay
    /// (reads since the last temperature, last temperature °C)
    private let temperatureState = Locked<(Int, Double?)>((0, nil))

    public init(driver: ADS1115, calibration: Calibration, thermistor: ADS1115Thermistor? = nil,
                delay: Delay = .system) {
        self.driver = driver
        self.calibration = calibration
        self.thermistor = thermistor
        self.delay = delay
    }
    public var chip: String { "ads1115" }
    public var maximumRateHz: Double { driver.configuration.rate.hertz }
    public func probe() throws { try driver.probe() }

    public func read() throws -> ForceReading {
        var temperature = temperatureState.current.1
        if let th = thermistor, th.everyReads > 0 {
            if temperatureState.current.0 == 0 {
                temperature = try readThermistor(th)
                temperatureState.withLock { $0.1 = temperature }
            }
            temperatureState.withLock { $0.0 = ($0.0 + 1) % th.everyReads }
        }
        let counts = driver.configuration.mode == .continuous
            ? try driver.readConversion() : try driver.readSingleShot(mux: driver.configuration.mux)
        return ForceReading(rawCounts: Int32(counts), forceNewtons: calibration.forceNewtons(counts: Double(counts)),
                            temperatureCelsius: temperature)
    }

    private func readThermistor(_ th: ADS1115Thermistor) throws -> Double {
        let thermistorDriver = ADS1115(bus: driver.bus, address: driver.address,
                                       configuration: .init(mux: th.mux, range: .fs4_096, rate: driver.configuration.rate,
                                                            mode: .singleShot), delay: delay)
        let counts = try thermistorDriver.readSingleShot(mux: th.mux)
        if driver.configuration.mode == .continuous {
            try driver.probe()  // rewrite the continuous force configuration
            delay.sleep(1.2 / driver.configuration.rate.hertz)  // until its first conversion
        }
        let volts = ADS1115Conversion.volts(counts: counts, range: .fs4_096)
        return ADS1115Conversion.thermistorCelsius(inputVolts: volts, supplyVolts: th.supplyVolts, seriesOhms: th.seriesOhms,
                                                   ohmsAt25C: th.ohmsAt25C, beta: th.beta)
    }
}
