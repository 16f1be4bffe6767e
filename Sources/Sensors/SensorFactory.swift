/// Bad input to `makeForceSensor`: one clear line each.
public enum SensorFactoryError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownChip(String)
    case addressOutOfRange(Int)
    case addressNotValidForChip(chip: String, address: Int, valid: String)
    case missingBus

    public var description: String {
        switch self {
        case let .unknownChip(name):
            return "unknown chip '\(name)': expected one of \(knownForceChips.joined(separator: ", "))"
        case let .addressOutOfRange(a):
            return "I2C address 0x\(String(a, radix: 16)) is out of range: 7-bit device addresses are 0x03...0x77"
        case let .addressNotValidForChip(chip, a, valid):
            return "\(chip) cannot be at address 0x\(String(a, radix: 16)): it answers at \(valid)"
        case .missingBus:
            return "no I2C bus given: pass a bus number (e.g. --bus 1) or use --simulate"
        }
    }
}

/// Chip names `makeForceSensor` accepts.
public let knownForceChips = ["nau7802", "ads1115", "fma", "fx29"]

/// Settings beyond chip/bus/address (defaults suit the rig: 50 N, 2 mV/V load cell).
public struct ForceSensorOptions: Sendable {
    /// Counts → N. nil: the nominal scaling (bridge model for ADCs, transfer function for digital parts).
    public var calibration: Calibration?
    /// The load cell on an ADC (also drives the simulated bridge).
    public var bridge: BridgeModel
    public var nau7802: NAU7802.Configuration
    public var ads1115: ADS1115.Configuration
    /// ADS1115 excitation volts for the nominal scaling (the simulated board's supply).
    public var ads1115ExcitationVolts: Double
    public var fmaPart: HoneywellFMA.Part
    public var fx29RangeNewtons: Double
    /// Force seen by a simulated sensor (default: constant 10 MPa on the 2 mm cell, 31.4 N).
    public var simulatedForce: ForceSource?
    /// RMS noise of simulated ADCs, counts.
    public var simulatedNoiseCounts: Double
    /// NAU7802: read the internal temperature sensor every this many reads (0: never).
    public var nau7802TemperatureEvery: Int
    /// ADS1115: a thermistor input read beside the force (nil: none).
    public var ads1115Thermistor: ADS1115Thermistor?

    public init(calibration: Calibration? = nil, bridge: BridgeModel = BridgeModel(),
                nau7802: NAU7802.Configuration = .init(), ads1115: ADS1115.Configuration = .init(),
                ads1115ExcitationVolts: Double = 3.3, fmaPart: HoneywellFMA.Part = .init(),
                fx29RangeNewtons: Double = 10 * TEFX29.newtonsPerPoundForce, simulatedForce: ForceSource? = nil,
                simulatedNoiseCounts: Double = 0, nau7802TemperatureEvery: Int = 0,
                ads1115Thermistor: ADS1115Thermistor? = nil) {
        self.calibration = calibration
        self.bridge = bridge
        self.nau7802 = nau7802
        self.ads1115 = ads1115
        self.ads1115ExcitationVolts = ads1115ExcitationVolts
        self.fmaPart = fmaPart
        self.fx29RangeNewtons = fx29RangeNewtons
        self.simulatedForce = simulatedForce
        self.simulatedNoiseCounts = simulatedNoiseCounts
        self.nau7802TemperatureEvery = nau7802TemperatureEvery
        self.ads1115Thermistor = ads1115Thermistor
    }
}

