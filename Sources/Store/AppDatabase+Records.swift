import Foundation
import GRDB

/// The writes and lookups the agent makes, each one transaction.
extension AppDatabase {
    // MARK: Cells and assemblies

    public func cell(named name: String) throws -> Cell? {
        try writer.read { db in try Cell.filter(Column("name") == name).fetchOne(db) }
    }

    public func cells() throws -> [Cell] {
        try writer.read { db in try Cell.order(Column("id")).fetchAll(db) }
    }

    /// The named cell, created with the given geometry if it does not exist yet.
    @discardableResult
    public func findOrCreateCell(named name: String, diameterMillimetres: Double,
                                 electrolyte: String = "") throws -> Cell {
        try writer.write { db in
            if let existing = try Cell.filter(Column("name") == name).fetchOne(db) { return existing }
            var cell = Cell(name: name, diameterMillimetres: diameterMillimetres, electrolyte: electrolyte)
            try cell.insert(db)
            return cell
        }
    }

    /// Stores an assembly and its torque event together.
    @discardableResult
    public func record(_ assembly: Assembly) throws -> Assembly {
        try writer.write { db in
            var stored = assembly
            try stored.insert(db)
            var event = Event(cellId: assembly.cellId, runId: nil, unixTimeSeconds: assembly.unixTimeSeconds,
                              kind: Event.Kind.torque,
                              message: String(format: "assembled: %.3f N·m × %d screws", assembly.torqueNewtonMetresPerScrew, assembly.screwCount),
                              value: assembly.torqueNewtonMetresPerScrew)
            try event.insert(db)
            return stored
        }
    }

    public func assemblies(cellId: Int64) throws -> [Assembly] {
        try writer.read { db in
            try Assembly.filter(Column("cell_id") == cellId).order(Column("unix_time_s")).fetchAll(db)
        }
    }

    // MARK: Runs

    @discardableResult
    public func startRun(_ run: Run) throws -> Run {
        try writer.write { db in
            var stored = run
            try stored.insert(db)
            var event = Event(cellId: run.cellId, runId: stored.id, unixTimeSeconds: run.startedUnixTimeSeconds,
                              kind: Event.Kind.runStart, message: "run started")
            try event.insert(db)
            return stored
        }
    }

    public func finishRun(id: Int64, status: Run.Status, reason: String,
                          endedUnixTimeSeconds: Double = Date().timeIntervalSince1970) throws {
        try writer.write { db in
            guard var run = try Run.fetchOne(db, key: id) else { throw StoreError.notFound(what: "run \(id)") }
            run.status = status
            run.endReason = reason
            run.endedUnixTimeSeconds = endedUnixTimeSeconds
            try run.update(db)
            var event = Event(cellId: run.cellId, runId: id, unixTimeSeconds: endedUnixTimeSeconds,
                              kind: Event.Kind.runEnd, message: "\(status.rawValue): \(reason)")
            try event.insert(db)
        }
    }

    public func run(id: Int64) throws -> Run? {
        try writer.read { db in try Run.fetchOne(db, key: id) }
    }

    public func runs(cellId: Int64? = nil) throws -> [Run] {
        try writer.read { db in
            var request = Run.order(Column("id"))
            if let cellId { request = request.filter(Column("cell_id") == cellId) }
            return try request.fetchAll(db)
        }
    }

