extension AnyVolume {
    /// The voxels as Float (grey levels unchanged: uint16 1000 becomes 1000.0), for the
    /// classifier, whose features are computed in Float whatever the file held.
    public var floatVolume: Volume<Float> {
        // The counts match by construction, so the throwing initialiser cannot throw here.
        switch self {
        case let .float32(v): return v
        case let .uint16(v): return try! Volume(size: v.size, voxels: v.voxels.map(\.floatValue))
        case let .uint8(v): return try! Volume(size: v.size, voxels: v.voxels.map(\.floatValue))
        }
    }
}
