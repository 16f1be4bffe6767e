import ArgumentParser
import Foundation
import Sensors

/// `--format text|json` for commands whose output scripts read.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

struct SensorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensor",
        abstract: "Scan for and read force sensors.",
        subcommands: [SensorScanCommand.self, SensorReadCommand.self])
}

/// `cellpress sensor scan`: like `i2cdetect`, but names the known parts.
struct SensorScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "List the devices answering on an I2C bus and which known parts they could be.",
        discussion: """
            FMA and FX29 both answer at 0x28 and have no identity register, so a device there is
            reported as "FMA or FX29 could answer": name the part in the config.
            With --simulate the bus holds a NAU7802 at 0x2a, an ADS1115 at 0x48 and an FMA at 0x28.
            """)

    @Option(help: "I2C bus number (/dev/i2c-N).") var bus: Int?
    @Flag(help: "Scan a simulated bus instead.") var simulate = false
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text

    func validate() throws {
        if !simulate && bus == nil { throw ValidationError("give --bus N (/dev/i2c-N) or --simulate") }
        if let bus, bus < 0 { throw ValidationError("--bus must be 0 or more, got \(bus)") }
    }

    func run() throws {
        try reportingFailures {
            let i2c: any I2CBus = simulate ? Self.simulatedRig() : try LinuxI2CBus(busNumber: bus ?? 0)
            let found = scan(bus: i2c)
            switch format {
            case .text:
                writeStdoutLine(found.isEmpty ? "\(i2c.name): no device answered"
                                              : "\(i2c.name): \(found.count) device\(found.count == 1 ? "" : "s")")
                for result in found { writeStdoutLine("  \(result)") }
            case .json:
                let devices: [[String: Any]] = found.map {
                    ["address": hexAddress(Int($0.address)), "candidates": $0.candidates,
                     "identified": $0.identified, "note": $0.note]
                }
                writeStdoutLine(try jsonLine(["bus": i2c.name, "devices": devices]))
            }
        }
    }

    /// The simulated rig's bus: the parts the agent supports, at their default addresses.
    static func simulatedRig() -> SimulatedI2CBus {
        let bus = SimulatedI2CBus(name: "sim", time: .realTime(), supportsPlainI2C: true, traceLimit: 0)
        bus.attach(SimulatedNAU7802(), at: NAU7802.defaultAddress)
        bus.attach(SimulatedADS1115(), at: 0x48)
        bus.attach(SimulatedDigitalForceSensor(model: .fma(HoneywellFMA.Part())), at: HoneywellFMA.defaultAddress)
        return bus
    }
}

