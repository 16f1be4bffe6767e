import Foundation
import GRDB

/// A force-sensor calibration: force = (counts − zero) / countsPerNewton. Appended, never
/// rewritten: the newest row for a sensor is the one in force, the rest are its history.
public struct CalibrationRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "calibration"
    public var id: Int64?
    public var sensorId: String
    public var createdUnixTimeSeconds: Double
    public var method: String
    public var countsPerNewton: Double
    public var zeroCounts: Double
    public var residualRMSNewtons: Double?
    /// The calibration points as JSON `[{"counts":…, "force_n":…}]`.
    public var pointsJSON: String

    enum CodingKeys: String, CodingKey {
        case id, method
        case sensorId = "sensor_id"
        case createdUnixTimeSeconds = "created_unix_time_s"
        case countsPerNewton = "counts_per_newton"
        case zeroCounts = "zero_counts"
        case residualRMSNewtons = "residual_rms_n"
        case pointsJSON = "points_json"
    }

    public init(sensorId: String, createdUnixTimeSeconds: Double = Date().timeIntervalSince1970,
                method: String, countsPerNewton: Double, zeroCounts: Double,
                residualRMSNewtons: Double? = nil, pointsJSON: String = "[]") {
        self.id = nil
        self.sensorId = sensorId
        self.createdUnixTimeSeconds = createdUnixTimeSeconds
        self.method = method
        self.countsPerNewton = countsPerNewton
        self.zeroCounts = zeroCounts
        self.residualRMSNewtons = residualRMSNewtons
        self.pointsJSON = pointsJSON
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
