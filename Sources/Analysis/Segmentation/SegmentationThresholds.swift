/// Grey-level thresholds of the paper's column-wise segmentation, in the volume's units.
/// Grey levels, darkest to brightest: voids/pores < lithium < interphase < LSPS < steel.
public struct SegmentationThresholds: Sendable, Equatable, Codable {
    /// Voxels below this are dark (void or pore).
    public var voidMax: Float
    /// Voxels below this (and not dark) are lithium.
    public var lithiumMax: Float
    /// A 3-voxel mean above this ends a lithium run (interphase or brighter).
    public var interphaseMin: Float

    /// The example values of SCIENCE.md for float32 reconstructions.
    public static let paperDefaults = SegmentationThresholds(voidMax: 0.175, lithiumMax: 0.35, interphaseMin: 0.40)

    public init(voidMax: Float, lithiumMax: Float, interphaseMin: Float) {
        self.voidMax = voidMax
        self.lithiumMax = lithiumMax
        self.interphaseMin = interphaseMin
    }

    /// Checks the ordering void_max ≤ lithium_max ≤ interphase_min the rules rely on.
    public func validate() throws {
        guard voidMax.isFinite, lithiumMax.isFinite, interphaseMin.isFinite,
              voidMax <= lithiumMax, lithiumMax <= interphaseMin else {
            throw SegmentationError.invalidThresholds(self)
        }
    }

    enum CodingKeys: String, CodingKey {
        case voidMax = "void_max"
        case lithiumMax = "lithium_max"
        case interphaseMin = "interphase_min"
    }
}

/// Errors of `segment(...)`.
public enum SegmentationError: Error, Equatable, CustomStringConvertible {
    case invalidThresholds(SegmentationThresholds)
    case volumeTooThin(z: Int)
    case invalidVoxelSize(Double)

    public var description: String {
        switch self {
        case let .invalidThresholds(t):
            return "thresholds must satisfy void_max ≤ lithium_max ≤ interphase_min (got \(t.voidMax), \(t.lithiumMax), \(t.interphaseMin))"
        case let .volumeTooThin(z): return "volume has \(z) slices; segmentation needs at least 4"
        case let .invalidVoxelSize(v): return "voxel size must be positive and finite, got \(v) µm"
        }
    }
}
