import Foundation
import Store

/// Exports a run as a Battery Data Format (BDF) CSV plus a JSON metadata sidecar.
///
/// Rows are the run's electrochemical samples, in time order; force and stack pressure are
/// linearly interpolated onto each row's time from the force samples that bracket it
/// (left empty where no force sample lies within `maxGapSeconds`). A run with no
/// electrochemical samples (pressure logging only) exports its force samples as the rows.
/// Column names follow BDF (`Quantity / unit`); cellpress's own columns use the same style.
public enum RunExport {
    public static let columns = [
        "Test Time / s", "Unix Time / s", "Voltage / V", "Current / A",
        "Charging Capacity / Ah", "Discharging Capacity / Ah", "Net Capacity / Ah",
        "Cycle Count / 1", "Step Index / 1",
        "Force / N", "Applied Pressure / Pa", "Sensor Temperature / degC",
    ]

    public struct Result: Sendable {
        public var csvPath: String
        public var metadataPath: String
        public var rows: Int
    }

    public static func export(database: AppDatabase, runId: Int64, csvPath: String,
                              fromUnixTimeSeconds: Double? = nil, toUnixTimeSeconds: Double? = nil,
                              maxGapSeconds: Double = 10) throws -> Result {
        guard let run = try database.run(id: runId) else { throw StoreError.notFound(what: "run \(runId) in \(database.path)") }
        let inWindow: (Double) -> Bool = { t in
            (fromUnixTimeSeconds.map { t >= $0 } ?? true) && (toUnixTimeSeconds.map { t <= $0 } ?? true)
        }
        let echem = try database.echemSamples(runId: runId).filter { inWindow($0.unixTimeSeconds) }
        let force = try database.forceSamples(runId: runId)
        var csv = columns.joined(separator: ",") + "\n"
        var rows = 0
        if !echem.isEmpty {
            var charging = 0.0, discharging = 0.0
            var previousCharge = echem[0].chargeCoulombs
            var cursor = 0
            for sample in echem {
                let dq = sample.chargeCoulombs - previousCharge
                previousCharge = sample.chargeCoulombs
                if dq > 0 { charging += dq } else { discharging -= dq }
                let f = interpolate(force, at: sample.unixTimeSeconds, cursor: &cursor, maxGapSeconds: maxGapSeconds)
                csv += [
                    num(sample.unixTimeSeconds - run.startedUnixTimeSeconds), num(sample.unixTimeSeconds),
                    num(sample.voltageVolts), num(sample.currentAmps),
                    num(charging / 3600), num(discharging / 3600), num(sample.chargeCoulombs / 3600),
                    "\(sample.cycle)", "\(sample.stepIndex)",
                    f.map { num($0.force) } ?? "", f.map { num($0.pressure * 1e6) } ?? "", f?.temperature.map(num) ?? "",
                ].joined(separator: ",") + "\n"
                rows += 1
            }
        } else {
            for sample in force where inWindow(sample.unixTimeSeconds) {
                csv += [
                    num(sample.unixTimeSeconds - run.startedUnixTimeSeconds), num(sample.unixTimeSeconds),
                    "", "", "", "", "", "", "",
                    num(sample.forceNewtons), num(sample.pressureMegapascals * 1e6), sample.temperatureCelsius.map(num) ?? "",
                ].joined(separator: ",") + "\n"
                rows += 1
            }
        }
        do {
            try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
        } catch {
            throw StoreError.writeFailed(path: csvPath, reason: (error as NSError).localizedDescription)
        }
        let metadataPath = sidecarPath(for: csvPath)
        let metadata = try RunMetadata.make(database: database, run: run, columns: columns, rows: rows,
                                            sensorIds: Array(Set(force.map(\.sensorId))).sorted())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(metadata).write(to: URL(fileURLWithPath: metadataPath))
        } catch {
            throw StoreError.writeFailed(path: metadataPath, reason: (error as NSError).localizedDescription)
        }
        return Result(csvPath: csvPath, metadataPath: metadataPath, rows: rows)
    }

    /// `run.csv` → `run.json`; other names get `.json` appended.
    public static func sidecarPath(for csvPath: String) -> String {
        csvPath.hasSuffix(".csv") ? String(csvPath.dropLast(4)) + ".json" : csvPath + ".json"
    }

    /// Shortest round-tripping decimal: exact values, no locale.
    static func num(_ value: Double) -> String { "\(value)" }

    struct Interpolated { var force: Double; var pressure: Double; var temperature: Double? }

    /// Linear interpolation between the force samples around `t`; `cursor` walks forward
    /// with time so the whole export is one pass.
    static func interpolate(_ samples: [ForceSample], at t: Double, cursor: inout Int, maxGapSeconds: Double) -> Interpolated? {
        guard !samples.isEmpty else { return nil }
        while cursor + 1 < samples.count && samples[cursor + 1].unixTimeSeconds <= t { cursor += 1 }
        let a = samples[cursor]
        if a.unixTimeSeconds > t {
            return abs(a.unixTimeSeconds - t) <= maxGapSeconds ? Interpolated(force: a.forceNewtons, pressure: a.pressureMegapascals, temperature: a.temperatureCelsius) : nil
        }
        guard cursor + 1 < samples.count else {
            return t - a.unixTimeSeconds <= maxGapSeconds ? Interpolated(force: a.forceNewtons, pressure: a.pressureMegapascals, temperature: a.temperatureCelsius) : nil
        }
        let b = samples[cursor + 1]
        guard b.unixTimeSeconds - a.unixTimeSeconds <= 2 * maxGapSeconds else {
            return t - a.unixTimeSeconds <= maxGapSeconds ? Interpolated(force: a.forceNewtons, pressure: a.pressureMegapascals, temperature: a.temperatureCelsius) : nil
        }
        let w = (t - a.unixTimeSeconds) / (b.unixTimeSeconds - a.unixTimeSeconds)
        return Interpolated(force: a.forceNewtons + w * (b.forceNewtons - a.forceNewtons),
                            pressure: a.pressureMegapascals + w * (b.pressureMegapascals - a.pressureMegapascals),
                            temperature: a.temperatureCelsius)
    }
}

