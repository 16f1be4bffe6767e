import Foundation
import XCTest
import Store

final class ECLabImportCommandTests: XCTestCase {
    private func sharedData(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for base in [root.deletingLastPathComponent().appendingPathComponent("shared").path, "/work/shared"] {
            let path = base + "/data/eclab/" + name
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw XCTSkip("shared/data/eclab is absent next to the package: EC-Lab import not tested here")
    }

    func testGermanAndEnglishExportsImportAsTheSameNumbers() throws {
        let dir = try ScratchDirectory()
        let db = dir.file("i.sqlite")
        for file in ["mb.issue_95.mpt", "mb.issue_95.de.mpt"] {
            let output = try CommandLineRunner.run(["import", "mpt", "--db", db, "--cell", "MB", try sharedData(file)])
            XCTAssertEqual(output.status, 0, output.stderr)
            XCTAssertTrue(output.stdout.hasPrefix("imported 33 samples"), output.stdout)
        }
        let database = try AppDatabase.openReadOnly(path: db)
        let runs = try database.runs()
        XCTAssertEqual(runs.map(\.status), [.imported, .imported])
        let english = try database.echemSamples(runId: runs[0].id!), german = try database.echemSamples(runId: runs[1].id!)
        XCTAssertEqual(english.count, 33)
        XCTAssertEqual(english.map(\.voltageVolts), german.map(\.voltageVolts))
        XCTAssertEqual(english.map(\.currentAmps), german.map(\.currentAmps))
        XCTAssertEqual(english.map(\.unixTimeSeconds), german.map(\.unixTimeSeconds))
        XCTAssertLessThan(english.last!.currentAmps, -0.06, "mA in the file become A: about −65 mA at the end")
    }

    func testACorruptExportStoresNothingAndNamesTheLine() throws {
        let dir = try ScratchDirectory()
        var text = try String(contentsOfFile: try sharedData("gcpl.issue_226.I.mpt"), encoding: .isoLatin1)
        // Damage a number in the last data row.
        var lines = text.components(separatedBy: "\n")
        let last = lines.lastIndex(where: { !$0.isEmpty })!
        lines[last] = lines[last].replacingOccurrences(of: "\t", with: "\tx1y2", options: [], range: lines[last].range(of: "\t"))
        text = lines.joined(separator: "\n")
        try text.write(toFile: dir.file("bad.mpt"), atomically: true, encoding: .isoLatin1)
        let db = dir.file("i.sqlite")
        _ = try CommandLineRunner.run(["torque", "--db", db, "--cell", "MB", "--nm", "0.2"])
        let output = try CommandLineRunner.run(["import", "mpt", "--db", db, "--cell", "MB", dir.file("bad.mpt")])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("bad.mpt"), output.stderr)
        XCTAssertTrue(output.stderr.contains("line \(last + 1)"), output.stderr)
        XCTAssertEqual(try AppDatabase.openReadOnly(path: db).runs().count, 0)
    }
}
