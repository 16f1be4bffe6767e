import XCTest
@testable import Analysis

final class AutoThresholdTests: XCTestCase {
    func testMultiOtsuSeparatesThreeSpikes() {
        var counts = [Int](repeating: 0, count: 64)
        counts[5] = 100; counts[30] = 300; counts[50] = 200
        let k = multiOtsu(Histogram(lower: 0, upper: 64, counts: counts), levels: 2)
        XCTAssertEqual(k.count, 2)
        XCTAssertTrue((6...30).contains(k[0]), "\(k)")
        XCTAssertTrue((31...50).contains(k[1]), "\(k)")
    }

    func testAutoThresholdsOnSyntheticStackSegmentLikeTheTruth() throws {
        let (volume, truth) = try generateSyntheticVolume(SyntheticVolumeParameters(
            size: VolumeSize(x: 64, y: 64, z: 200), contactFractionTop: 0.3, contactFractionBottom: 0.5, seed: 7))
        let report = try autoThresholds(volume)
        let t = report.thresholds
        // Ordered between the phases' grey levels, with margin for the noise.
        XCTAssertGreaterThan(t.voidMax, SyntheticGreyLevels.void + 0.04)
        XCTAssertLessThan(t.voidMax, SyntheticGreyLevels.lithium - 0.06)
        XCTAssertGreaterThan(t.lithiumMax, SyntheticGreyLevels.lithium + 0.06)
        XCTAssertLessThan(t.interphaseMin, SyntheticGreyLevels.interphase - 0.04)
        XCTAssertLessThan(t.lithiumMax, t.interphaseMin)
        XCTAssertEqual(report.lithiumPeak, SyntheticGreyLevels.lithium, accuracy: 0.01)
        let r = try segment(volume, thresholds: t, voxelUm: 1.7, threads: 2)
        XCTAssertEqual(r.thresholds, t, "the result reports the values used")
        for (got, want) in [(r.top, truth.top), (r.bottom, truth.bottom)] {
            XCTAssertEqual(Double(got.lithiumVoxels), Double(want.lithiumVoxels), accuracy: 0.02 * Double(want.lithiumVoxels))
            XCTAssertEqual(Double(got.contactPixels), Double(want.contactPixels), accuracy: 0.02 * Double(want.contactPixels))
            XCTAssertEqual(Double(got.voidVoxels), Double(want.voidVoxels), accuracy: 0.05 * Double(want.voidVoxels))
        }
    }

    func testAutoThresholdsFollowTheGreyScale() throws {
        let (volume, _) = try generateSyntheticVolume(SyntheticVolumeParameters(
            size: VolumeSize(x: 48, y: 48, z: 200), seed: 9))
        let scaled = try Volume(size: volume.size, voxels: volume.voxels.map { UInt16(clampingFloat: $0 * 10_000 + 2_000) })
        let a = try autoThresholds(volume).thresholds
        let b = try autoThresholds(scaled).thresholds
        XCTAssertEqual(b.lithiumMax, a.lithiumMax * 10_000 + 2_000, accuracy: 150)
        XCTAssertEqual(b.interphaseMin, a.interphaseMin * 10_000 + 2_000, accuracy: 150)
        XCTAssertEqual(b.voidMax, a.voidMax * 10_000 + 2_000, accuracy: 300)
    }

    func testFlatVolumeHasNoLithiumPeak() throws {
        let volume = Volume<Float>(size: VolumeSize(x: 4, y: 4, z: 8), repeating: 0.5)
        XCTAssertThrowsError(try autoThresholds(volume))
    }
}
