/// A synthetic stack whose interphase cannot be thresholded: its voxels are grains of two
/// grey levels, one inside the lithium range and one inside the electrolyte range (their
/// mean sits between the two, as in SCIENCE.md's ordering), so single voxels overlap both
/// neighbours and only the texture (local mean, local variance) gives the layer away.
///
/// Built by post-processing a noise-free `generateSyntheticVolume`: its exact grey levels
/// identify each voxel's phase (the known truth), then grey levels, grains and noise are
/// painted anew.
public enum SyntheticInterphase {
    /// Phase labels written into `phases`: label k = `classNames[k − 1]`.
    public static let classNames = ["void", "lithium", "interphase", "electrolyte", "steel"]
    public static let interphaseLabel: UInt8 = 3

    public struct Texture: Sendable, Equatable, Codable {
        /// Grey level of the dark grains (within the lithium noise band).
        public var darkGrain: Float
        /// Grey level of the bright grains (within the electrolyte noise band).
        public var brightGrain: Float
        /// Fraction of interphase voxels that are bright grains.
        public var brightFraction: Double

        public init(darkGrain: Float = 0.31, brightGrain: Float = 0.57, brightFraction: Double = 0.5) {
            self.darkGrain = darkGrain
            self.brightGrain = brightGrain
            self.brightFraction = brightFraction
        }
    }

    /// The image (noise `parameters.noiseSigma`) and the per-voxel truth (labels 1...5).
    public static func generate(_ parameters: SyntheticVolumeParameters, texture: Texture = Texture(),
                                threads: Int = 1) throws -> (volume: Volume<Float>, phases: Volume<UInt8>) {
        var clean = parameters
        clean.noiseSigma = 0
        let (exact, _) = try generateSyntheticVolume(clean, threads: threads)
        let levels: [(Float, UInt8)] = [(SyntheticGreyLevels.void, 1), (SyntheticGreyLevels.lithium, 2),
                                        (SyntheticGreyLevels.interphase, 3), (SyntheticGreyLevels.lsps, 4),
                                        (SyntheticGreyLevels.steel, 5)]
        var phases = [UInt8](repeating: 0, count: exact.voxels.count)
        var grey = [Float](repeating: 0, count: exact.voxels.count)
        let sigma = parameters.noiseSigma
        let seedMix = mix(parameters.seed ^ 0x1F7E_5EED_0000_0003)
        let brightCut = UInt64(Swift.max(0, Swift.min(1, texture.brightFraction)) * Double(1 << 32))
        for (i, v) in exact.voxels.enumerated() {
            var phase: UInt8 = 0
            for (level, label) in levels where abs(v - level) < 0.01 { phase = label }
            guard phase != 0 else {
                throw SyntheticParameterError(reason: "voxel \(i) has grey level \(v), not one of the phases")
            }
            phases[i] = phase
            let h = mix(seedMix &+ UInt64(i))
            var base = v
            if phase == interphaseLabel {
                base = (h & 0xFFFF_FFFF) < brightCut ? texture.brightGrain : texture.darkGrain
            }
            grey[i] = base + sigma * gaussianTable[Int(h >> 48)]
        }
        return (try Volume(size: exact.size, voxels: grey), try Volume(size: exact.size, voxels: phases))
    }

    /// Voxels with `low ≤ v < high`: the single-threshold (window) answer a classifier is
    /// compared with.
    public static func thresholdCount(_ volume: Volume<Float>, low: Float, high: Float) -> Int {
        var n = 0
        for v in volume.voxels where v >= low && v < high { n += 1 }
        return n
    }
}
