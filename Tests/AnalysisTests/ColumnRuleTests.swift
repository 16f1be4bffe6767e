import XCTest
@testable import Analysis

/// Hand-built 1×1×Z columns, one rule of SCIENCE.md "Segmentation conventions" each.
final class ColumnRuleTests: XCTestCase {
    let steel: Float = 0.9, li: Float = 0.25, iph: Float = 0.45, lsps: Float = 0.6, dark: Float = 0.05
    let t = SegmentationThresholds.paperDefaults

    /// [steel×3][Li×6][interphase×3][LSPS×16][interphase×3][Li×6][steel×3], Z = 40.
    /// Top run [3, 9), bottom run [31, 37), mid = (9 + 31) / 2 = 20.
    func baseColumn() -> [Float] {
        Array(repeating: steel, count: 3) + Array(repeating: li, count: 6) + Array(repeating: iph, count: 3)
            + Array(repeating: lsps, count: 16) + Array(repeating: iph, count: 3)
            + Array(repeating: li, count: 6) + Array(repeating: steel, count: 3)
    }

    func run(_ column: [Float], voxelUm: Double = 2) throws -> SegmentationResult {
        let volume = try Volume(size: VolumeSize(x: 1, y: 1, z: column.count), voxels: column)
        return try segment(volume, thresholds: t, voxelUm: voxelUm, threads: 1)
    }

    func testCleanStackRunsPositionsAndContact() throws {
        let r = try run(baseColumn())
        XCTAssertEqual(r.top.lithiumVoxels, 6)
        XCTAssertEqual(r.top.lithiumColumns, 1)
        XCTAssertEqual(r.top.contactPixels, 1)
        XCTAssertEqual(r.top.collectorZUm, 3 * 2)     // index of the first run voxel
        XCTAssertEqual(r.top.interfaceZUm, 9 * 2)     // one past the last run voxel
        XCTAssertEqual(r.bottom.lithiumVoxels, 6)
        XCTAssertEqual(r.bottom.interfaceZUm, 31 * 2) // topmost run voxel
        XCTAssertEqual(r.bottom.collectorZUm, 37 * 2) // one past the bottommost run voxel
        XCTAssertEqual(r.stackThicknessUm, (37 - 3) * 2)
        XCTAssertEqual(r.top.voidVoxels + r.bottom.voidVoxels + r.bulkPoreVoxels, 0)
        XCTAssertEqual(r.top.lithiumVolumeUm3, 6 * 8)
        XCTAssertEqual(r.top.contactAreaUm2, 4)
        XCTAssertEqual(r.top.contactFraction, 1)
        XCTAssertEqual(r.top.contactMap.pixels, [1])
    }

    func testInterfacialVoidAtTopIsVoidNotLithiumAndBreaksContact() throws {
        var c = baseColumn()
        c[7] = dark; c[8] = dark
        let r = try run(c)
        XCTAssertEqual(r.top.lithiumVoxels, 4)
        XCTAssertEqual(r.top.voidVoxels, 2)
        XCTAssertEqual(r.top.contactPixels, 0)
        XCTAssertEqual(r.top.interfaceZUm, 9 * 2, "void voxels belong to the run")
        XCTAssertEqual(r.bulkPoreVoxels, 0)
        XCTAssertEqual(r.bottom.contactPixels, 1)
    }

    func testInterfacialVoidAtBottomIsMirrored() throws {
        var c = baseColumn()
        c[31] = dark; c[32] = dark; c[33] = dark
        let r = try run(c)
        XCTAssertEqual(r.bottom.lithiumVoxels, 3)
        XCTAssertEqual(r.bottom.voidVoxels, 3)
        XCTAssertEqual(r.bottom.contactPixels, 0)
        XCTAssertEqual(r.bottom.interfaceZUm, 31 * 2)
        XCTAssertEqual(r.top.voidVoxels, 0)
        XCTAssertEqual(r.top.contactPixels, 1)
    }

    func testDarkVoxelAmongLastFiveBreaksContactButWalkStopsAtLithium() throws {
        var c = baseColumn()
        c[5] = dark          // run [3, 9): voxels 4...8 are the 5 nearest the electrolyte
        let r = try run(c)
        XCTAssertEqual(r.top.contactPixels, 0)
        XCTAssertEqual(r.top.lithiumVoxels, 5)
        XCTAssertEqual(r.top.voidVoxels, 0, "the walk meets lithium (voxel 8) first and stops")
        var c2 = baseColumn()
        c2[3] = dark         // the 6th voxel from the interface: still in contact
        XCTAssertEqual(try run(c2).top.contactPixels, 1)
    }

    func testSingleBrightNoiseVoxelStaysInRun() throws {
        var c = baseColumn()
        c[5] = 0.5           // mean(0.5, 0.25, 0.25) = 0.33 ≤ interphase_min
        let r = try run(c)
        XCTAssertEqual(r.top.lithiumVoxels, 6)
        XCTAssertEqual(r.top.interfaceZUm, 9 * 2)
        var c2 = baseColumn()
        c2[5] = 0.9; c2[6] = 0.9   // mean(0.9, 0.9, 0.25) > 0.40 ends the run at 5
        let r2 = try run(c2)
        XCTAssertEqual(r2.top.interfaceZUm, 5 * 2)
        XCTAssertEqual(r2.top.lithiumVoxels, 2)
    }

