import AgentKit
import ArgumentParser
import Foundation
import Sensors
import Store

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate a force sensor: known loads (interactive), given points, or tare.",
        discussion: """
            Interactive: --loads 0,10,20 asks you to place each load and reads the mean counts.
            Scripted: --point COUNTS:NEWTONS (two or more) fits without touching the sensor.
            --tare re-zeroes the stored calibration with whatever is on the sensor now.
            With --simulate the simulated part carries exactly each requested load.
            """)

    @OptionGroup var database: DatabaseOption
    @Option(help: "nau7802, ads1115, fma or fx29.") var chip: String = "nau7802"
    @Option(help: "I2C bus number (/dev/i2c-N).") var bus: Int = 1
    @Option(help: "I2C address, e.g. 0x2a (default: the chip's).") var address: String?
    @Flag(help: "Use the simulated bus and part.") var simulate = false
    @Option(name: .customLong("sensor-id"), help: "Name the calibration is stored under (default chip@bus:address).") var sensorId: String?
    @Option(help: "Known loads in N, comma-separated (interactive).") var loads: String?
    @Option(name: .customLong("point"), help: "A calibration point COUNTS:NEWTONS (repeatable).") var points: [String] = []
    @Flag(help: "Re-zero the stored calibration now.") var tare = false
    @Option(help: "Reads averaged per point.") var samples: Int = 20

    func validate() throws {
        let modes = [loads != nil, !points.isEmpty, tare].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("choose one of --loads, --point … or --tare") }
        if !points.isEmpty {
            guard points.count >= 2 else { throw ValidationError("give at least two --point COUNTS:NEWTONS") }
            for p in points where parsePoint(p) == nil { throw ValidationError("--point \(p): expected COUNTS:NEWTONS, e.g. 21500:10") }
        }
        if let loads { guard parseLoads(loads)?.count ?? 0 >= 2 else { throw ValidationError("--loads needs two or more numbers in N, e.g. 0,10,20") } }
        if let address { guard parseI2CAddress(address) != nil else { throw ValidationError("--address \(address) is not an I2C address (0x03…0x77)") } }
        guard (1...10_000).contains(samples) else { throw ValidationError("--samples must be 1…10000") }
    }

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openForWriting(path: database.db)
            let addressValue = address.flatMap(parseI2CAddress)
            let defaultAddress = ["nau7802": 0x2a, "ads1115": 0x48][chip] ?? 0x28
            let id = sensorId ?? "\(chip)@\(bus):0x\(String(addressValue ?? defaultAddress, radix: 16))"
            if !points.isEmpty {
                let parsed = points.compactMap(parsePoint)
                let (record, calibration) = try SensorCalibration.fitAndStore(points: parsed, sensorId: id, database: db)
                print(summary(record, calibration))
                return
            }
            let force = ForceSource(newtons: 0)
            let sensor = try makeForceSensor(chip: chip, bus: bus, address: addressValue, simulate: simulate,
                                             options: ForceSensorOptions(simulatedForce: force, simulatedNoiseCounts: simulate ? 20 : 0))
            try sensor.probe()
            if tare {
                let zero = try SensorCalibration.meanCounts(sensor, samples: samples)
                let record = try SensorCalibration.tare(zeroCounts: zero, sensorId: id, database: db)
                print(String(format: "tared %@: zero at %.1f counts (slope kept: %.4g counts/N)", id, zero, record.countsPerNewton))
                return
            }
            var measured: [CalibrationPoint] = []
            for load in parseLoads(loads!)! {
                if simulate {
                    force.set(newtons: load)
                } else {
                    FileHandle.standardError.write(Data(String(format: "Place %.4g N on the sensor, let it settle, then press Enter: ", load).utf8))
                    guard readLine() != nil else { throw ValidationError("input ended before all loads were measured; nothing stored") }
                }
                let counts = try SensorCalibration.meanCounts(sensor, samples: samples)
                print(String(format: "  %.4g N → %.1f counts", load, counts))
                measured.append(CalibrationPoint(counts: counts, forceNewtons: load))
            }
            let (record, calibration) = try SensorCalibration.fitAndStore(points: measured, sensorId: id, database: db)
            print(summary(record, calibration))
        }
    }

    private func summary(_ record: CalibrationRecord, _ calibration: Calibration) -> String {
        var text = String(format: "stored calibration %lld for %@ (%@): %.6g counts/N, zero at %.1f counts",
                          record.id!, record.sensorId, record.method, record.countsPerNewton, record.zeroCounts)
        if !calibration.residualsNewtons.isEmpty {
            text += "; residuals " + calibration.residualsNewtons.map { String(format: "%+.4f N", $0) }.joined(separator: ", ")
        }
        return text
    }

    private func parsePoint(_ text: String) -> CalibrationPoint? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let counts = Double(parts[0]), let newtons = Double(parts[1]), counts.isFinite, newtons.isFinite else { return nil }
        return CalibrationPoint(counts: counts, forceNewtons: newtons)
    }

    private func parseLoads(_ text: String) -> [Double]? {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.allSatisfy({ $0 != nil && $0!.isFinite && $0! >= 0 }) else { return nil }
        return values.map { $0! }
    }
}