/// `cellpress sensor read`: probe a part, then print raw counts, volts (ADCs) and force.
struct SensorReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Probe a force sensor and print readings: raw counts, volts (ADCs) and force in N.",
        discussion: """
            Without --counts-per-newton the nominal scaling is used (a 50 N, 2 mV/V load cell on
            the ADCs; the transfer function of the digital parts). The address is first checked
            for an answer (SMBus receive byte, as i2cdetect does), so an absent part is reported
            as such rather than as whatever the driver's first transfer happens to fail with.
            """)

    @Option(help: "nau7802, ads1115, fma or fx29.") var chip: String
    @Option(help: "I2C bus number (/dev/i2c-N).") var bus: Int?
    @Option(help: "I2C address, e.g. 0x2a (default: the chip's).") var address: String?
    @Flag(help: "Use the simulated bus and part.") var simulate = false
    @Option(help: "Number of readings.") var count: Int = 1
    @Option(name: .customLong("interval-seconds"), help: "Pause between readings, in s.") var intervalSeconds: Double = 0
    @Option(name: .customLong("counts-per-newton"), help: "Calibration span: counts per N.") var countsPerNewton: Double?
    @Option(name: .customLong("zero-counts"), help: "Calibration zero: counts at no load (needs --counts-per-newton).") var zeroCounts: Double?
    @Option(name: .customLong("range-volts"), help: "ADS1115 PGA full scale: 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256.") var rangeVolts: Double?
    @Option(name: .customLong("simulated-newtons"), help: "Force the simulated part carries, in N (default 31.4 N = 10 MPa on 2 mm).") var simulatedNewtons: Double?
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be 1…100000, got \(count)") }
        guard intervalSeconds.isFinite, intervalSeconds >= 0, intervalSeconds <= 3600 else {
            throw ValidationError("--interval-seconds must be 0…3600")
        }
        if let c = countsPerNewton { guard c.isFinite, c != 0 else { throw ValidationError("--counts-per-newton must be a non-zero number") } }
        if let z = zeroCounts {
            guard z.isFinite else { throw ValidationError("--zero-counts must be a number") }
            guard countsPerNewton != nil else { throw ValidationError("--zero-counts needs --counts-per-newton (a zero without a span is no calibration)") }
        }
        if let address { guard parseI2CAddress(address) != nil else { throw ValidationError("--address \(address) is not an I2C address (0x03…0x77)") } }
        if let rangeVolts { guard Self.adsRange(rangeVolts) != nil else { throw ValidationError("--range-volts \(rangeVolts) is not an ADS1115 range (6.144, 4.096, 2.048, 1.024, 0.512, 0.256)") } }
        if let n = simulatedNewtons { guard n.isFinite, simulate else { throw ValidationError("--simulated-newtons needs --simulate and a number") } }
        if let bus, bus < 0 { throw ValidationError("--bus must be 0 or more, got \(bus)") }
    }

    static func adsRange(_ volts: Double) -> ADS1115.Range? {
        ADS1115.Range.allCases.first { abs($0.fullScaleVolts - volts) < 1e-9 }
    }

    func run() throws {
        try reportingFailures {
            let addressValue = address.flatMap(parseI2CAddress)
            var options = ForceSensorOptions()
            if let countsPerNewton {
                options.calibration = Calibration(offsetCounts: zeroCounts ?? 0, newtonsPerCount: 1 / countsPerNewton, method: "manual")
            }
            if let range = rangeVolts.flatMap(Self.adsRange) { options.ads1115.range = range }
            if let n = simulatedNewtons { options.simulatedForce = ForceSource(newtons: n) }
            let sensor = try makeForceSensor(chip: chip, bus: bus, address: addressValue, simulate: simulate, options: options)
            let resolvedAddress = addressValue ?? Self.defaultAddress(chip: sensor.chip)
            let busName = simulate ? "sim" : "/dev/i2c-\(bus ?? 0)"
            if !simulate, let bus {
                // Absent is absent whatever the driver would try first (i2c-stub refuses the FMA's
                // plain reads with EOPNOTSUPP before any address is tried).
                _ = try LinuxI2CBus(busNumber: bus).readByte(address: UInt8(resolvedAddress))
            }
            try sensor.probe()
            // The first conversion lands one period after the configuration (the ADS1115's
            // conversion register reads 0 until then): wait for it, capped for slow parts.
            Thread.sleep(forTimeInterval: min(0.15, 1.5 / sensor.maximumRateHz))
            let calibration = Self.calibration(of: sensor)
            if format == .text {
                writeStdoutLine("\(sensor.chip) on \(busName) at \(hexAddress(resolvedAddress)): calibration \(Self.describe(calibration))")
            }
            var readings: [[String: Any]] = []
            for index in 1...count {
                if index > 1, intervalSeconds > 0 { Thread.sleep(forTimeInterval: intervalSeconds) }
                let reading = try sensor.read()
                let volts = Self.inputVolts(sensor, counts: reading.rawCounts)
                switch format {
                case .text:
                    writeStdoutLine(Self.textLine(index: index, reading: reading, volts: volts))
                case .json:
                    readings.append(["index": index, "raw_counts": Int(reading.rawCounts), "force_newtons": reading.forceNewtons,
                                     "volts": volts ?? NSNull(), "temperature_celsius": reading.temperatureCelsius ?? NSNull()])
                }
            }
            if format == .json {
                var object: [String: Any] = ["chip": sensor.chip, "bus": busName, "address": hexAddress(resolvedAddress), "readings": readings]
                if let calibration {
                    object["calibration"] = ["offset_counts": calibration.offsetCounts, "newtons_per_count": calibration.newtonsPerCount,
                                             "method": calibration.method]
                }
                writeStdoutLine(try jsonLine(object))
            }
        }
    }

    static func defaultAddress(chip: String) -> Int {
        switch chip {
        case "nau7802": Int(NAU7802.defaultAddress)
        case "ads1115": 0x48
        default: Int(HoneywellFMA.defaultAddress)
        }
    }

    static func calibration(of sensor: any ForceSensor) -> Calibration? {
        switch sensor {
        case let s as NAU7802ForceSensor: s.calibration
        case let s as ADS1115ForceSensor: s.calibration
        case let s as HoneywellFMASensor: s.calibration
        default: nil
        }
    }

    static func describe(_ calibration: Calibration?) -> String {
        guard let calibration else { return "nominal (transfer function)" }
        return String(format: "%@ (%.6g counts/N, zero at %.6g counts)", calibration.method,
                      1 / calibration.newtonsPerCount, calibration.offsetCounts)
    }

    /// The ADC's differential input in volts for a reading (nil for the digital parts).
    static func inputVolts(_ sensor: any ForceSensor, counts: Int32) -> Double? {
        switch sensor {
        case let s as NAU7802ForceSensor:
            let c = s.driver.configuration
            return NAU7802Conversion.volts(counts: counts, gain: c.gain.factor, referenceVolts: c.referenceVolts)
        case let s as ADS1115ForceSensor:
            return ADS1115Conversion.volts(counts: Int16(clamping: counts), range: s.driver.configuration.range)
        default:
            return nil
        }
    }

    /// One reading as text: `3  counts 1234567  volts 0.00189712  force 30.0000 N`.
    static func textLine(index: Int, reading: ForceReading, volts: Double?) -> String {
        var line = "\(index)  counts \(reading.rawCounts)"
        if let volts { line += "  volts " + String(format: "%.6g", volts) }
        line += "  force " + String(format: "%.4f", reading.forceNewtons) + " N"
        if let t = reading.temperatureCelsius { line += "  temperature " + String(format: "%.2f", t) + " °C" }
        return line
    }
}

/// "0x2a": addresses as i2cdetect and the datasheets write them.
func hexAddress(_ address: Int) -> String {
    "0x" + (address < 16 ? "0" : "") + String(address, radix: 16)
}

/// One JSON object on one line, keys sorted so output diffs cleanly.
func jsonLine(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

/// Writes a line to stdout at once (no stdio buffering): a script or test reading a pipe sees
/// each reading or edge as it happens, and before a long wait.
func writeStdoutLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
