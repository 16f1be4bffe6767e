import Foundation
import XCTest
@testable import AgentKit
import Store

final class ExportTests: XCTestCase {
    private func makeRunWithSamples(at path: String) throws -> Int64 {
        let database = try AppDatabase.openForWriting(path: path)
        let cell = try database.findOrCreateCell(named: "LSPS-07", diameterMillimetres: 2)
        try database.record(Assembly(cellId: cell.id!, torqueNewtonMetresPerScrew: 0.25, screwCount: 2))
        try database.record(CalibrationRecord(sensorId: "nau", method: "two-point", countsPerNewton: 1000, zeroCounts: 0))
        let run = try database.startRun(Run(cellId: cell.id!, protocolText: "[[step]]", startedUnixTimeSeconds: 1000))
        let writer = SampleWriter(database: database)
        // +31.4 µA for 100 s, then −31.4 µA for 100 s.
        for i in 0...20 {
            let t = Double(i) * 10
            let current = i <= 10 ? 31.4e-6 : -31.4e-6
            let charge = i <= 10 ? 31.4e-6 * t : 31.4e-6 * 100 - 31.4e-6 * (t - 100)
            writer.append(EchemSample(runId: run.id!, unixTimeSeconds: 1000 + t, runTimeSeconds: t, voltageVolts: 0.05,
                                      currentAmps: current, chargeCoulombs: charge, stepIndex: i <= 10 ? 0 : 1, cycle: 0))
        }
        for i in 0...10 {
            let t = Double(i) * 20
            writer.append(ForceSample(cellId: cell.id!, runId: run.id!, sensorId: "nau", unixTimeSeconds: 1000 + t, monotonicSeconds: t,
                                      rawCounts: 31_400, forceNewtons: 31.4 - 0.01 * t, pressureMegapascals: (31.4 - 0.01 * t) / 3.14159,
                                      temperatureCelsius: 25))
        }
        try writer.flush()
        return run.id!
    }

    func testARunExportsAsBDFWithInterpolatedPressureAndASidecar() throws {
        let dir = try ScratchDirectory()
        let runId = try makeRunWithSamples(at: dir.file("e.sqlite"))
        let output = try CommandLineRunner.run(["export", "--db", dir.file("e.sqlite"), "--run", "\(runId)", "--out", dir.file("run.csv")])
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = try String(contentsOfFile: dir.file("run.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 22)
        let header = lines[0].split(separator: ",").map(String.init)
        XCTAssertEqual(header, RunExport.columns)
        XCTAssertTrue(header.contains("Applied Pressure / Pa"))
        let row = { (i: Int) in lines[i + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let column = { (name: String) in header.firstIndex(of: name)! }
        // t = 10 s lies halfway between force samples at 0 and 20 s: 31.3 N.
        XCTAssertEqual(Double(row(1)[column("Force / N")])!, 31.3, accuracy: 1e-9)
        XCTAssertEqual(Double(row(1)[column("Applied Pressure / Pa")])!, 31.3 / 3.14159 * 1e6, accuracy: 1e-3)
        // Charging capacity after 100 s at 31.4 µA: 8.722e-7 Ah; discharging afterwards.
        XCTAssertEqual(Double(row(10)[column("Charging Capacity / Ah")])!, 31.4e-6 * 100 / 3600, accuracy: 1e-15)
        XCTAssertEqual(Double(row(20)[column("Discharging Capacity / Ah")])!, 31.4e-6 * 100 / 3600, accuracy: 1e-15)
        XCTAssertEqual(Double(row(20)[column("Test Time / s")])!, 200)
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("run.json")))) as! [String: Any]
        XCTAssertEqual((sidecar["cell"] as? [String: Any])?["name"] as? String, "LSPS-07")
        XCTAssertEqual(((sidecar["assemblies"] as? [[String: Any]])?.first?["torque_nm_per_screw"] as? Double), 0.25)
        XCTAssertEqual(((sidecar["calibrations"] as? [[String: Any]])?.first?["counts_per_newton"] as? Double), 1000)
        XCTAssertEqual(sidecar["protocol_text"] as? String, "[[step]]")
        XCTAssertEqual(sidecar["rows"] as? Int, 21)
    }

    func testATimeRangeLimitsTheRows() throws {
        let dir = try ScratchDirectory()
        let runId = try makeRunWithSamples(at: dir.file("e.sqlite"))
        let result = try RunExport.export(database: AppDatabase.openReadOnly(path: dir.file("e.sqlite")), runId: runId,
                                          csvPath: dir.file("part.csv"), fromUnixTimeSeconds: 1050, toUnixTimeSeconds: 1100)
        XCTAssertEqual(result.rows, 6)
    }

    func testAnUnknownRunIsAClearError() throws {
        let dir = try ScratchDirectory()
        _ = try makeRunWithSamples(at: dir.file("e.sqlite"))
        let output = try CommandLineRunner.run(["export", "--db", dir.file("e.sqlite"), "--run", "99", "--out", dir.file("x.csv")])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("run 99"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("x.csv")))
    }
}
