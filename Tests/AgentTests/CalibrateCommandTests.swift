import Foundation
import XCTest
import Store

final class CalibrateCommandTests: XCTestCase {
    func testASimulatedNAU7802IsCalibratedAtKnownLoadsAndTheHistoryKept() throws {
        let dir = try ScratchDirectory()
        let db = dir.file("c.sqlite")
        let first = try CommandLineRunner.run(["calibrate", "--db", db, "--simulate", "--loads", "0,10,30", "--samples", "4"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("stored calibration 1 for nau7802@1:0x2a (least-squares (3 points))"), first.stdout)
        let record = try XCTUnwrap(try AppDatabase.openReadOnly(path: db).currentCalibration(sensorId: "nau7802@1:0x2a"))
        // The simulated 50 N, 2 mV/V bridge at gain 128 on the NAU7802's 24 bits: the fit must
        // reproduce the loads it was given to well under 0.1 N.
        XCTAssertLessThan(record.residualRMSNewtons ?? 1, 0.05)
        XCTAssertGreaterThan(record.countsPerNewton, 1000)
        let tare = try CommandLineRunner.run(["calibrate", "--db", db, "--simulate", "--tare", "--samples", "4"])
        XCTAssertEqual(tare.status, 0, tare.stderr)
        let database = try AppDatabase.openReadOnly(path: db)
        XCTAssertEqual(try database.count(table: "calibration"), 2, "history is appended")
        XCTAssertEqual(try database.currentCalibration(sensorId: "nau7802@1:0x2a")?.method, "tare")
        XCTAssertEqual(try database.currentCalibration(sensorId: "nau7802@1:0x2a")?.countsPerNewton, record.countsPerNewton)
    }

    func testGivenPointsAreFittedWithoutASensor() throws {
        let dir = try ScratchDirectory()
        let output = try CommandLineRunner.run(["calibrate", "--db", dir.file("c.sqlite"), "--sensor-id", "rig-1",
                                                "--point", "1000:0", "--point", "3000:10"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("200 counts/N, zero at 1000.0 counts"), output.stdout)
    }

    func testTaringWithoutACalibrationStoresNothing() throws {
        let dir = try ScratchDirectory()
        let output = try CommandLineRunner.run(["calibrate", "--db", dir.file("c.sqlite"), "--simulate", "--tare", "--sensor-id", "new"])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("a calibration for sensor new to tare"), output.stderr)
        XCTAssertEqual(try AppDatabase.openReadOnly(path: dir.file("c.sqlite")).count(table: "calibration"), 0)
    }

    func testBadPointsAndUnknownChipsAreRefused() throws {
        let bad = try CommandLineRunner.run(["calibrate", "--point", "12:x", "--point", "1:2"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--point 12:x: expected COUNTS:NEWTONS"), bad.stderr)
        let dir = try ScratchDirectory()
        let chip = try CommandLineRunner.run(["calibrate", "--db", dir.file("c.sqlite"), "--chip", "hx711", "--simulate", "--tare"])
        XCTAssertEqual(chip.status, 1)
        XCTAssertTrue(chip.stderr.contains("hx711"), chip.stderr)
    }
}
