import Foundation
import XCTest

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
