import Foundation
import GRDB

/// A cell: one Li / solid electrolyte / Li stack in its pressure cell.
public struct Cell: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "cell"
    public var id: Int64?
    public var uuid: String
    public var name: String
    public var diameterMillimetres: Double
    public var areaSquareCentimetres: Double
    public var electrolyte: String
    public var notes: String
    public var createdUnixTimeSeconds: Double

    enum CodingKeys: String, CodingKey {
        case id, uuid, name, electrolyte, notes
        case diameterMillimetres = "diameter_mm"
        case areaSquareCentimetres = "area_cm2"
        case createdUnixTimeSeconds = "created_unix_time_s"
    }

    /// A circular cell of the given inner diameter (the paper's is 2 mm → 0.0314 cm²).
    public init(name: String, diameterMillimetres: Double, electrolyte: String = "",
                notes: String = "", createdUnixTimeSeconds: Double = Date().timeIntervalSince1970) {
        self.id = nil
        self.uuid = UUID().uuidString.lowercased()
        self.name = name
        self.diameterMillimetres = diameterMillimetres
        let radiusCentimetres = diameterMillimetres / 20
        self.areaSquareCentimetres = Double.pi * radiusCentimetres * radiusCentimetres
        self.electrolyte = electrolyte
        self.notes = notes
        self.createdUnixTimeSeconds = createdUnixTimeSeconds
    }

    public var areaSquareMetres: Double { areaSquareCentimetres * 1e-4 }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
