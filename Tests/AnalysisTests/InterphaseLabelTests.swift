import Foundation
import XCTest
@testable import Analysis

final class InterphaseLabelTests: XCTestCase {
    let size = VolumeSize(x: 10, y: 8, z: 6)

    func testBoxesBecomeSortedLabelledVoxelsWithLaterBoxesWinning() throws {
        let text = """
            # two classes
            [[box]]
            class = "lithium"   # comment after a value
            x = [0, 9]
            y = [0, 1]
            z = [0, 0]

            [[box]]
            class = 'interphase'
            x = [2, 3]
            y = [1, 1]
            z = [0, 1]
            """
        let boxes = try LabelBoxFile.parse(text, path: "b.toml", volumeSize: size)
        XCTAssertEqual(boxes.map(\.className), ["lithium", "interphase"])
        XCTAssertEqual(boxes[1].line, 8)
        let labels = try TrainingLabels.fromBoxes(boxes, classNames: nil, volumeSize: size, path: "b.toml")
        XCTAssertEqual(labels.classNames, ["lithium", "interphase"])
        // 20 lithium voxels, 2 of them repainted, plus 2 interphase voxels at z = 1.
        XCTAssertEqual(labels.countsPerClass, [18, 4])
        XCTAssertEqual(labels.voxelIndices, labels.voxelIndices.sorted())
        let i = labels.voxelIndices.firstIndex(of: 2 + 10 * 1)!
        XCTAssertEqual(labels.classes[i], 1)
    }

    func testAnAxisLeftOutSpansTheVolume() throws {
        let boxes = try LabelBoxFile.parse("[[box]]\nclass = \"a\"\nz = [2, 2]\n", path: "b", volumeSize: size)
        XCTAssertEqual(boxes[0].x, 0...9)
        XCTAssertEqual(boxes[0].y, 0...7)
    }

    func testBoxFileErrorsNameTheLine() {
        func error(_ text: String, classes: [String]? = nil) -> String {
            do {
                let boxes = try LabelBoxFile.parse(text, path: "b.toml", volumeSize: size)
                _ = try TrainingLabels.fromBoxes(boxes, classNames: classes, volumeSize: size, path: "b.toml")
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(error("[[box]]\nclass = \"a\"\nx = [3, 1]"), "b.toml:3: x = [3, 1]: first index is after the last")
        XCTAssertEqual(error("[[box]]\nclass = \"a\"\nz = [0, 6]"), "b.toml:1: z = [0, 6] outside the volume (0...5)")
        XCTAssertEqual(error("[[box]]\nx = [0, 1]"), "b.toml:1: box has no class")
        XCTAssertEqual(error("[[box]]\nclass = \"a\"\ncolour = 3"), "b.toml:3: unknown key colour (class, x, y, z)")
        XCTAssertEqual(error("[other]"), "b.toml:1: only [[box]] tables are allowed, got [other]")
        XCTAssertEqual(error("[[box]]\nclass = \"steel\"", classes: ["lithium", "interphase"]),
                       "b.toml:1: unknown class \"steel\" (known: lithium, interphase)")
        XCTAssertEqual(error("# nothing"), "b.toml: no labelled voxels")
    }

    func testLabelVolumeErrors() throws {
        var labels = Volume<UInt8>(size: size, repeating: 0)
        labels[1, 2, 3] = 1
        XCTAssertThrowsError(try TrainingLabels.fromLabelVolume(labels, classNames: ["a"], volumeSize: VolumeSize(x: 10, y: 8, z: 7), path: "l.raw")) {
            XCTAssertEqual("\($0)", "l.raw: label volume is 10×8×6 but the image volume is 10×8×7")
        }
        labels[4, 5, 2] = 3
        XCTAssertThrowsError(try TrainingLabels.fromLabelVolume(labels, classNames: ["a", "b"], volumeSize: size, path: "l.raw")) {
            XCTAssertEqual("\($0)", "l.raw: label 3 at voxel (4, 5, 2) but only 2 classes are named (labels 1...2, 0 = unlabelled)")
        }
        let partial = try TrainingLabels.fromLabelVolume(labels, classNames: ["a", "b", "c"], volumeSize: size, path: "l.raw")
        XCTAssertEqual(partial.countsPerClass, [1, 0, 1])
        XCTAssertThrowsError(try partial.requireEveryClass()) { XCTAssertEqual("\($0)", "class \"b\" has no labelled voxels") }
        let volume = Volume<Float>(size: size, repeating: 0.5)
        XCTAssertThrowsError(try InterphaseModel.train(volume: volume, labels: partial)) {
            XCTAssertEqual($0 as? InterphaseError, .emptyClass(name: "b"))
        }
    }

    func testAModelSurvivesItsJSONFileAndClassifiesTheSame() throws {
        let dir = NSTemporaryDirectory() + "interphase-model-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Bright top half, dark bottom half; one labelled slice in each.
        let s = VolumeSize(x: 8, y: 8, z: 12)
        var volume = Volume<Float>(size: s, repeating: 0.2)
        for z in 6..<12 { for y in 0..<8 { for x in 0..<8 { volume[x, y, z] = 0.8 } } }
        let boxes = [LabelBox(className: "dark", x: 0...7, y: 0...7, z: 1...1),
                     LabelBox(className: "interphase", x: 0...7, y: 0...7, z: 10...10)]
        let labels = try TrainingLabels.fromBoxes(boxes, classNames: nil, volumeSize: s, path: "boxes")
        let model = try InterphaseModel.train(volume: volume, labels: labels, featureBank: FeatureBankSettings(sigmas: [1]),
                                              forest: ForestParameters(trees: 4, maxDepth: 4, seed: 3), threads: 2)
        let oneThread = try InterphaseModel.train(volume: volume, labels: labels, featureBank: FeatureBankSettings(sigmas: [1]),
                                                  forest: ForestParameters(trees: 4, maxDepth: 4, seed: 3), threads: 1)
        XCTAssertTrue(oneThread == model, "slabs and trees spread over 1 or 2 threads give the same model")
        let path = dir + "/model.json"
        try model.write(path: path)
        let loaded = try InterphaseModel.read(path: path)
        XCTAssertEqual(loaded, model)
        XCTAssertEqual(loaded.classNames, ["dark", "interphase"])
        XCTAssertEqual(loaded.featureBank.sigmas, [1])
        let a = try model.classify(volume, threads: 1), b = try loaded.classify(volume, threads: 2)
        XCTAssertEqual(a.voxels, b.voxels)
        XCTAssertEqual(a[3, 3, 0], 1)
        XCTAssertEqual(a[3, 3, 11], 2)
        let report = try InterphaseReport(labels: a, model: loaded, voxelUm: 2)
        XCTAssertEqual(report.top.voxels, 0)
        XCTAssertEqual(report.bottom.voxels, a.voxels.filter { $0 == 2 }.count)
        XCTAssertEqual(report.bottom.volumeUm3, Double(report.bottom.voxels) * 8, accuracy: 1e-9)

        // A corrupted child index is refused on load, not followed at classification.
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var forest = json["forest"] as! [String: Any]
        var trees = forest["trees"] as! [[String: Any]]
        trees[0]["right"] = (trees[0]["right"] as! [Int]).map { _ in 9999 }
        forest["trees"] = trees; json["forest"] = forest
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try InterphaseModel.read(path: path)) {
            XCTAssertTrue("\($0)".contains("out of range"), "\($0)")
        }
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try InterphaseModel.read(path: path)) { XCTAssertTrue("\($0)".contains("not a model file"), "\($0)") }
    }
}
