import Foundation
import GRDB
import GRDBSQLite

/// The batched writer the acquisition loops feed.
///
/// `append` never touches the disk: it adds the row to an in-memory batch under a lock and
/// returns. A writer thread commits the batch in ONE transaction when it reaches
/// `maxBatchRows` or when the oldest pending row is `maxLatencySeconds` old (default 1 s,
/// so at most one commit per second at ordinary rates — gentle on an SD card, and with
/// `synchronous=FULL` each commit survives a power cut).
///
/// Rows of a failed commit (disk full, I/O error) go back to the front of the batch and the
/// error is reported through `onError`; nothing already committed is touched. Pending rows
/// are capped (`maxPendingRows`); beyond it the oldest are dropped and counted in
/// `droppedRows`, so a long outage cannot exhaust memory.
public final class SampleWriter: @unchecked Sendable {
    public struct Options: Sendable {
        public var maxBatchRows: Int
        public var maxLatencySeconds: Double
        public var maxPendingRows: Int
        public init(maxBatchRows: Int = 10_000, maxLatencySeconds: Double = 1.0, maxPendingRows: Int = 2_000_000) {
            self.maxBatchRows = maxBatchRows
            self.maxLatencySeconds = maxLatencySeconds
            self.maxPendingRows = maxPendingRows
        }
    }

    /// What one commit wrote.
    public struct Commit: Sendable {
        public var echemRows: Int
        public var forceRows: Int
        public var eventRows: Int
        public var totalRows: Int { echemRows + forceRows + eventRows }
    }

    private let database: AppDatabase
    private let options: Options
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var echem: [EchemSample] = []
    private var force: [ForceSample] = []
    private var events: [Event] = []
    private var stopping = false
    private var running = false
    private var finished = false
    private var committed = 0
    private var dropped = 0
    private var lastError: String?
    private var loopHeartbeat = DispatchTime.now().uptimeNanoseconds
    private let onCommit: (@Sendable (Commit) -> Void)?
    private let onError: (@Sendable (Error) -> Void)?

    public init(database: AppDatabase, options: Options = Options(),
                onCommit: (@Sendable (Commit) -> Void)? = nil,
                onError: (@Sendable (Error) -> Void)? = nil) {
        self.database = database
        self.options = options
        self.onCommit = onCommit
        self.onError = onError
    }

    // MARK: Feeding (non-blocking)

    public func append(_ sample: EchemSample) { enqueue { $0.echem.append(sample) } }
    public func append(_ sample: ForceSample) { enqueue { $0.force.append(sample) } }
    public func append(_ event: Event) { enqueue { $0.events.append(event) } }

    private func enqueue(_ add: (SampleWriter) -> Void) {
        condition.lock()
        add(self)
        let pending = pendingLocked
        if pending > options.maxPendingRows { dropOldestLocked(pending - options.maxPendingRows) }
        if pending >= options.maxBatchRows { condition.signal() }
        condition.unlock()
    }

    private var pendingLocked: Int { echem.count + force.count + events.count }

    private func dropOldestLocked(_ count: Int) {
        var remaining = count
        // Force samples go first: at kHz rates they are the bulk, and the slower
        // electrochemical rows and events carry the run's story.
        let fromForce = min(remaining, force.count)
        force.removeFirst(fromForce); remaining -= fromForce
        let fromEchem = min(remaining, echem.count)
        echem.removeFirst(fromEchem); remaining -= fromEchem
        dropped += count - remaining
    }

    // MARK: Status

    public var committedRows: Int { condition.lock(); defer { condition.unlock() }; return committed }
    public var pendingRows: Int { condition.lock(); defer { condition.unlock() }; return pendingLocked }
    public var droppedRows: Int { condition.lock(); defer { condition.unlock() }; return dropped }
    /// Seconds since the writer thread last went round its loop (it does at least every
    /// `maxLatencySeconds` plus one commit): the agent's watchdog pings depend on it.
    public var secondsSinceWriterLoop: Double {
        condition.lock(); defer { condition.unlock() }
        return Double(DispatchTime.now().uptimeNanoseconds - loopHeartbeat) / 1e9
    }

    /// The last commit error, cleared by the next successful commit.
    public var lastErrorDescription: String? { condition.lock(); defer { condition.unlock() }; return lastError }

    // MARK: Writing

    /// Starts the background writer thread.
    public func start() {
        condition.lock()
        guard !running else { condition.unlock(); return }
        running = true
        condition.unlock()
        let thread = Thread { [self] in self.writerLoop() }
        thread.name = "cellpress.sample-writer"
        thread.start()
    }

