import Foundation

/// Everything that can go wrong opening or writing the database, each naming the file.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The directory that should hold the database does not exist or is not a directory.
    case cannotCreate(path: String, reason: String)
    /// A read-only command was pointed at a file that is not there.
    case missing(path: String)
    /// The file was written by a newer cellpress: its schema has migrations this build lacks.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file is older than this build and the command may not migrate it (read-only use).
    case olderSchema(path: String, missingMigrations: [String])
    /// The file is not a cellpress database (or not SQLite at all).
    case notADatabase(path: String, reason: String)
    /// A lookup by name or id found nothing.
    case notFound(what: String)
    /// A write failed (disk full, I/O error...).
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason):
            return "\(path): cannot create database: \(reason)"
        case let .missing(path):
            return "\(path): no such database"
        case let .newerSchema(path, unknown):
            return "\(path): database was written by a newer cellpress (unknown migrations: \(unknown.joined(separator: ", "))); upgrade cellpress"
        case let .olderSchema(path, missing):
            return "\(path): database schema is older than this cellpress (missing: \(missing.joined(separator: ", "))); open it once with a writing command to migrate"
        case let .notADatabase(path, reason):
            return "\(path): not a cellpress database: \(reason)"
        case let .notFound(what):
            return "\(what) not found"
        case let .writeFailed(path, reason):
            return "\(path): write failed: \(reason)"
        }
    }
}
