/// A voxel type a tomography volume can hold. Segmentation compares voxels as `Float`
/// so thresholds are given in the volume's own grey-level units.
public protocol VoxelScalar: Sendable, Equatable {
    /// Bytes per voxel on disk and in memory.
    static var byteWidth: Int { get }
    /// Name used in CLI/JSON (`float32`, `uint16`, `uint8`).
    static var dtypeName: String { get }
    var floatValue: Float { get }
    init(clampingFloat value: Float)
}

extension Float: VoxelScalar {
    public static var byteWidth: Int { 4 }
    public static var dtypeName: String { "float32" }
    @inline(__always) public var floatValue: Float { self }
    @inline(__always) public init(clampingFloat value: Float) { self = value }
}

extension UInt16: VoxelScalar {
    public static var byteWidth: Int { 2 }
    public static var dtypeName: String { "uint16" }
    @inline(__always) public var floatValue: Float { Float(self) }
    public init(clampingFloat value: Float) {
        self = value.isNaN ? 0 : UInt16(Swift.max(0, Swift.min(65535, value.rounded())))
    }
}

extension UInt8: VoxelScalar {
    public static var byteWidth: Int { 1 }
    public static var dtypeName: String { "uint8" }
    @inline(__always) public var floatValue: Float { Float(self) }
    public init(clampingFloat value: Float) {
        self = value.isNaN ? 0 : UInt8(Swift.max(0, Swift.min(255, value.rounded())))
    }
}

/// Voxel data types the readers understand.
public enum VoxelDataType: String, Sendable, CaseIterable, Codable {
    case float32, uint16, uint8

    public var byteWidth: Int {
        switch self {
        case .float32: return 4
        case .uint16: return 2
        case .uint8: return 1
        }
    }
}

/// Byte order of a raw file.
public enum ByteOrder: String, Sendable, Codable {
    case little, big
}
