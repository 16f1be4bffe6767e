import Analysis
import Foundation
import XCTest

/// `cellpress interphase train|apply` run as a user would, on a textured synthetic stack.
final class InterphaseCommandTests: XCTestCase {
    static let size = VolumeSize(x: 40, y: 40, z: 96)
    static let sizeArgument = "40,40,96"

    private func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// Writes the image and a label volume of three xz slices; returns the truth volume.
    private func writeStack(in dir: ScratchDirectory) throws -> Volume<UInt8> {
        let parameters = SyntheticVolumeParameters(
            size: Self.size, voxelUm: 1.7, lithiumThicknessTopUm: 24, lithiumThicknessBottomUm: 24,
            contactFractionTop: 0.6, contactFractionBottom: 0.3, interphaseThicknessUm: 12, noiseSigma: 0.03, seed: 5)
        let (volume, phases) = try SyntheticInterphase.generate(parameters, threads: 2)
        try RawVolumeIO.write(volume, path: dir.file("v.raw"))
        var labels = Volume<UInt8>(size: Self.size, repeating: 0)
        for y in [6, 20, 33] { for z in 0..<Self.size.z { for x in 0..<Self.size.x { labels[x, y, z] = phases[x, y, z] } } }
        try RawVolumeIO.write(labels, path: dir.file("labels.raw"))
        return phases
    }

    func testTrainThenApplyMeasuresTheInterphasePerInterface() throws {
        let dir = try ScratchDirectory()
        let phases = try writeStack(in: dir)
        let train = try CommandLineRunner.run(["interphase", "train", "--volume", dir.file("v.raw"), "--size", Self.sizeArgument,
                                               "--labels", dir.file("labels.raw"), "--out", dir.file("model.json"),
                                               "--trees", "12", "--depth", "12", "--seed", "4", "--format", "json"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let summary = try json(train.stdout)
        XCTAssertEqual(summary["classes"] as? [String], SyntheticInterphase.classNames)
        XCTAssertLessThan(summary["out_of_bag_error"] as! Double, 0.05)

        let apply = try CommandLineRunner.run(["interphase", "apply", "--model", dir.file("model.json"), "--volume", dir.file("v.raw"),
                                               "--size", Self.sizeArgument, "--format", "json", "--out", dir.file("out.raw"),
                                               "--voxel-um", "1.7"])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let report = try json(apply.stdout)
        let half = Self.size.z / 2 * Self.size.columnCount
        for (side, range) in [("top", 0..<half), ("bottom", half..<Self.size.voxelCount)] {
            let truth = phases.voxels[range].filter { $0 == SyntheticInterphase.interphaseLabel }.count
            let got = report[side] as! [String: Any]
            let voxels = got["voxels"] as! Int
            XCTAssertEqual(Double(voxels), Double(truth), accuracy: 0.07 * Double(truth), side)
            XCTAssertEqual(got["volume_um3"] as! Double, Double(voxels) * 1.7 * 1.7 * 1.7, accuracy: 1e-6 * Double(voxels))
        }
        // The labelled volume on disk is the classification the report counted.
        let written: Volume<UInt8> = try RawVolumeIO.read(path: dir.file("out.raw"), size: Self.size)
        let interphaseVoxels = written.voxels.filter { $0 == 3 }.count
        XCTAssertEqual(interphaseVoxels, (report["top"] as! [String: Any])["voxels"] as! Int + ((report["bottom"] as! [String: Any])["voxels"] as! Int))
        XCTAssertFalse(written.voxels.contains(0), "every voxel gets a class")

        let text = try CommandLineRunner.run(["interphase", "apply", "--model", dir.file("model.json"), "--volume", dir.file("v.raw"),
                                              "--size", Self.sizeArgument])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("top interface:"), text.stdout)
    }

    func testBoxLabelsTrainAndBadLabelsAreOneLineErrors() throws {
        let dir = try ScratchDirectory()
        _ = try writeStack(in: dir)
        // Boxes deep inside steel (top rows) and LSPS (middle): two classes, no interphase.
        try """
            [[box]]
            class = "steel"
            z = [0, 3]
            [[box]]
            class = "electrolyte"
            z = [46, 49]
            """.write(toFile: dir.file("boxes.toml"), atomically: true, encoding: .utf8)
        let base = ["interphase", "train", "--volume", dir.file("v.raw"), "--size", Self.sizeArgument,
                    "--out", dir.file("m.json"), "--trees", "4", "--depth", "4"]
        let boxes = try CommandLineRunner.run(base + ["--boxes", dir.file("boxes.toml")])
        XCTAssertEqual(boxes.status, 0, boxes.stderr)
        XCTAssertTrue(boxes.stdout.contains("steel 6400, electrolyte 6400"), boxes.stdout)
        // That model cannot report an interphase.
        let noInterphase = try CommandLineRunner.run(["interphase", "apply", "--model", dir.file("m.json"), "--volume", dir.file("v.raw"),
                                                      "--size", Self.sizeArgument])
        XCTAssertEqual(noInterphase.status, 1)
        XCTAssertEqual(noInterphase.stderr, "cellpress: model has no class named \"interphase\" (classes: steel, electrolyte)\n")

        func failure(_ extra: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let output = try CommandLineRunner.run(base + extra)
            XCTAssertEqual(output.status, 1, output.stderr, file: file, line: line)
            XCTAssertEqual(output.stderr.filter { $0 == "\n" }.count, 1, "one line: \(output.stderr)", file: file, line: line)
            XCTAssertTrue(output.stderr.contains(expected), output.stderr, file: file, line: line)
        }
        try failure(["--boxes", dir.file("boxes.toml"), "--classes", "steel,lithium"],
                    "boxes.toml:4: unknown class \"electrolyte\" (known: steel, lithium)")
        try failure(["--boxes", dir.file("boxes.toml"), "--classes", "steel,electrolyte,interphase"],
                    "class \"interphase\" has no labelled voxels")
        try failure(["--labels", dir.file("labels.raw"), "--label-size", "40,40,95"],
                    "label volume is 40×40×95 but the image volume is 40×40×96")
        try failure(["--labels", dir.file("labels.raw"), "--classes", "void,lithium"],
                    "only 2 classes are named")
        try failure(["--labels", dir.file("missing.raw")], "missing.raw: cannot open")
    }
}
