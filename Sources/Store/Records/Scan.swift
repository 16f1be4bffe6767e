import Foundation
import GRDB

/// A tomography scan taken during a run: when, where its volume is, and its geometry.
public struct Scan: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "scan"
    public var id: Int64?
    public var runId: Int64
    public var startedUnixTimeSeconds: Double
    public var endedUnixTimeSeconds: Double
    public var path: String
    public var voxelMicrometres: Double
    public var sizeX: Int
    public var sizeY: Int
    public var sizeZ: Int

    enum CodingKeys: String, CodingKey {
        case id, path
        case runId = "run_id"
        case startedUnixTimeSeconds = "started_unix_time_s"
        case endedUnixTimeSeconds = "ended_unix_time_s"
        case voxelMicrometres = "voxel_um"
        case sizeX = "size_x"
        case sizeY = "size_y"
        case sizeZ = "size_z"
    }

    public init(runId: Int64, startedUnixTimeSeconds: Double, endedUnixTimeSeconds: Double,
                path: String, voxelMicrometres: Double, sizeX: Int, sizeY: Int, sizeZ: Int) {
        self.id = nil
        self.runId = runId
        self.startedUnixTimeSeconds = startedUnixTimeSeconds
        self.endedUnixTimeSeconds = endedUnixTimeSeconds
        self.path = path
        self.voxelMicrometres = voxelMicrometres
        self.sizeX = sizeX
        self.sizeY = sizeY
        self.sizeZ = sizeZ
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The analysis of one scan. The headline numbers are columns (for queries and export);
/// the full segmentation result is kept as JSON beside them.
public struct ScanResult: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "scan_result"
    public var id: Int64?
    public var scanId: Int64
    public var createdUnixTimeSeconds: Double
    public var stackThicknessMicrometres: Double?
    public var topContactAreaSquareMicrometres: Double?
    public var bottomContactAreaSquareMicrometres: Double?
    public var topLithiumVolumeCubicMicrometres: Double?
    public var bottomLithiumVolumeCubicMicrometres: Double?
    public var resultJSON: String
    /// Contact maps, row-major, one byte per pixel of the interface plane (non-zero = contact).
    public var contactMapWidth: Int?
    public var contactMapHeight: Int?
    public var topContactMap: Data?
    public var bottomContactMap: Data?

    enum CodingKeys: String, CodingKey {
        case id
        case contactMapWidth = "contact_map_width"
        case contactMapHeight = "contact_map_height"
        case topContactMap = "top_contact_map"
        case bottomContactMap = "bottom_contact_map"
        case scanId = "scan_id"
        case createdUnixTimeSeconds = "created_unix_time_s"
        case stackThicknessMicrometres = "stack_thickness_um"
        case topContactAreaSquareMicrometres = "top_contact_area_um2"
        case bottomContactAreaSquareMicrometres = "bottom_contact_area_um2"
        case topLithiumVolumeCubicMicrometres = "top_lithium_volume_um3"
        case bottomLithiumVolumeCubicMicrometres = "bottom_lithium_volume_um3"
        case resultJSON = "result_json"
    }

    public init(scanId: Int64, createdUnixTimeSeconds: Double, stackThicknessMicrometres: Double?,
                topContactAreaSquareMicrometres: Double?, bottomContactAreaSquareMicrometres: Double?,
                topLithiumVolumeCubicMicrometres: Double?, bottomLithiumVolumeCubicMicrometres: Double?,
                resultJSON: String) {
        self.id = nil
        self.scanId = scanId
        self.createdUnixTimeSeconds = createdUnixTimeSeconds
        self.stackThicknessMicrometres = stackThicknessMicrometres
        self.topContactAreaSquareMicrometres = topContactAreaSquareMicrometres
        self.bottomContactAreaSquareMicrometres = bottomContactAreaSquareMicrometres
        self.topLithiumVolumeCubicMicrometres = topLithiumVolumeCubicMicrometres
        self.bottomLithiumVolumeCubicMicrometres = bottomLithiumVolumeCubicMicrometres
        self.resultJSON = resultJSON
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
