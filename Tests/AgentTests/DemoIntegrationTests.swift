import Analysis
import Foundation
import GRDB
import XCTest
@testable import AgentKit
import Store

/// The whole demo, accelerated: the real engine over TCP against the emulator, the real
/// NAU7802 driver and sampler, the GPIO monitor, synthetic scans segmented and stored,
/// the correlation and the report.
final class DemoIntegrationTests: XCTestCase {
    func testTheDemoTellsThePapersStoryFromItsOwnData() async throws {
        let dir = try ScratchDirectory()
        var options = PaperDemo.Options(databasePath: dir.file("demo.sqlite"), reportPath: dir.file("demo.html"))
        options.simulatedHours = 14
        options.targetWallSeconds = 15
        options.scanIntervalMinutes = 30
        options.scanGeometry = ScanGeometry(size: VolumeSize(x: 40, y: 40, z: 160))
        let outcome = try await PaperDemo.run(options)

        let database = try AppDatabase.openReadOnly(path: dir.file("demo.sqlite"))
        XCTAssertEqual(try database.integrityCheck(), "ok")
        let run = try XCTUnwrap(try database.run(id: outcome.runId))
        XCTAssertEqual(run.status, .cutOff, "the voltage runs away: \(run.endReason)")
        for table in ["cell", "assembly", "calibration", "run", "echem_sample", "force_sample", "event", "scan", "scan_result"] {
            XCTAssertGreaterThan(try database.count(table: table), 0, "no rows in \(table)")
        }
        let events = try database.events(runId: outcome.runId)
        XCTAssertGreaterThan(events.filter { $0.kind == Event.Kind.scanTrigger }.count, 5, "the GPIO monitor recorded the scan triggers")
        XCTAssertTrue(events.contains { $0.kind == Event.Kind.limit }, "the cut-off is stored as a limit event")

        // The voltage runs away near the end: the last samples are past 3 V, the middle ones are not.
        let echem = try database.echemSamples(runId: outcome.runId)
        XCTAssertGreaterThan(abs(echem.last!.voltageVolts), 3.9)
        XCTAssertLessThan(abs(echem[echem.count / 2].voltageVolts), 1.5)

        // Each scan's segmentation against the synthetic truth it was made from.
        let scans = try database.scans(runId: outcome.runId)
        let truths = Dictionary(uniqueKeysWithValues: try events.filter { $0.kind == "scan_truth" }.map { event in
            (Int64(event.value!), try JSONDecoder().decode(SegmentationResult.self, from: Data(event.dataJSON!.utf8)))
        })
        XCTAssertEqual(truths.count, scans.count)
        for (scan, row) in scans {
            let measured = try ScanStorage.segmentation(from: XCTUnwrap(row))
            let truth = try XCTUnwrap(truths[scan.id!])
            for (m, t) in [(measured.top, truth.top), (measured.bottom, truth.bottom)] {
                XCTAssertEqual(Double(m.lithiumVoxels), Double(t.lithiumVoxels), accuracy: 0.03 * Double(t.lithiumVoxels) + 20)
                XCTAssertEqual(Double(m.contactPixels), Double(t.contactPixels), accuracy: 0.03 * Double(t.contactPixels) + 3)
                XCTAssertEqual(m.interfaceZUm, t.interfaceZUm, accuracy: 1.7)
            }
            XCTAssertEqual(measured.stackThicknessUm, truth.stackThicknessUm, accuracy: 1.7)
            XCTAssertEqual(measured.top.contactMap.width, 40, "contact maps are stored with the result")
        }

        // The paper's story, measured from the stored data.
        let force = try database.forceSamples(runId: outcome.runId)
        XCTAssertLessThan(force.last!.pressureMegapascals, force.first!.pressureMegapascals - 2, "stack pressure falls")
        let first = try XCTUnwrap(scans.first?.1), last = try XCTUnwrap(scans.last?.1)
        XCTAssertLessThan(last.stackThicknessMicrometres!, first.stackThicknessMicrometres! - 3, "the stack gets thinner")
        XCTAssertLessThan(last.bottomContactAreaSquareMicrometres!, 0.6 * first.bottomContactAreaSquareMicrometres!,
                          "contact at the stripping (bottom) interface falls")
        XCTAssertGreaterThan(outcome.summary.stiffness?.fit?.slope ?? 0, 0.1, "pressure and thickness fall together")

        // The report exists, self-contained, with its plots.
        let html = try String(contentsOfFile: dir.file("demo.html"), encoding: .utf8)
        XCTAssertGreaterThan(html.components(separatedBy: "<svg").count - 1, 5)
        XCTAssertFalse(html.contains("http://") && html.contains("<script"), "no scripts or network")
        XCTAssertTrue(outcome.text.contains("cut_off"), outcome.text)
    }
}