/// Builds a force sensor for a chip name ("nau7802", "ads1115", "fma", "fx29") on
/// `/dev/i2c-<bus>`, or on a simulated bus (real-time) with the matching simulated part when
/// `simulate` is true. `address` nil means the chip's default. Does not probe: call `probe()`.
///
/// Throws `SensorFactoryError` for an unknown chip, an address outside 0x03...0x77 or wrong for
/// the chip, or no bus; `I2CError` (`.noSuchBus`, `.permissionDenied` naming the `i2c` group)
/// when the bus cannot be opened.
public func makeForceSensor(chip: String, bus: Int?, address: Int?, simulate: Bool,
                            options: ForceSensorOptions = ForceSensorOptions()) throws -> any ForceSensor {
    let name = chip.trimmingCharacters(in: .whitespaces).lowercased()
    guard knownForceChips.contains(name) else { throw SensorFactoryError.unknownChip(chip) }
    let defaultAddress: UInt8 = switch name {
    case "nau7802": NAU7802.defaultAddress
    case "ads1115": 0x48
    default: 0x28
    }
    let requested = address ?? Int(defaultAddress)
    guard requested >= Int(i2cUsableAddresses.lowerBound), requested <= Int(i2cUsableAddresses.upperBound) else {
        throw SensorFactoryError.addressOutOfRange(requested)
    }
    let addr = UInt8(requested)
    if name == "nau7802" && addr != NAU7802.defaultAddress {
        throw SensorFactoryError.addressNotValidForChip(chip: name, address: requested, valid: "0x2a only")
    }
    if name == "ads1115" && !ADS1115.addresses.contains(addr) {
        throw SensorFactoryError.addressNotValidForChip(chip: name, address: requested, valid: "0x48...0x4b")
    }

    let i2c: any I2CBus
    let delay: Delay
    if simulate {
        let sim = SimulatedI2CBus(name: "sim", time: .realTime(), supportsPlainI2C: true, traceLimit: 0)
        let force = options.simulatedForce ?? ForceSource(newtons: CellGeometry(diameterMillimetres: 2)
            .forceNewtons(pressureMegapascals: 10))
        let device: any SimulatedI2CDevice = switch name {
        case "nau7802": SimulatedNAU7802(force: force, bridge: options.bridge, noiseCounts: options.simulatedNoiseCounts)
        case "ads1115": SimulatedADS1115(force: force, bridge: options.bridge, excitationVolts: options.ads1115ExcitationVolts,
                                         noiseCounts: options.simulatedNoiseCounts)
        case "fma": SimulatedDigitalForceSensor(model: .fma(options.fmaPart), force: force)
        default: SimulatedDigitalForceSensor(model: .fx29(rangeNewtons: options.fx29RangeNewtons), force: force)
        }
        sim.attach(device, at: addr)
        i2c = sim
        delay = sim.time.delay
    } else {
        guard let bus else { throw SensorFactoryError.missingBus }
        i2c = try LinuxI2CBus(busNumber: bus)
        delay = .system
    }

    switch name {
    case "nau7802":
        let cal = options.calibration ?? Calibration(
            offsetCounts: 0,
            newtonsPerCount: NAU7802Conversion.newtonsPerCount(capacityNewtons: options.bridge.capacityNewtons,
                                                               sensitivityMillivoltsPerVolt: options.bridge.sensitivityMillivoltsPerVolt,
                                                               gain: options.nau7802.gain.factor),
            method: "nominal")
        return NAU7802ForceSensor(driver: NAU7802(bus: i2c, address: addr, configuration: options.nau7802, delay: delay),
                                  calibration: cal, temperatureEvery: options.nau7802TemperatureEvery)
    case "ads1115":
        // Nominal: full-scale bridge volts ↔ capacity.
        let voltsPerCount = options.ads1115.range.fullScaleVolts / 32768
        let fullScaleVolts = options.bridge.sensitivityMillivoltsPerVolt * 1e-3 * options.ads1115ExcitationVolts
        let cal = options.calibration ?? Calibration(offsetCounts: 0,
                                                     newtonsPerCount: voltsPerCount / fullScaleVolts * options.bridge.capacityNewtons,
                                                     method: "nominal")
        return ADS1115ForceSensor(driver: ADS1115(bus: i2c, address: addr, configuration: options.ads1115, delay: delay),
                                  calibration: cal, thermistor: options.ads1115Thermistor, delay: delay)
    case "fma":
        return HoneywellFMASensor(bus: i2c, address: addr, part: options.fmaPart, calibration: options.calibration, delay: delay)
    default:
        return TEFX29Sensor(bus: i2c, address: addr, rangeNewtons: options.fx29RangeNewtons,
                            calibration: options.calibration, delay: delay)
    }
}

import Foundation
