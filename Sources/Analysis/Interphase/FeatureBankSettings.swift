import Foundation

/// Which filters the voxel classifier sees. Stored inside the model so that `apply` computes
/// exactly the features the forest was trained on.
///
/// Features, in order (n = `sigmas.count`, 5·n in all):
/// raw intensity; Gaussian blur at each σ; difference of Gaussians of consecutive σ;
/// gradient magnitude of each blur; Laplacian of each blur; local variance
/// (blur of v² − (blur of v)²) at each σ. σ in voxels.
public struct FeatureBankSettings: Sendable, Equatable, Codable {
    /// Gaussian scales in voxels, strictly ascending.
    public var sigmas: [Double]

    public init(sigmas: [Double] = [1, 2, 4]) {
        self.sigmas = sigmas
    }

    public var featureCount: Int { 5 * sigmas.count }

    /// Names in feature order, e.g. `gauss_2`, `dog_1_2`, `gradient_4`.
    public var featureNames: [String] {
        func n(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }
        var names = ["raw"]
        names += sigmas.map { "gauss_\(n($0))" }
        names += zip(sigmas, sigmas.dropFirst()).map { "dog_\(n($0))_\(n($1))" }
        names += sigmas.map { "gradient_\(n($0))" }
        names += sigmas.map { "laplacian_\(n($0))" }
        names += sigmas.map { "variance_\(n($0))" }
        return names
    }

    /// Throws unless there is at least one σ, all finite, in 0.3...16 and ascending.
    public func validate() throws {
        guard !sigmas.isEmpty else { throw InterphaseError.invalidSettings("feature bank needs at least one sigma") }
        for (i, s) in sigmas.enumerated() {
            guard s.isFinite, (0.3...16).contains(s) else {
                throw InterphaseError.invalidSettings("sigma \(s) outside 0.3...16 voxels")
            }
            if i > 0, s <= sigmas[i - 1] {
                throw InterphaseError.invalidSettings("sigmas must be strictly ascending, got \(sigmas)")
            }
        }
    }

    /// Gaussian kernel radius: 3σ covers 99.7 % of the weight.
    static func radius(_ sigma: Double) -> Int { Swift.max(1, Int((3 * sigma).rounded(.up))) }

    /// Slices a slab needs beyond its own on each side: the widest kernel plus one for the
    /// central differences.
    var haloSlices: Int { Self.radius(sigmas.max() ?? 1) + 1 }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) func Foundation_exp(_ x: Double) -> Double { exp(x) }

extension FeatureBankSettings {
    /// Mean of each feature over the whole volume (in `featureNames` order), computed with
    /// the same streamed filter bank the classifier uses: a quick look at what the features
    /// see, and the features-only timing of the benchmark.
    public func featureMeans(_ volume: Volume<Float>, threads: Int) throws -> [Double] {
        try validate()
        let F = featureCount
        let sums = FeatureSums(featureCount: F)
        FeatureBank.forEachSlab(volume, settings: self, threads: threads) { slab in
            var local = [Double](repeating: 0, count: F)
            for f in 0..<F {
                let column = slab.features + f * slab.stride
                var s: Float = 0, total = 0.0
                for i in 0..<slab.voxelCount {
                    s += column[i]
                    if i & 4095 == 4095 { total += Double(s); s = 0 }   // bound Float rounding
                }
                local[f] = total + Double(s)
            }
            sums.add(local)
        }
        let n = Double(Swift.max(1, volume.size.voxelCount))
        return sums.values.map { $0 / n }
    }
}

private final class FeatureSums: @unchecked Sendable {
    private let lock = NSLock()
    private var sums: [Double]
    init(featureCount: Int) { sums = Array(repeating: 0, count: featureCount) }
    func add(_ values: [Double]) { lock.lock(); for i in values.indices { sums[i] += values[i] }; lock.unlock() }
    var values: [Double] { lock.lock(); defer { lock.unlock() }; return sums }
}
