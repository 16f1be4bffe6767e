import Foundation
import GRDB

/// The cellpress database: one SQLite file in WAL mode, owning its schema.
///
/// Two ways in:
/// - `openForWriting` creates the file if needed and applies migrations. Before touching an
///   existing file it checks, read-only, that the file is SQLite, is a cellpress database (or
///   empty) and was not written by a newer cellpress — so a failed open modifies nothing.
/// - `openReadOnly` (status, export, watch) never creates, migrates or writes; it is safe
///   beside a running daemon, as a WAL reader.
public final class AppDatabase: Sendable {
    /// How hard a commit is pushed to the medium.
    public enum Durability: String, Sendable, CaseIterable {
        /// fsync of the WAL on every commit: a committed batch survives a power cut. Default.
        case full
        /// fsync only at checkpoints: survives a crash of the process, may lose the last
        /// commits on a power cut. For bulk imports.
        case normal
    }

    public let path: String
    public let writer: any DatabaseWriter
    /// This board's identity: rows are globally identified by (node uuid, table, id).
    public let nodeUUID: String

    private init(path: String, writer: any DatabaseWriter, nodeUUID: String) {
        self.path = path
        self.writer = writer
        self.nodeUUID = nodeUUID
    }

    /// Names of all migrations this build knows, in order.
    public static var knownMigrations: [String] { Schema.migrator.migrations }

    // MARK: - Opening

    public static func openForWriting(path: String, durability: Durability = .full) throws -> AppDatabase {
        try checkDirectory(of: path)
        if FileManager.default.fileExists(atPath: path) {
            try validateExisting(path: path, requireCurrent: false)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets NORMAL when it enables WAL on the writer connection; the writer is the
            // only connection that commits, so this is where durability is decided.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
            }
            try Schema.migrator.migrate(pool)
            let uuid = try pool.write { db in try ensureNode(db) }
            return AppDatabase(path: path, writer: pool, nodeUUID: uuid)
        } catch let error as DatabaseError {
            throw StoreError.cannotCreate(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    public static func openReadOnly(path: String) throws -> AppDatabase {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
        try validateExisting(path: path, requireCurrent: true)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let uuid = try queue.read { db in
                try String.fetchOne(db, sql: "SELECT uuid FROM node WHERE id = 1") ?? "unknown"
            }
            return AppDatabase(path: path, writer: queue, nodeUUID: uuid)
        } catch let error as DatabaseError {
            throw StoreError.notADatabase(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// A private in-memory database with the full schema (tests, previews).
    public static func inMemory() throws -> AppDatabase {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue)
        let uuid = try queue.write { db in try ensureNode(db) }
        return AppDatabase(path: ":memory:", writer: queue, nodeUUID: uuid)
    }

    // MARK: - Checks done before anything is written

    private static func checkDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let dir = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) {
            throw StoreError.cannotCreate(path: path, reason: "directory \(dir) does not exist")
        }
        if !isDirectory.boolValue {
            throw StoreError.cannotCreate(path: path, reason: "\(dir) is not a directory")
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw StoreError.cannotCreate(path: path, reason: "it is a directory")
        }
    }

    /// Opens the file read-only and checks it is a cellpress database this build can use.
    private static func validateExisting(path: String, requireCurrent: Bool) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                // Forces SQLite to read the header: a non-SQLite file fails here (SQLITE_NOTADB).
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return }
                guard tables.contains("grdb_migrations") else {
                    throw StoreError.notADatabase(path: path, reason: "SQLite file without cellpress tables (has \(tables.prefix(5).joined(separator: ", ")))")
                }
                let applied = try Schema.migrator.appliedIdentifiers(db)
                let known = Set(knownMigrations)
                let unknown = applied.subtracting(known).sorted()
                if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
                if requireCurrent {
                    let missing = knownMigrations.filter { !applied.contains($0) }
                    if !missing.isEmpty { throw StoreError.olderSchema(path: path, missingMigrations: missing) }
                }
            }
        } catch let error as DatabaseError {
            throw StoreError.notADatabase(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    private static func ensureNode(_ db: Database) throws -> String {
        if let uuid = try String.fetchOne(db, sql: "SELECT uuid FROM node WHERE id = 1") { return uuid }
        let uuid = UUID().uuidString.lowercased()
        try db.execute(sql: "INSERT INTO node (id, uuid, created_unix_time_s) VALUES (1, ?, ?)",
                       arguments: [uuid, Date().timeIntervalSince1970])
        return uuid
    }

    /// Caps the file at about `megabytes` (SQLite's max_page_count on the writer): writes
    /// beyond it fail with SQLITE_FULL like a full disk, before the card itself is full.
    public func limitSize(megabytes: Double) throws {
        try writer.writeWithoutTransaction { db in
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            let pages = max(1, Int(megabytes * 1_048_576) / pageSize)
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
    }

    // MARK: - Health

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// Size of the database file plus its WAL, in bytes.
    public func sizeBytes() -> Int64 {
        guard path != ":memory:" else { return 0 }
        return [path, path + "-wal"].reduce(Int64(0)) { total, file in
            let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }
}
