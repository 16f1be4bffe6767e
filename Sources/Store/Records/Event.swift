import Foundation
import GRDB

/// Something that happened: a GPIO edge, a step change, an alarm, an operator note.
public struct Event: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "event"

    /// Kinds are open-ended strings so that new sources need no migration; these are the
    /// ones cellpress writes itself.
    public enum Kind {
        public static let gpioEdge = "gpio_edge"
        public static let scanTrigger = "scan_trigger"
        public static let step = "step"
        public static let limit = "limit"
        public static let alarm = "alarm"
        public static let note = "note"
        public static let runStart = "run_start"
        public static let runEnd = "run_end"
        public static let torque = "torque"
    }

    public var id: Int64?
    public var cellId: Int64?
    public var runId: Int64?
    public var unixTimeSeconds: Double
    public var kind: String
    public var message: String
    public var value: Double?
    public var dataJSON: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, message, value
        case cellId = "cell_id"
        case runId = "run_id"
        case unixTimeSeconds = "unix_time_s"
        case dataJSON = "data_json"
    }

    public init(cellId: Int64?, runId: Int64?, unixTimeSeconds: Double = Date().timeIntervalSince1970,
                kind: String, message: String, value: Double? = nil, dataJSON: String? = nil) {
        self.id = nil
        self.cellId = cellId
        self.runId = runId
        self.unixTimeSeconds = unixTimeSeconds
        self.kind = kind
        self.message = message
        self.value = value
        self.dataJSON = dataJSON
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