/// The JSON sidecar: who, what and how, so the CSV can be understood on its own.
struct RunMetadata: Codable {
    struct CellInfo: Codable { var name: String; var uuid: String; var diameter_mm: Double; var area_cm2: Double; var electrolyte: String }
    struct AssemblyInfo: Codable { var unix_time_s: Double; var torque_nm_per_screw: Double; var screw_count: Int; var screw_size: String; var estimated_force_n: Double?; var measured_force_n: Double?; var note: String }
    struct CalibrationInfo: Codable { var sensor_id: String; var method: String; var counts_per_newton: Double; var zero_counts: Double; var residual_rms_n: Double?; var created_unix_time_s: Double }
    var format = "Battery Data Format (BDF) CSV, written by cellpress"
    var node_uuid: String
    var run_id: Int64
    var run_uuid: String
    var status: String
    var end_reason: String
    var started_unix_time_s: Double
    var ended_unix_time_s: Double?
    var clock_synchronized: Bool?
    var cell: CellInfo
    var assemblies: [AssemblyInfo]
    var calibrations: [CalibrationInfo]
    var protocol_text: String
    var columns: [String]
    var rows: Int
    var notes: [String]

    static func make(database: AppDatabase, run: Run, columns: [String], rows: Int, sensorIds: [String]) throws -> RunMetadata {
        guard let cell = try database.cells().first(where: { $0.id == run.cellId }) else {
            throw StoreError.notFound(what: "cell \(run.cellId) of run \(run.id!)")
        }
        let assemblies = try database.assemblies(cellId: cell.id!).map {
            AssemblyInfo(unix_time_s: $0.unixTimeSeconds, torque_nm_per_screw: $0.torqueNewtonMetresPerScrew,
                         screw_count: $0.screwCount, screw_size: $0.screwSize, estimated_force_n: $0.estimatedForceNewtons, measured_force_n: $0.measuredForceNewtons, note: $0.operatorNote)
        }
        let calibrations = try sensorIds.compactMap { try database.currentCalibration(sensorId: $0) }.map {
            CalibrationInfo(sensor_id: $0.sensorId, method: $0.method, counts_per_newton: $0.countsPerNewton,
                            zero_counts: $0.zeroCounts, residual_rms_n: $0.residualRMSNewtons, created_unix_time_s: $0.createdUnixTimeSeconds)
        }
        return RunMetadata(node_uuid: database.nodeUUID, run_id: run.id!, run_uuid: run.uuid, status: run.status.rawValue,
                           end_reason: run.endReason, started_unix_time_s: run.startedUnixTimeSeconds,
                           ended_unix_time_s: run.endedUnixTimeSeconds, clock_synchronized: run.clockSynchronized,
                           cell: CellInfo(name: cell.name, uuid: cell.uuid, diameter_mm: cell.diameterMillimetres,
                                          area_cm2: cell.areaSquareCentimetres, electrolyte: cell.electrolyte),
                           assemblies: assemblies, calibrations: calibrations, protocol_text: run.protocolText,
                           columns: columns, rows: rows,
                           notes: ["Force / N and Applied Pressure / Pa are linearly interpolated from the force sensor's samples onto each row's time.",
                                   "Capacities are cumulative over the run, from the instrument's charge counter."])
    }
}
