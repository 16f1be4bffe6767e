/// Size of a volume in voxels: x is fastest in memory, then y, then z (slice after slice).
public struct VolumeSize: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var z: Int

    public init(x: Int, y: Int, z: Int) {
        self.x = x
        self.y = y
        self.z = z
    }

    public var voxelCount: Int { x * y * z }
    public var columnCount: Int { x * y }
    public var description: String { "\(x)×\(y)×\(z)" }
}

/// A 3-D image stored contiguously, x fastest, then y, then z. z = 0 is the top slice.
/// Value semantics (copy-on-write through Array).
public struct Volume<Scalar: VoxelScalar>: Sendable {
    public let size: VolumeSize
    /// Voxels, index = x + X·(y + Y·z).
    public var voxels: [Scalar]

    /// A volume of `size` filled with `value`.
    public init(size: VolumeSize, repeating value: Scalar) {
        precondition(size.x >= 0 && size.y >= 0 && size.z >= 0, "negative volume size")
        self.size = size
        self.voxels = Array(repeating: value, count: size.voxelCount)
    }

    /// Wraps existing voxels; throws when the count does not match the size.
    public init(size: VolumeSize, voxels: [Scalar]) throws {
        guard voxels.count == size.voxelCount, size.x >= 0, size.y >= 0, size.z >= 0 else {
            throw VolumeError.sizeMismatch(what: "voxel array", expectedVoxels: size.voxelCount,
                                           actualVoxels: voxels.count)
        }
        self.size = size
        self.voxels = voxels
    }

    @inline(__always) public func index(x: Int, y: Int, z: Int) -> Int {
        x + size.x * (y + size.y * z)
    }

    public subscript(x: Int, y: Int, z: Int) -> Scalar {
        get { voxels[index(x: x, y: y, z: z)] }
        set { voxels[index(x: x, y: y, z: z)] = newValue }
    }

    /// Bytes the voxels occupy in memory.
    public var byteCount: Int { voxels.count * Scalar.byteWidth }
}

/// Errors about volume shapes and contents.
public enum VolumeError: Error, Equatable, CustomStringConvertible {
    case sizeMismatch(what: String, expectedVoxels: Int, actualVoxels: Int)
    case invalidSize(VolumeSize, reason: String)

    public var description: String {
        switch self {
        case let .sizeMismatch(what, expected, actual):
            return "\(what): expected \(expected) voxels, got \(actual)"
        case let .invalidSize(size, reason):
            return "invalid volume size \(size): \(reason)"
        }
    }
}
