import Foundation
import GRDB

/// One experiment on a cell: a protocol started at a time, and how it ended.
public struct Run: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"

    public enum Status: String, Codable, Sendable {
        case running, completed, cutOff = "cut_off", aborted, interrupted, imported
    }

    public var id: Int64?
    public var uuid: String
    public var cellId: Int64
    public var protocolText: String
    public var configSnapshot: String
    public var startedUnixTimeSeconds: Double
    public var endedUnixTimeSeconds: Double?
    public var status: Status
    public var endReason: String
    /// Whether the system clock was NTP-synchronised at start (nil: unknown).
    public var clockSynchronized: Bool?

    enum CodingKeys: String, CodingKey {
        case id, uuid, status
        case cellId = "cell_id"
        case protocolText = "protocol_text"
        case configSnapshot = "config_snapshot"
        case startedUnixTimeSeconds = "started_unix_time_s"
        case endedUnixTimeSeconds = "ended_unix_time_s"
        case endReason = "end_reason"
        case clockSynchronized = "clock_synchronized"
    }

    public init(cellId: Int64, protocolText: String = "", configSnapshot: String = "",
                startedUnixTimeSeconds: Double = Date().timeIntervalSince1970,
                status: Status = .running, clockSynchronized: Bool? = nil) {
        self.id = nil
        self.uuid = UUID().uuidString.lowercased()
        self.cellId = cellId
        self.protocolText = protocolText
        self.configSnapshot = configSnapshot
        self.startedUnixTimeSeconds = startedUnixTimeSeconds
        self.endedUnixTimeSeconds = nil
        self.status = status
        self.endReason = ""
        self.clockSynchronized = clockSynchronized
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
