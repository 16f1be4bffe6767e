import Foundation
import XCTest
@testable import Analysis

final class InterphaseFeatureTests: XCTestCase {
    let bank = FeatureBankSettings(sigmas: [1, 2])

    /// All features of every voxel, via the same path training uses.
    func allFeatures(_ volume: Volume<Float>, threads: Int, budget: Int) -> [Float] {
        let n = volume.size.voxelCount, F = bank.featureCount
        var rows = [Float](repeating: .nan, count: n * F)
        rows.withUnsafeMutableBufferPointer { buffer in
            let out = SharedMutablePointer(buffer.baseAddress!)
            FeatureBank.forEachSlab(volume, settings: bank, threads: threads, voxelBudget: budget) { slab in
                for i in 0..<slab.voxelCount {
                    for f in 0..<F { out.pointer[(slab.firstVoxel + i) * F + f] = slab.features[f * slab.stride + i] }
                }
            }
        }
        return rows
    }

    func testFeatureNamesMatchTheCount() {
        XCTAssertEqual(bank.featureNames, ["raw", "gauss_1", "gauss_2", "dog_1_2", "gradient_1", "gradient_2",
                                           "laplacian_1", "laplacian_2", "variance_1", "variance_2"])
        XCTAssertEqual(FeatureBankSettings().featureCount, 15)
        XCTAssertThrowsError(try FeatureBankSettings(sigmas: [2, 1]).validate())
        XCTAssertThrowsError(try FeatureBankSettings(sigmas: []).validate())
    }

    func testAConstantVolumeHasFlatFeatures() {
        let volume = Volume<Float>(size: VolumeSize(x: 7, y: 5, z: 9), repeating: 0.4)
        let rows = allFeatures(volume, threads: 2, budget: 70)
        for i in 0..<volume.size.voxelCount {
            let r = Array(rows[(i * 10)..<(i * 10 + 10)])
            for f in 0...2 { XCTAssertEqual(r[f], 0.4, accuracy: 1e-5) }
            for f in 3...9 { XCTAssertEqual(r[f], 0, accuracy: 1e-5, "feature \(bank.featureNames[f])") }
        }
    }

    func testSlabsWithHalosGiveTheSameFeaturesAsOneSlab() throws {
        let size = VolumeSize(x: 9, y: 6, z: 23)
        var rng = Xoshiro256StarStar(seed: 9)
        let volume = try Volume(size: size, voxels: (0..<size.voxelCount).map { _ in Float(rng.below(1000)) / 1000 })
        let whole = allFeatures(volume, threads: 1, budget: Int.max / 2)
        // 54 voxels per slice: a budget of 108 gives 2-slice slabs, much thinner than the halo.
        let slabbed = allFeatures(volume, threads: 2, budget: 108)
        XCTAssertEqual(FeatureBank.slabThickness(size: size, threads: 2, voxelBudget: 108), 2)
        XCTAssertFalse(whole.contains { $0.isNaN })
        for i in whole.indices { XCTAssertEqual(whole[i], slabbed[i], accuracy: 1e-5, "value \(i)") }
    }

    func testARampHasItsSlopeAsGradientAndNoCurvature() throws {
        let size = VolumeSize(x: 12, y: 12, z: 24)
        var voxels = [Float](repeating: 0, count: size.voxelCount)
        for z in 0..<size.z { for i in 0..<size.columnCount { voxels[z * size.columnCount + i] = 0.05 * Float(z) } }
        let rows = allFeatures(try Volume(size: size, voxels: voxels), threads: 2, budget: 300)
        let centre = (6 + 12 * (6 + 12 * 12)) * 10
        XCTAssertEqual(rows[centre + 1], 0.6, accuracy: 1e-4, "a blur keeps a linear ramp")
        XCTAssertEqual(rows[centre + 4], 0.05, accuracy: 1e-4, "gradient σ1")
        XCTAssertEqual(rows[centre + 5], 0.05, accuracy: 1e-4, "gradient σ2")
        XCTAssertEqual(rows[centre + 6], 0, accuracy: 1e-4, "Laplacian σ1")
        XCTAssertGreaterThan(rows[centre + 8], 0, "a ramp varies locally")
    }

    func testAnImpulseSpreadsWithUnitWeight() throws {
        let size = VolumeSize(x: 15, y: 15, z: 15)
        var volume = Volume<Float>(size: size, repeating: 0)
        volume[7, 7, 7] = 1
        let rows = allFeatures(volume, threads: 1, budget: 1 << 20)
        var total: Float = 0
        for i in 0..<size.voxelCount { total += rows[i * 10 + 1] }
        XCTAssertEqual(total, 1, accuracy: 1e-4)
        // Separable: the centre is the 1-D centre weight cubed.
        var weightSum = 0.0
        for k in -3...3 { weightSum += exp(-Double(k * k) / 2) }
        let w0 = Float(1 / weightSum)
        XCTAssertEqual(rows[volume.index(x: 7, y: 7, z: 7) * 10 + 1], w0 * w0 * w0, accuracy: 1e-5)
    }

    func testFeatureMeansOfAStepAreItsMeanAndItsEdge() throws {
        // Half 0.2, half 0.6 along z: blurs keep the mean 0.4; only the edge has a gradient.
        let size = VolumeSize(x: 6, y: 6, z: 40)
        var volume = Volume<Float>(size: size, repeating: 0.2)
        for z in 20..<40 { for y in 0..<6 { for x in 0..<6 { volume[x, y, z] = 0.6 } } }
        let means = try bank.featureMeans(volume, threads: 2)
        XCTAssertEqual(means.count, 10)
        XCTAssertEqual(means[0], 0.4, accuracy: 1e-6)
        XCTAssertEqual(means[1], 0.4, accuracy: 1e-4)
        XCTAssertEqual(means[2], 0.4, accuracy: 1e-4)
        XCTAssertGreaterThan(means[4], 0.005, "gradient at the step")
        XCTAssertLessThan(means[4], 0.02, "only near the step: 0.4 spread over 40 slices is 0.01")
        XCTAssertEqual(means[6], 0, accuracy: 1e-4, "Laplacian lobes cancel")
    }
}
