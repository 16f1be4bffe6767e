import Foundation
import GRDB
import Store

/// What `cellpress status` prints: the board, its cells, their assemblies and runs with the
/// latest values. Read-only; safe while the daemon writes (a WAL reader).
public enum StatusReport {
    public static func text(database: AppDatabase, now: Date = Date()) throws -> String {
        var lines: [String] = []
        lines.append("cellpress database \(database.path)")
        lines.append("  node \(database.nodeUUID), size \(formatBytes(database.sizeBytes()))")
        let cells = try database.cells()
        if cells.isEmpty { lines.append("  no cells yet (record one with `cellpress torque --cell NAME --nm 0.25`)") }
        for cell in cells {
            lines.append("")
            lines.append(String(format: "cell %@  (%.2f mm, %.4f cm²%@)", cell.name, cell.diameterMillimetres,
                                cell.areaSquareCentimetres, cell.electrolyte.isEmpty ? "" : ", " + cell.electrolyte))
            for assembly in try database.assemblies(cellId: cell.id!) {
                var line = String(format: "  assembled %@: %.3f N·m × %d %@screws", iso(assembly.unixTimeSeconds),
                                  assembly.torqueNewtonMetresPerScrew, assembly.screwCount,
                                  assembly.screwSize.isEmpty ? "" : assembly.screwSize + " ")
                if let estimate = assembly.estimatedForceNewtons {
                    line += String(format: ", estimated %.0f N = %.0f MPa", estimate, estimate / (cell.areaSquareMetres * 1e6))
                }
                if let force = assembly.measuredForceNewtons {
                    line += String(format: ", measured %.2f N = %.2f MPa", force, force / (cell.areaSquareMetres * 1e6))
                }
                if !assembly.operatorNote.isEmpty { line += " — \(assembly.operatorNote)" }
                lines.append(line)
            }
            for run in try database.runs(cellId: cell.id!) {
                lines.append(contentsOf: try runLines(run, database: database, now: now))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func runLines(_ run: Run, database: AppDatabase, now: Date) throws -> [String] {
        let id = run.id!
        var lines: [String] = []
        let end = run.endedUnixTimeSeconds ?? now.timeIntervalSince1970
        var head = "  run \(id) \(run.status.rawValue): started \(iso(run.startedUnixTimeSeconds)), \(formatDuration(end - run.startedUnixTimeSeconds))"
        if !run.endReason.isEmpty { head += " — \(run.endReason)" }
        lines.append(head)
        if run.clockSynchronized == false {
            lines.append("    warning: the system clock was not NTP-synchronised when this run started; wall times may be off")
        }
        let echemCount = try database.count(table: "echem_sample", runId: id)
        let forceCount = try database.count(table: "force_sample", runId: id)
        let scanCount = try database.count(table: "scan", runId: id)
        lines.append("    samples: \(echemCount) electrochemical, \(forceCount) force; \(scanCount) scans")
        let latest = try database.writer.read { db in
            (try EchemSample.fetchOne(db, sql: "SELECT * FROM echem_sample WHERE run_id = ? ORDER BY id DESC LIMIT 1", arguments: [id]),
             try ForceSample.fetchOne(db, sql: "SELECT * FROM force_sample WHERE run_id = ? ORDER BY id DESC LIMIT 1", arguments: [id]))
        }
        if let e = latest.0 {
            lines.append(String(format: "    last: %.4f V, %.2f µA, %.4f mAh, step %d, cycle %d at %@",
                                e.voltageVolts, e.currentAmps * 1e6, e.chargeCoulombs / 3.6, e.stepIndex, e.cycle, iso(e.unixTimeSeconds)))
        }
        if let f = latest.1 {
            lines.append(String(format: "    last: %.3f N = %.3f MPa (%@) at %@", f.forceNewtons, f.pressureMegapascals, f.sensorId, iso(f.unixTimeSeconds)))
        }
        let rates = try database.writer.read { db in
            (try rate(db, table: "echem_sample", runId: id), try rate(db, table: "force_sample", runId: id))
        }
        if rates.0 != nil || rates.1 != nil {
            lines.append("    recent sample rates: " + [rates.0.map { String(format: "electrochemical %.3g Hz", $0) },
                                                      rates.1.map { String(format: "force %.3g Hz", $0) }].compactMap { $0 }.joined(separator: ", "))
        }
        let alarms = try database.events(runId: id, kinds: [Event.Kind.alarm, Event.Kind.limit])
        if !alarms.isEmpty {
            lines.append("    alarms: \(alarms.count), latest: \(alarms.last!.message) at \(iso(alarms.last!.unixTimeSeconds))")
        }
        return lines
    }

    /// Samples per second over the run's last 100 samples of a table (nil with fewer than 2).
    static func rate(_ db: Database, table: String, runId: Int64) throws -> Double? {
        let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, MIN(unix_time_s) AS first, MAX(unix_time_s) AS last FROM
              (SELECT unix_time_s FROM \(table) WHERE run_id = ? ORDER BY id DESC LIMIT 100)
            """, arguments: [runId])
        guard let row, let n = row["n"] as Int?, n >= 2, let first = row["first"] as Double?, let last = row["last"] as Double?, last > first else { return nil }
        return Double(n - 1) / (last - first)
    }

    static func iso(_ unixTimeSeconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: unixTimeSeconds))
    }

    static func formatDuration(_ seconds: Double) -> String {
        let s = Int(max(0, seconds).rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \((s % 3600) / 60) min"
    }

    static func formatBytes(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
