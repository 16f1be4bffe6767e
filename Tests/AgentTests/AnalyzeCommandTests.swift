import Foundation
import XCTest
@testable import AgentKit
import Store

final class AnalyzeCommandTests: XCTestCase {
    private func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    func testASyntheticVolumeIsSegmentedToItsTruthThroughTheCommandLine() throws {
        let dir = try ScratchDirectory()
        let synth = try CommandLineRunner.run(["synth", "--out", dir.file("v.raw"), "--size", "60,50,160",
                                               "--lithium-top-um", "40", "--lithium-bottom-um", "40",
                                               "--contact-top", "0.6", "--contact-bottom", "0.3", "--seed", "3"])
        XCTAssertEqual(synth.status, 0, synth.stderr)
        let truth = try json(String(contentsOfFile: dir.file("v.truth.json"), encoding: .utf8))
        for extra in [["--void-max", "0.175", "--lithium-max", "0.35", "--interphase-min", "0.40"], ["--auto-thresholds"]] {
            let output = try CommandLineRunner.run(["analyze", dir.file("v.raw"), "--size", "60,50,160", "--format", "json",
                                                    "--threads", "2", "--contact-map", dir.file("map")] + extra)
            XCTAssertEqual(output.status, 0, output.stderr)
            let result = try json(output.stdout)
            for side in ["top", "bottom"] {
                let got = result[side] as! [String: Any], want = truth[side] as! [String: Any]
                let gotLi = got["lithium_voxels"] as! Double, wantLi = want["lithium_voxels"] as! Double
                XCTAssertEqual(gotLi, wantLi, accuracy: 0.02 * wantLi, "\(side) lithium with \(extra)")
                let gotContact = got["contact_pixels"] as! Double, wantContact = want["contact_pixels"] as! Double
                XCTAssertEqual(gotContact, wantContact, accuracy: 0.02 * wantContact, "\(side) contact with \(extra)")
            }
            XCTAssertEqual(result["stack_thickness_um"] as! Double, truth["stack_thickness_um"] as! Double, accuracy: 1.7)
            XCTAssertEqual(result["size"] as! [Int], [60, 50, 160])
        }
        let pgm = try Data(contentsOf: URL(fileURLWithPath: dir.file("map-top.pgm")))
        XCTAssertTrue(pgm.starts(with: Data("P5\n60 50\n".utf8)), "a binary PGM of the 60×50 map")
    }

    func testAWrongSizedVolumeIsAClearErrorNamingBothSizes() throws {
        let dir = try ScratchDirectory()
        try Data(count: 1000).write(to: URL(fileURLWithPath: dir.file("short.raw")))
        let output = try CommandLineRunner.run(["analyze", dir.file("short.raw"), "--size", "10,10,10", "--auto-thresholds"])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains(dir.file("short.raw")), output.stderr)
        XCTAssertTrue(output.stderr.contains("4000") && output.stderr.contains("1000"), output.stderr)
    }

    func testThresholdsMustBeAllGivenOrAutomatic() throws {
        let output = try CommandLineRunner.run(["analyze", "x.raw", "--size", "10,10,10", "--void-max", "0.1"])
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("or --auto-thresholds"), output.stderr)
        let bad = try CommandLineRunner.run(["analyze", "x.raw", "--size", "10,10", "--auto-thresholds"])
        XCTAssertTrue(bad.stderr.contains("--size must be X,Y,Z"), bad.stderr)
    }
}

final class ScanImportCommandTests: XCTestCase {
    func testAScanIsSegmentedAndStoredWithItsRunAndTime() throws {
        let dir = try ScratchDirectory()
        _ = try CommandLineRunner.run(["synth", "--out", dir.file("v.raw"), "--size", "40,40,160", "--lithium-top-um", "40", "--lithium-bottom-um", "40"])
        let db = dir.file("s.sqlite")
        let database = try AppDatabase.openForWriting(path: db)
        let cell = try database.findOrCreateCell(named: "C", diameterMillimetres: 2)
        let run = try database.startRun(Run(cellId: cell.id!))
        let output = try CommandLineRunner.run(["import", "scan", dir.file("v.raw"), "--size", "40,40,160", "--db", db,
                                                "--run", "\(run.id!)", "--time", "2026-11-27T10:00:00Z"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let scans = try database.scans(runId: run.id!)
        XCTAssertEqual(scans.count, 1)
        XCTAssertEqual(scans[0].0.startedUnixTimeSeconds, 1_795_773_600)
        XCTAssertEqual(scans[0].0.endedUnixTimeSeconds, 1_795_773_600 + 420)
        let result = try ScanStorage.segmentation(from: XCTUnwrap(scans[0].1))
        XCTAssertEqual(result.top.contactMap.width, 40)
        XCTAssertGreaterThan(result.top.lithiumVoxels, 0)
        let missingRun = try CommandLineRunner.run(["import", "scan", dir.file("v.raw"), "--size", "40,40,160", "--db", db,
                                                    "--run", "99", "--time", "0"])
        XCTAssertEqual(missingRun.status, 1)
        XCTAssertTrue(missingRun.stderr.contains("run 99"), missingRun.stderr)
        XCTAssertEqual(try database.count(table: "scan"), 1)
    }
}
