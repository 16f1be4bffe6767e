import Foundation
import GRDB

/// One closing of a cell: the torque on each screw, and the force measured after it.
public struct Assembly: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "assembly"
    public var id: Int64?
    public var cellId: Int64
    public var unixTimeSeconds: Double
    public var torqueNewtonMetresPerScrew: Double
    public var screwCount: Int
    /// ISO metric size, e.g. "M3" (empty when not given).
    public var screwSize: String
    /// Clamp force from the torque by F = T/(K·d), summed over screws.
    public var estimatedForceNewtons: Double?
    /// Force read from the stack sensor after tightening.
    public var measuredForceNewtons: Double?
    public var operatorNote: String

    enum CodingKeys: String, CodingKey {
        case id
        case cellId = "cell_id"
        case unixTimeSeconds = "unix_time_s"
        case torqueNewtonMetresPerScrew = "torque_nm_per_screw"
        case screwCount = "screw_count"
        case screwSize = "screw_size"
        case estimatedForceNewtons = "estimated_force_n"
        case measuredForceNewtons = "measured_force_n"
        case operatorNote = "operator_note"
    }

    public init(cellId: Int64, unixTimeSeconds: Double = Date().timeIntervalSince1970,
                torqueNewtonMetresPerScrew: Double, screwCount: Int, screwSize: String = "",
                estimatedForceNewtons: Double? = nil, measuredForceNewtons: Double? = nil, operatorNote: String = "") {
        self.id = nil
        self.cellId = cellId
        self.unixTimeSeconds = unixTimeSeconds
        self.torqueNewtonMetresPerScrew = torqueNewtonMetresPerScrew
        self.screwCount = screwCount
        self.screwSize = screwSize
        self.estimatedForceNewtons = estimatedForceNewtons
        self.measuredForceNewtons = measuredForceNewtons
        self.operatorNote = operatorNote
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
