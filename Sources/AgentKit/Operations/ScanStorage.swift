import Analysis
import Foundation
import Store

/// Stores a segmented scan: the scan row, the headline numbers, the full result as JSON,
/// and both contact maps.
public enum ScanStorage {
    @discardableResult
    public static func store(_ result: SegmentationResult, runId: Int64, startedUnixTimeSeconds: Double,
                             endedUnixTimeSeconds: Double, path: String, database: AppDatabase) throws -> (Scan, ScanResult) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(result), as: UTF8.self)
        let size = result.size + Array(repeating: 0, count: max(0, 3 - result.size.count))
        let scan = Scan(runId: runId, startedUnixTimeSeconds: startedUnixTimeSeconds, endedUnixTimeSeconds: endedUnixTimeSeconds,
                        path: path, voxelMicrometres: result.voxelUm, sizeX: size[0], sizeY: size[1], sizeZ: size[2])
        var row = ScanResult(scanId: 0, createdUnixTimeSeconds: Date().timeIntervalSince1970,
                             stackThicknessMicrometres: result.stackThicknessUm,
                             topContactAreaSquareMicrometres: result.top.contactAreaUm2,
                             bottomContactAreaSquareMicrometres: result.bottom.contactAreaUm2,
                             topLithiumVolumeCubicMicrometres: result.top.lithiumVolumeUm3,
                             bottomLithiumVolumeCubicMicrometres: result.bottom.lithiumVolumeUm3, resultJSON: json)
        let top = result.top.contactMap, bottom = result.bottom.contactMap
        if top.width > 0, top.width == bottom.width, top.height == bottom.height {
            row.contactMapWidth = top.width
            row.contactMapHeight = top.height
            row.topContactMap = Data(top.pixels)
            row.bottomContactMap = Data(bottom.pixels)
        }
        let (storedScan, storedResult) = try database.record(scan, result: row)
        return (storedScan, storedResult!)
    }

    /// The segmentation result back from its row, contact maps included.
    public static func segmentation(from row: ScanResult) throws -> SegmentationResult {
        var result = try JSONDecoder().decode(SegmentationResult.self, from: Data(row.resultJSON.utf8))
        if let w = row.contactMapWidth, let h = row.contactMapHeight, let top = row.topContactMap, let bottom = row.bottomContactMap,
           top.count == w * h, bottom.count == w * h {
            result.top.contactMap = ContactMap(width: w, height: h, pixels: [UInt8](top))
            result.bottom.contactMap = ContactMap(width: w, height: h, pixels: [UInt8](bottom))
        }
        return result
    }
}
