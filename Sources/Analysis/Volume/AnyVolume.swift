/// A volume whose voxel type is chosen at run time (e.g. from `--dtype`).
public enum AnyVolume: Sendable {
    case float32(Volume<Float>)
    case uint16(Volume<UInt16>)
    case uint8(Volume<UInt8>)

    public var size: VolumeSize {
        switch self {
        case let .float32(v): return v.size
        case let .uint16(v): return v.size
        case let .uint8(v): return v.size
        }
    }

    public var dataType: VoxelDataType {
        switch self {
        case .float32: return .float32
        case .uint16: return .uint16
        case .uint8: return .uint8
        }
    }

    /// Reads a raw file of `dtype` voxels, optionally only `region`.
    public static func readRaw(path: String, size: VolumeSize, dtype: VoxelDataType,
                               byteOrder: ByteOrder = .little, region: VolumeRegion? = nil) throws -> AnyVolume {
        func read<S: VoxelScalar>(_: S.Type) throws -> Volume<S> {
            if let region { return try RawVolumeIO.read(path: path, size: size, region: region, byteOrder: byteOrder) }
            return try RawVolumeIO.read(path: path, size: size, byteOrder: byteOrder)
        }
        switch dtype {
        case .float32: return .float32(try read(Float.self))
        case .uint16: return .uint16(try read(UInt16.self))
        case .uint8: return .uint8(try read(UInt8.self))
        }
    }

    /// Reads a TIFF stack (file or folder) as `dtype`, optionally only `region`.
    public static func readTIFF(path: String, dtype: VoxelDataType, region: VolumeRegion? = nil,
                                progress: ((Double) -> Void)? = nil) throws -> AnyVolume {
        switch dtype {
        case .float32: return .float32(try TIFFVolumeReader.read(path: path, as: Float.self, region: region, progress: progress))
        case .uint16: return .uint16(try TIFFVolumeReader.read(path: path, as: UInt16.self, region: region, progress: progress))
        case .uint8: return .uint8(try TIFFVolumeReader.read(path: path, as: UInt8.self, region: region, progress: progress))
        }
    }

    /// `segment(_:thresholds:voxelUm:threads:)` on the wrapped volume.
    public func segment(thresholds: SegmentationThresholds, voxelUm: Double, threads: Int = 1,
                        progress: (@Sendable (Double) -> Void)? = nil) throws -> SegmentationResult {
        switch self {
        case let .float32(v): return try Analysis.segment(v, thresholds: thresholds, voxelUm: voxelUm, threads: threads, progress: progress)
        case let .uint16(v): return try Analysis.segment(v, thresholds: thresholds, voxelUm: voxelUm, threads: threads, progress: progress)
        case let .uint8(v): return try Analysis.segment(v, thresholds: thresholds, voxelUm: voxelUm, threads: threads, progress: progress)
        }
    }

    /// `autoThresholds(_:)` on the wrapped volume.
    public func autoThresholds() throws -> AutoThresholdReport {
        switch self {
        case let .float32(v): return try Analysis.autoThresholds(v)
        case let .uint16(v): return try Analysis.autoThresholds(v)
        case let .uint8(v): return try Analysis.autoThresholds(v)
        }
    }
}
