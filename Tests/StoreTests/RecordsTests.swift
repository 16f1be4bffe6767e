import Foundation
import XCTest
@testable import Store

final class RecordsTests: XCTestCase {
    func testATwoMillimetreCellHasThePapersArea() throws {
        let database = try AppDatabase.inMemory()
        let cell = try database.findOrCreateCell(named: "LSPS-07", diameterMillimetres: 2, electrolyte: "Li10SnP2S12")
        XCTAssertEqual(cell.areaSquareCentimetres, 0.0314159, accuracy: 1e-6)
        XCTAssertEqual(cell.areaSquareMetres, 3.14159e-6, accuracy: 1e-10)
        XCTAssertEqual(try database.findOrCreateCell(named: "LSPS-07", diameterMillimetres: 5).id, cell.id,
                       "an existing cell is found, not redefined")
    }

    func testAnAssemblyIsStoredWithItsTorqueEvent() throws {
        let database = try AppDatabase.inMemory()
        let cell = try database.findOrCreateCell(named: "C1", diameterMillimetres: 2)
        try database.record(Assembly(cellId: cell.id!, torqueNewtonMetresPerScrew: 0.25, screwCount: 2))
        XCTAssertEqual(try database.assemblies(cellId: cell.id!).map(\.torqueNewtonMetresPerScrew), [0.25])
        let events = try database.events(cellId: cell.id!, kinds: [Event.Kind.torque])
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.value, 0.25)
    }

    func testNegativeTorqueIsRejectedByTheSchema() throws {
        let database = try AppDatabase.inMemory()
        let cell = try database.findOrCreateCell(named: "C1", diameterMillimetres: 2)
        XCTAssertThrowsError(try database.record(Assembly(cellId: cell.id!, torqueNewtonMetresPerScrew: -1, screwCount: 2)))
        XCTAssertEqual(try database.assemblies(cellId: cell.id!).count, 0)
    }

    func testARunLeftRunningIsClosedAsInterruptedAtItsLastSample() throws {
        let database = try AppDatabase.inMemory()
        let cell = try database.findOrCreateCell(named: "C1", diameterMillimetres: 2)
        let run = try database.startRun(Run(cellId: cell.id!, startedUnixTimeSeconds: 1000))
        let writer = SampleWriter(database: database)
        writer.append(EchemSample(runId: run.id!, unixTimeSeconds: 1010, runTimeSeconds: 10, voltageVolts: 0.1,
                                  currentAmps: 3.14e-5, chargeCoulombs: 3.14e-4, stepIndex: 0, cycle: 0))
        try writer.flush()
        let closed = try database.closeInterruptedRuns()
        XCTAssertEqual(closed.map(\.id), [run.id])
        let stored = try XCTUnwrap(try database.run(id: run.id!))
        XCTAssertEqual(stored.status, .interrupted)
        XCTAssertEqual(stored.endedUnixTimeSeconds, 1010)
        XCTAssertEqual(try database.closeInterruptedRuns().count, 0, "closing is done once")
    }

    func testTheNewestCalibrationIsTheOneInForceAndHistoryIsKept() throws {
        let database = try AppDatabase.inMemory()
        try database.record(CalibrationRecord(sensorId: "nau7802@1:0x2a", method: "two-point", countsPerNewton: 1000, zeroCounts: 10))
        try database.record(CalibrationRecord(sensorId: "nau7802@1:0x2a", method: "tare", countsPerNewton: 1000, zeroCounts: 12))
        XCTAssertEqual(try database.currentCalibration(sensorId: "nau7802@1:0x2a")?.zeroCounts, 12)
        XCTAssertEqual(try database.count(table: "calibration"), 2)
        XCTAssertNil(try database.currentCalibration(sensorId: "other"))
    }

    func testScansAreStoredWithTheirResult() throws {
        let database = try AppDatabase.inMemory()
        let cell = try database.findOrCreateCell(named: "C1", diameterMillimetres: 2)
        let run = try database.startRun(Run(cellId: cell.id!))
        let scan = Scan(runId: run.id!, startedUnixTimeSeconds: 1, endedUnixTimeSeconds: 421, path: "/x.raw", voxelMicrometres: 1.7, sizeX: 4, sizeY: 5, sizeZ: 6)
        let result = ScanResult(scanId: 0, createdUnixTimeSeconds: 500, stackThicknessMicrometres: 900, topContactAreaSquareMicrometres: 10,
                                bottomContactAreaSquareMicrometres: 20, topLithiumVolumeCubicMicrometres: 1, bottomLithiumVolumeCubicMicrometres: 2, resultJSON: "{}")
        try database.record(scan, result: result)
        let stored = try database.scans(runId: run.id!)
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored[0].1?.stackThicknessMicrometres, 900)
        XCTAssertEqual(stored[0].1?.scanId, stored[0].0.id)
    }
}