    /// Runs still marked running: after a crash or power cut these were interrupted.
    /// Closes each as `interrupted` at its last sample time and returns them.
    public func closeInterruptedRuns() throws -> [Run] {
        try writer.write { db in
            let open = try Run.filter(Column("status") == Run.Status.running.rawValue).fetchAll(db)
            var closed: [Run] = []
            for var run in open {
                let lastEchem = try Double.fetchOne(db, sql: "SELECT MAX(unix_time_s) FROM echem_sample WHERE run_id = ?", arguments: [run.id])
                let lastForce = try Double.fetchOne(db, sql: "SELECT MAX(unix_time_s) FROM force_sample WHERE run_id = ?", arguments: [run.id])
                let last = [lastEchem, lastForce].compactMap { $0 }.max() ?? run.startedUnixTimeSeconds
                run.status = .interrupted
                run.endedUnixTimeSeconds = last
                run.endReason = "agent stopped without closing the run; last sample at unix \(String(format: "%.3f", last))"
                try run.update(db)
                var event = Event(cellId: run.cellId, runId: run.id, unixTimeSeconds: Date().timeIntervalSince1970,
                                  kind: Event.Kind.runEnd, message: run.endReason)
                try event.insert(db)
                closed.append(run)
            }
            return closed
        }
    }

    // MARK: Events, calibrations, scans

    @discardableResult
    public func record(_ event: Event) throws -> Event {
        try writer.write { db in
            var stored = event
            try stored.insert(db)
            return stored
        }
    }

    public func events(runId: Int64? = nil, cellId: Int64? = nil, kinds: [String]? = nil) throws -> [Event] {
        try writer.read { db in
            var request = Event.order(Column("unix_time_s"), Column("id"))
            if let runId { request = request.filter(Column("run_id") == runId) }
            if let cellId { request = request.filter(Column("cell_id") == cellId) }
            if let kinds { request = request.filter(kinds.contains(Column("kind"))) }
            return try request.fetchAll(db)
        }
    }

    @discardableResult
    public func record(_ calibration: CalibrationRecord) throws -> CalibrationRecord {
        try writer.write { db in
            var stored = calibration
            try stored.insert(db)
            return stored
        }
    }

    /// The calibration in force for a sensor: the newest one.
    public func currentCalibration(sensorId: String) throws -> CalibrationRecord? {
        try writer.read { db in
            try CalibrationRecord.filter(Column("sensor_id") == sensorId)
                .order(Column("id").desc).fetchOne(db)
        }
    }

    @discardableResult
    public func record(_ scan: Scan, result: ScanResult?) throws -> (Scan, ScanResult?) {
        try writer.write { db in
            var storedScan = scan
            try storedScan.insert(db)
            guard var storedResult = result else { return (storedScan, nil) }
            storedResult.scanId = storedScan.id!
            try storedResult.insert(db)
            return (storedScan, storedResult)
        }
    }

    public func scans(runId: Int64) throws -> [(Scan, ScanResult?)] {
        try writer.read { db in
            let scans = try Scan.filter(Column("run_id") == runId).order(Column("started_unix_time_s")).fetchAll(db)
            return try scans.map { scan in
                let result = try ScanResult.filter(Column("scan_id") == scan.id).order(Column("id").desc).fetchOne(db)
                return (scan, result)
            }
        }
    }

    // MARK: Samples

    public func echemSamples(runId: Int64) throws -> [EchemSample] {
        try writer.read { db in
            try EchemSample.filter(Column("run_id") == runId).order(Column("unix_time_s")).fetchAll(db)
        }
    }

    public func forceSamples(runId: Int64) throws -> [ForceSample] {
        try writer.read { db in
            try ForceSample.filter(Column("run_id") == runId).order(Column("unix_time_s")).fetchAll(db)
        }
    }

    public func forceSamples(cellId: Int64, fromUnixTimeSeconds: Double, toUnixTimeSeconds: Double) throws -> [ForceSample] {
        try writer.read { db in
            try ForceSample.filter(Column("cell_id") == cellId)
                .filter(Column("unix_time_s") >= fromUnixTimeSeconds && Column("unix_time_s") <= toUnixTimeSeconds)
                .order(Column("unix_time_s")).fetchAll(db)
        }
    }

    public func count(table: String, runId: Int64? = nil) throws -> Int {
        try writer.read { db in
            if let runId {
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE run_id = ?", arguments: [runId]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
        }
    }
}
