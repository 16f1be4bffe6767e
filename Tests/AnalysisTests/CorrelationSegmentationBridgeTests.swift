import XCTest
@testable import Analysis

/// The correlation input is filled from the segmentation's results and survives JSON.
final class CorrelationSegmentationBridgeTests: XCTestCase {
    func testScanRecordFromSegmentationResult() throws {
        // 4×2 columns at 1.7 µm: 3 contact pixels on top, 1 at the bottom.
        let topMap = ContactMap(width: 4, height: 2, pixels: [1, 1, 0, 1, 0, 0, 0, 0])
        let top = ElectrodeMeasurements(lithiumVoxels: 100, voidVoxels: 2, lithiumColumns: 8, contactPixels: 3,
                                        interfaceZUm: 20, collectorZUm: 5, voxelUm: 1.7, columnCount: 8, contactMap: topMap)
        let bottom = ElectrodeMeasurements(lithiumVoxels: 80, voidVoxels: 0, lithiumColumns: 8, contactPixels: 1,
                                           interfaceZUm: 60, collectorZUm: 80, voxelUm: 1.7, columnCount: 8,
                                           contactMap: ContactMap(width: 0, height: 0))
        let result = SegmentationResult(top: top, bottom: bottom, voxelUm: 1.7, size: VolumeSize(x: 4, y: 2, z: 50),
                                        bulkPoreVoxels: 0, stackThicknessUm: 75, thresholds: .paperDefaults, elapsedS: 0)
        let scan = ScanRecord(id: 3, startUnixSeconds: 10, endUnixSeconds: 430, segmentation: result)
        XCTAssertEqual(try XCTUnwrap(scan.analysedAreaSquareMicrometres), 8 * 1.7 * 1.7, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(scan.top?.lithiumVolumeCubicMicrometres), 100 * 1.7 * 1.7 * 1.7, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(scan.top?.contactFraction), 3.0 / 8, accuracy: 1e-12)
        XCTAssertEqual(scan.top?.contactMap, topMap)
        XCTAssertNil(scan.bottom?.contactMap, "an empty 0×0 map means no map")
        XCTAssertEqual(scan.stackThicknessMicrometres, 75)
    }

    func testInputWithContactMapsRoundTripsThroughJSON() throws {
        let input = CorrelationSyntheticRun().input()
        let back = try JSONDecoder().decode(CorrelationInput.self, from: JSONEncoder().encode(input))
        XCTAssertEqual(back.scans, input.scans)
        XCTAssertNotNil(back.scans[0].top?.contactMap)
        XCTAssertEqual(back.pressureMegapascals, input.pressureMegapascals)
    }

    func testMalformedContactMapJSONIsRejected() {
        let json = #"{"contactMap":{"width":3,"height":3,"pixels":[1,0]}}"#
        XCTAssertThrowsError(try JSONDecoder().decode(InterfaceMeasurement.self, from: Data(json.utf8)))
    }
}
