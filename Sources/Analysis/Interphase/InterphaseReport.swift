import Foundation

/// Interphase voxels and volume per interface: the top interface is the top half of the
/// volume (z < Z/2), the bottom interface the rest, as for the segmentation (SCIENCE.md).
public struct InterphaseReport: Sendable, Equatable, Codable {
    public struct Interface: Sendable, Equatable, Codable {
        public var voxels: Int
        public var volumeUm3: Double
        enum CodingKeys: String, CodingKey { case voxels, volumeUm3 = "volume_um3" }
    }
    public var size: VolumeSize
    public var voxelUm: Double
    public var top: Interface
    public var bottom: Interface
    /// Voxels per class, all of the volume, in class order.
    public var classVoxels: [String: Int]

    enum CodingKeys: String, CodingKey {
        case size, voxelUm = "voxel_um", top, bottom, classVoxels = "class_voxels"
    }

    /// Counts the label `interphaseLabel` (1-based, as `InterphaseModel.classify` writes).
    public init(labels: Volume<UInt8>, classNames: [String], interphaseLabel: UInt8, voxelUm: Double) {
        let size = labels.size
        let half = size.z / 2 * size.columnCount
        var counts = [Int](repeating: 0, count: 256)
        var topCount = 0, bottomCount = 0
        labels.voxels.withUnsafeBufferPointer { v in
            for i in 0..<v.count {
                counts[Int(v[i])] += 1
                if v[i] == interphaseLabel { if i < half { topCount += 1 } else { bottomCount += 1 } }
            }
        }
        let voxelVolume = voxelUm * voxelUm * voxelUm
        self.size = size
        self.voxelUm = voxelUm
        top = Interface(voxels: topCount, volumeUm3: Double(topCount) * voxelVolume)
        bottom = Interface(voxels: bottomCount, volumeUm3: Double(bottomCount) * voxelVolume)
        var byName: [String: Int] = [:]
        for (k, name) in classNames.enumerated() { byName[name] = counts[k + 1] }
        classVoxels = byName
    }

    /// Reports on a model's classification; throws when the model has no "interphase" class.
    public init(labels: Volume<UInt8>, model: InterphaseModel, voxelUm: Double) throws {
        guard let k = model.classNames.firstIndex(of: "interphase") else {
            throw InterphaseError.noInterphaseClass(classes: model.classNames)
        }
        self.init(labels: labels, classNames: model.classNames, interphaseLabel: UInt8(k + 1), voxelUm: voxelUm)
    }

    /// Human-readable summary.
    public var text: String {
        func f(_ v: Double) -> String { String(format: "%.0f", v) }
        var lines = ["interphase (\(size), voxel \(voxelUm) µm)",
                     "  top interface:    \(top.voxels) voxels, \(f(top.volumeUm3)) µm³",
                     "  bottom interface: \(bottom.voxels) voxels, \(f(bottom.volumeUm3)) µm³"]
        for name in classVoxels.keys.sorted() { lines.append("  class \(name): \(classVoxels[name]!) voxels") }
        return lines.joined(separator: "\n")
    }
}