    private func writerLoop() {
        while true {
            condition.lock()
            loopHeartbeat = DispatchTime.now().uptimeNanoseconds
            let deadline = Date(timeIntervalSinceNow: options.maxLatencySeconds)
            while !stopping && pendingLocked < options.maxBatchRows {
                if !condition.wait(until: deadline) { break }
            }
            let shouldStop = stopping
            condition.unlock()
            _ = try? flush()  // a failure keeps the rows pending and is reported through onError
            if shouldStop { break }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Commits everything pending now, in one transaction. Throws the commit's error after
    /// putting the rows back.
    @discardableResult
    public func flush() throws -> Commit {
        condition.lock()
        let batchEchem = echem, batchForce = force, batchEvents = events
        echem.removeAll(keepingCapacity: true)
        force.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        condition.unlock()
        let commit = Commit(echemRows: batchEchem.count, forceRows: batchForce.count, eventRows: batchEvents.count)
        guard commit.totalRows > 0 else { return commit }
        do {
            try database.writer.write { db in
                try Self.insert(batchEchem, db: db)
                try Self.insert(batchForce, db: db)
                for var event in batchEvents { try event.insert(db) }
            }
        } catch {
            condition.lock()
            echem.insert(contentsOf: batchEchem, at: 0)
            force.insert(contentsOf: batchForce, at: 0)
            events.insert(contentsOf: batchEvents, at: 0)
            lastError = "\(error)"
            condition.unlock()
            onError?(StoreError.writeFailed(path: database.path, reason: Self.reason(error)))
            throw StoreError.writeFailed(path: database.path, reason: Self.reason(error))
        }
        condition.lock()
        committed += commit.totalRows
        lastError = nil
        condition.unlock()
        onCommit?(commit)
        return commit
    }

    /// Stops the writer thread after a last flush. Throws if that flush failed (the rows
    /// are then still pending, and reported lost by `pendingRows`).
    public func close() throws {
        condition.lock()
        if running {
            stopping = true
            condition.broadcast()
            while !finished { condition.wait() }
        }
        condition.unlock()
        try flush()
    }

    private static func reason(_ error: Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        return "\(error)"
    }

    // MARK: The hot loop: GRDB's statement, bound through the SQLite C API

    private static func insert(_ rows: [EchemSample], db: Database) throws {
        guard !rows.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO echem_sample (run_id, unix_time_s, run_time_s, voltage_v, current_a, charge_c, step_index, cycle)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let handle = statement.sqliteStatement
        for row in rows {
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, row.runId)
            sqlite3_bind_double(handle, 2, row.unixTimeSeconds)
            sqlite3_bind_double(handle, 3, row.runTimeSeconds)
            sqlite3_bind_double(handle, 4, row.voltageVolts)
            sqlite3_bind_double(handle, 5, row.currentAmps)
            sqlite3_bind_double(handle, 6, row.chargeCoulombs)
            sqlite3_bind_int64(handle, 7, Int64(row.stepIndex))
            sqlite3_bind_int64(handle, 8, Int64(row.cycle))
            try step(handle, db: db)
        }
        sqlite3_reset(handle)
    }

    private static func insert(_ rows: [ForceSample], db: Database) throws {
        guard !rows.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO force_sample (cell_id, run_id, sensor_id, unix_time_s, monotonic_s, raw_counts, force_n, pressure_mpa, temperature_c)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let handle = statement.sqliteStatement
        for row in rows {
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, row.cellId)
            if let runId = row.runId { sqlite3_bind_int64(handle, 2, runId) } else { sqlite3_bind_null(handle, 2) }
            sqlite3_bind_text(handle, 3, row.sensorId, -1, sqliteTransient)
            sqlite3_bind_double(handle, 4, row.unixTimeSeconds)
            sqlite3_bind_double(handle, 5, row.monotonicSeconds)
            if let raw = row.rawCounts { sqlite3_bind_int64(handle, 6, raw) } else { sqlite3_bind_null(handle, 6) }
            sqlite3_bind_double(handle, 7, row.forceNewtons)
            sqlite3_bind_double(handle, 8, row.pressureMegapascals)
            if let t = row.temperatureCelsius { sqlite3_bind_double(handle, 9, t) } else { sqlite3_bind_null(handle, 9) }
            try step(handle, db: db)
        }
        sqlite3_reset(handle)
    }

    private static func step(_ handle: OpaquePointer, db: Database) throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}

/// SQLite's SQLITE_TRANSIENT: "copy the bytes now", as the C macro, which Swift cannot import.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
