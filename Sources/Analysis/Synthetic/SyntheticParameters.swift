/// Geometry and imaging of a synthetic Li / LSPS / Li stack (see `generateSyntheticVolume`).
/// Lengths in µm are converted to whole voxels with `voxelUm`.
public struct SyntheticVolumeParameters: Sendable, Equatable, Codable {
    public var size: VolumeSize
    public var voxelUm: Double
    /// Mean lithium thickness (collector to interface, voids included), µm.
    public var lithiumThicknessTopUm: Double
    public var lithiumThicknessBottomUm: Double
    /// Fraction of the cross-section in contact (no interfacial void), 0...1.
    public var contactFractionTop: Double
    public var contactFractionBottom: Double
    /// Thickness of the interfacial void patches, µm.
    public var voidThicknessUm: Double
    /// Mean collector-to-collector distance, µm; centred in z.
    public var stackThicknessUm: Double
    /// Interphase layer between lithium and LSPS, µm (at least 3 voxels are used).
    public var interphaseThicknessUm: Double
    /// Peak amplitude of the interface roughness, µm.
    public var roughnessUm: Double
    /// Fraction of the LSPS volume taken by bulk pores (spheres).
    public var bulkPoreFraction: Double
    /// Bulk pore radius, voxels.
    public var bulkPoreRadiusVoxels: Int
    /// Gaussian noise added to every voxel (grey-level units; clipped at ±4σ).
    public var noiseSigma: Float
    public var seed: UInt64

    public init(size: VolumeSize = VolumeSize(x: 200, y: 200, z: 400), voxelUm: Double = 1.7,
                lithiumThicknessTopUm: Double = 60, lithiumThicknessBottomUm: Double = 60,
                contactFractionTop: Double = 0.5, contactFractionBottom: Double = 0.25,
                voidThicknessUm: Double = 5, stackThicknessUm: Double? = nil,
                interphaseThicknessUm: Double = 8, roughnessUm: Double = 4,
                bulkPoreFraction: Double = 0.002, bulkPoreRadiusVoxels: Int = 2,
                noiseSigma: Float = 0.02, seed: UInt64 = 1) {
        self.size = size
        self.voxelUm = voxelUm
        self.lithiumThicknessTopUm = lithiumThicknessTopUm
        self.lithiumThicknessBottomUm = lithiumThicknessBottomUm
        self.contactFractionTop = contactFractionTop
        self.contactFractionBottom = contactFractionBottom
        self.voidThicknessUm = voidThicknessUm
        self.stackThicknessUm = stackThicknessUm ?? Double(size.z) * voxelUm * 0.8
        self.interphaseThicknessUm = interphaseThicknessUm
        self.roughnessUm = roughnessUm
        self.bulkPoreFraction = bulkPoreFraction
        self.bulkPoreRadiusVoxels = bulkPoreRadiusVoxels
        self.noiseSigma = noiseSigma
        self.seed = seed
    }
}

/// Grey levels of the synthetic phases, ordered as SCIENCE.md says; the paper's example
/// thresholds (0.175 / 0.35 / 0.40) separate them.
public enum SyntheticGreyLevels {
    public static let void: Float = 0.06
    public static let lithium: Float = 0.25
    public static let interphase: Float = 0.47
    public static let lsps: Float = 0.62
    public static let steel: Float = 0.90
}

/// Why a parameter set cannot be built.
public struct SyntheticParameterError: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public var description: String { "synthetic volume: \(reason)" }
}
