import Foundation
import XCTest
@testable import Analysis

/// Segmentation of synthetic stacks against the generator's ground truth.
final class SyntheticSegmentationTests: XCTestCase {
    static let parameters = SyntheticVolumeParameters(
        size: VolumeSize(x: 96, y: 80, z: 200), voxelUm: 1.7, contactFractionTop: 0.6,
        contactFractionBottom: 0.25, bulkPoreFraction: 0.004, seed: 42)

    func assertClose(_ a: Int, _ b: Int, relative: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(Double(a - b)), relative * Double(b), "\(what): \(a) vs truth \(b)", file: file, line: line)
    }

    func assertMatchesTruth(_ r: SegmentationResult, _ truth: SegmentationResult, file: StaticString = #filePath, line: UInt = #line) {
        let vox = truth.voxelUm
        for (name, got, want) in [("top", r.top, truth.top), ("bottom", r.bottom, truth.bottom)] {
            XCTAssertGreaterThan(want.lithiumVoxels, 0)
            assertClose(got.lithiumVoxels, want.lithiumVoxels, relative: 0.02, "\(name) lithium voxels", file: file, line: line)
            assertClose(got.contactPixels, want.contactPixels, relative: 0.02, "\(name) contact pixels", file: file, line: line)
            assertClose(got.voidVoxels, want.voidVoxels, relative: 0.05, "\(name) void voxels", file: file, line: line)
            XCTAssertEqual(got.interfaceZUm, want.interfaceZUm, accuracy: vox, "\(name) interface", file: file, line: line)
            XCTAssertEqual(got.collectorZUm, want.collectorZUm, accuracy: vox, "\(name) collector", file: file, line: line)
            XCTAssertEqual(got.lithiumColumns, want.lithiumColumns, file: file, line: line)
        }
        XCTAssertEqual(r.stackThicknessUm, truth.stackThicknessUm, accuracy: vox, file: file, line: line)
        assertClose(r.bulkPoreVoxels, truth.bulkPoreVoxels, relative: 0.05, "bulk pores", file: file, line: line)
    }

    func testSegmentationMatchesTruthOnOneAndTwoThreads() throws {
        let (volume, truth) = try generateSyntheticVolume(Self.parameters)
        XCTAssertGreaterThan(truth.bulkPoreVoxels, 0)
        XCTAssertGreaterThan(truth.top.voidVoxels, 0)
        XCTAssertEqual(truth.top.contactFraction, 0.6, accuracy: 0.001)
        let one = try segment(volume, thresholds: .paperDefaults, voxelUm: 1.7, threads: 1)
        assertMatchesTruth(one, truth)
        let two = try segment(volume, thresholds: .paperDefaults, voxelUm: 1.7, threads: 2)
        var oneNoTime = one, twoNoTime = two
        oneNoTime.elapsedS = 0; twoNoTime.elapsedS = 0
        XCTAssertEqual(oneNoTime, twoNoTime, "thread count must not change the result")
        // Contact maps agree pixel by pixel almost everywhere (noise may darken a Li voxel).
        let differing = zip(one.bottom.contactMap.pixels, truth.bottom.contactMap.pixels).filter { $0 != $1 }.count
        XCTAssertLessThanOrEqual(Double(differing), 0.02 * Double(volume.size.columnCount))
    }

    func testVoidPatchesTouchingTheVolumeBoundaryAreFound() throws {
        let (volume, truth) = try generateSyntheticVolume(Self.parameters)
        let map = truth.bottom.contactMap   // 75 % voids: the patches reach the edges
        let edge = (0..<map.width).flatMap { [($0, 0), ($0, map.height - 1)] } + (0..<map.height).flatMap { [(0, $0), (map.width - 1, $0)] }
        let edgeVoids = edge.filter { map[$0.0, $0.1] == 0 }
        XCTAssertFalse(edgeVoids.isEmpty, "the fixture must have void patches on the boundary")
        let r = try segment(volume, thresholds: .paperDefaults, voxelUm: 1.7, threads: 2)
        let agree = edge.filter { r.bottom.contactMap[$0.0, $0.1] == map[$0.0, $0.1] }.count
        XCTAssertGreaterThanOrEqual(Double(agree), 0.98 * Double(edge.count))
    }

    func testColumnsWithoutLithium() throws {
        var (volume, truth) = try generateSyntheticVolume(Self.parameters)
        // Replace the top lithium (and its voids) of a 10×10 patch with steel.
        var removedLithium = 0, removedVoid = 0
        for y in 20..<30 {
            for x in 40..<50 {
                var z = 0
                while volume[x, y, z] >= 0.35 { z += 1 }         // steel
                while volume[x, y, z] < 0.35 {                   // lithium and void
                    if volume[x, y, z] < 0.175 { removedVoid += 1 } else { removedLithium += 1 }
                    volume[x, y, z] = SyntheticGreyLevels.steel
                    z += 1
                }
            }
        }
        let r = try segment(volume, thresholds: .paperDefaults, voxelUm: 1.7, threads: 2)
        XCTAssertEqual(r.top.lithiumColumns, truth.top.lithiumColumns - 100)
        assertClose(r.top.lithiumVoxels, truth.top.lithiumVoxels - removedLithium, relative: 0.02, "lithium")
        assertClose(r.top.voidVoxels, truth.top.voidVoxels - removedVoid, relative: 0.05, "void")
        for y in 20..<30 { for x in 40..<50 { XCTAssertEqual(r.top.contactMap[x, y], 0) } }
        XCTAssertEqual(r.bottom.lithiumColumns, truth.bottom.lithiumColumns)
    }

    func testGeneratorIsDeterministicAndSeeded() throws {
        var small = SyntheticVolumeParameters(size: VolumeSize(x: 32, y: 24, z: 120), lithiumThicknessTopUm: 30,
                                              lithiumThicknessBottomUm: 30, seed: 42)
        let a = try generateSyntheticVolume(small, threads: 1)
        let b = try generateSyntheticVolume(small, threads: 2)
        XCTAssertEqual(a.volume.voxels, b.volume.voxels)
        XCTAssertEqual(a.truth, b.truth)
        small.seed = 43
        let c = try generateSyntheticVolume(small)
        XCTAssertNotEqual(a.volume.voxels, c.volume.voxels)
    }

    func testTruthJSONHasTheResultKeys() throws {
        let small = SyntheticVolumeParameters(size: VolumeSize(x: 16, y: 16, z: 120), lithiumThicknessTopUm: 30,
                                              lithiumThicknessBottomUm: 30, seed: 42)
        let truth = try generateSyntheticVolume(small).truth
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(truth)) as! [String: Any]
        XCTAssertEqual(Set(json.keys), ["top", "bottom", "voxel_um", "size", "bulk_pore_voxels",
                                        "stack_thickness_um", "thresholds", "elapsed_s"])
    }

    func testImpossibleGeometryThrows() {
        var p = Self.parameters
        p.lithiumThicknessTopUm = 400   // past the mid-plane
        XCTAssertThrowsError(try generateSyntheticVolume(p)) { XCTAssertTrue("\($0)".contains("does not fit")) }
        p = Self.parameters
        p.contactFractionTop = 1.5
        XCTAssertThrowsError(try generateSyntheticVolume(p))
    }
}

final class SegmentationProgressTests: XCTestCase {
    func testProgressReachesOneAndNeverDecreasesPerCall() throws {
        let (volume, _) = try generateSyntheticVolume(SyntheticVolumeParameters(
            size: VolumeSize(x: 64, y: 64, z: 120), lithiumThicknessTopUm: 30, lithiumThicknessBottomUm: 30, seed: 5))
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var values: [Double] = []   // guarded by lock
        }
        let seen = Seen()
        _ = try segment(volume, thresholds: .paperDefaults, voxelUm: 1.7, threads: 2) { fraction in
            seen.lock.lock(); seen.values.append(fraction); seen.lock.unlock()
        }
        let values = seen.values.sorted()
        XCTAssertEqual(values.count, 4)   // 4096 columns / 1024 per slab
        XCTAssertEqual(values.last, 1.0)
        XCTAssertEqual(values.first, 0.25)
    }
}