    func testBulkPoreIsCountedAndWalkContinuesToVoid() throws {
        var c = baseColumn()
        c[15] = dark; c[16] = dark        // pore in LSPS, above mid: top walk
        c[24] = dark                      // pore below mid: bottom walk
        c[8] = dark                       // interfacial void at the top
        let r = try run(c)
        XCTAssertEqual(r.bulkPoreVoxels, 3)
        XCTAssertEqual(r.top.voidVoxels, 1, "the walk passes the pore and still finds the void")
        XCTAssertEqual(r.top.lithiumVoxels, 5)
    }

    func testDarkRunWithBrighterVoxelWhoseMeanIsDarkStaysOneRun() throws {
        var c = baseColumn()
        // Walking up from 20: 17 dark, 16 = 0.3 but mean(16, 15, 14) < void_max → still dark.
        c[14] = dark; c[15] = dark; c[16] = 0.3; c[17] = dark
        let r = try run(c)
        XCTAssertEqual(r.bulkPoreVoxels, 4)
        XCTAssertEqual(r.top.voidVoxels, 0)
        // Without the dark voxels above, 0.3 closes the run: mean(0.3, 0.6, 0.6) ≥ lithium_max,
        // a bulk pore of 1. The closing voxel is consumed by the close, so the walk goes on
        // at 15 (LSPS) and finds the top electrode's contact, not a stop at 0.3.
        var c2 = baseColumn()
        c2[16] = 0.3; c2[17] = dark
        let r2 = try run(c2)
        XCTAssertEqual(r2.bulkPoreVoxels, 1)
        XCTAssertEqual(r2.top.voidVoxels, 0)
        // Closing voxel at lithium level with lithium-level voxels above: interfacial void.
        var c3 = baseColumn()
        c3[14] = 0.3; c3[15] = 0.3; c3[16] = 0.3; c3[17] = dark
        let r3 = try run(c3)
        XCTAssertEqual(r3.top.voidVoxels, 1)
        XCTAssertEqual(r3.bulkPoreVoxels, 0)
    }

    func testColumnWithoutLithium() throws {
        // Steel directly on interphase at the top; no lithium run.
        var c = baseColumn()
        for z in 3..<9 { c[z] = steel }
        let r = try run(c)
        XCTAssertEqual(r.top.lithiumColumns, 0)
        XCTAssertEqual(r.top.lithiumVoxels, 0)
        XCTAssertEqual(r.top.contactPixels, 0)
        XCTAssertEqual(r.top.interfaceZUm, 0)
        XCTAssertEqual(r.stackThicknessUm, 0, "no column has both runs")
        XCTAssertEqual(r.bottom.lithiumVoxels, 6)
        XCTAssertEqual(r.bottom.contactPixels, 1)
    }

    func testRunReachingTheSearchLimitEndsAtMidVolume() throws {
        // Lithium all the way down past Z/2 = 20 at the top.
        var c = baseColumn()
        for z in 3..<25 { c[z] = li }
        let r = try run(c)
        XCTAssertEqual(r.top.interfaceZUm, 20 * 2)
        XCTAssertEqual(r.top.lithiumVoxels, 17)
    }

    func testUInt16VolumeWithScaledThresholds() throws {
        var c = baseColumn()
        c[7] = dark; c[8] = dark
        let scaled = c.map { UInt16($0 * 1000) }
        let volume = try Volume(size: VolumeSize(x: 1, y: 1, z: scaled.count), voxels: scaled)
        let r = try segment(volume, thresholds: SegmentationThresholds(voidMax: 175, lithiumMax: 350, interphaseMin: 400),
                            voxelUm: 1.7)
        XCTAssertEqual(r.top.lithiumVoxels, 4)
        XCTAssertEqual(r.top.voidVoxels, 2)
    }

    func testInvalidInputsThrow() throws {
        let v = try Volume(size: VolumeSize(x: 1, y: 1, z: 3), voxels: [Float](repeating: 0, count: 3))
        XCTAssertThrowsError(try segment(v, thresholds: t, voxelUm: 1)) { XCTAssertEqual($0 as? SegmentationError, .volumeTooThin(z: 3)) }
        let w = try Volume(size: VolumeSize(x: 1, y: 1, z: 40), voxels: baseColumn())
        let bad = SegmentationThresholds(voidMax: 0.5, lithiumMax: 0.3, interphaseMin: 0.4)
        XCTAssertThrowsError(try segment(w, thresholds: bad, voxelUm: 1))
        XCTAssertThrowsError(try segment(w, thresholds: t, voxelUm: 0))
    }

    func testJSONKeys() throws {
        let r = try run(baseColumn())
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(r)) as! [String: Any]
        XCTAssertEqual(Set(json.keys), ["top", "bottom", "voxel_um", "size", "bulk_pore_voxels",
                                        "stack_thickness_um", "thresholds", "elapsed_s"])
        let top = json["top"] as! [String: Any]
        XCTAssertEqual(Set(top.keys), ["lithium_voxels", "lithium_volume_um3", "void_voxels", "void_volume_um3",
                                       "lithium_columns", "contact_pixels", "contact_area_um2", "contact_fraction",
                                       "interface_z_um", "collector_z_um"])
        XCTAssertEqual(json["size"] as? [Int], [1, 1, 40])
        let back = try JSONDecoder().decode(SegmentationResult.self, from: JSONEncoder().encode(r))
        XCTAssertEqual(back.top.lithiumVoxels, r.top.lithiumVoxels)
        XCTAssertEqual(back.thresholds, r.thresholds)
    }
}
