import Foundation
import GRDB
import XCTest
@testable import Store

final class RetentionTests: XCTestCase {
    func testOldSamplesBecomeSummariesAndRecentOnesStay() throws {
        let database = try AppDatabase.inMemory()
        let cell = try database.findOrCreateCell(named: "C", diameterMillimetres: 2)
        let run = try database.startRun(Run(cellId: cell.id!, startedUnixTimeSeconds: 0))
        let writer = SampleWriter(database: database)
        // 10 Hz for 3 minutes starting at t = 0 (force rising 1 N/s), and 1 Hz echem.
        for i in 0..<1800 {
            let t = Double(i) / 10
            writer.append(ForceSample(cellId: cell.id!, runId: run.id!, sensorId: "s", unixTimeSeconds: t, monotonicSeconds: t,
                                      rawCounts: nil, forceNewtons: t, pressureMegapascals: t / 3.14, temperatureCelsius: nil))
            if i % 10 == 0 {
                writer.append(EchemSample(runId: run.id!, unixTimeSeconds: t, runTimeSeconds: t, voltageVolts: 0.1,
                                          currentAmps: 1e-5, chargeCoulombs: t * 1e-5, stepIndex: 0, cycle: 0))
            }
        }
        try writer.flush()
        // Keep 90 s at now = 180 s: cutoff 90 s aligns down to 60 s.
        let result = try database.applyRetention(retentionSeconds: 90, now: 180)
        XCTAssertEqual(result.cutoffUnixTimeSeconds, 60)
        XCTAssertEqual(result.forceRowsSummarised, 600)
        XCTAssertEqual(result.echemRowsSummarised, 60)
        XCTAssertEqual(try database.count(table: "force_sample"), 1200)
        XCTAssertEqual(try database.count(table: "echem_sample"), 120)
        let (perSecond, perMinute, echemMinute) = try database.writer.read { db in
            (try Row.fetchAll(db, sql: "SELECT * FROM force_summary_1s ORDER BY bucket_unix_time_s"),
             try Row.fetchAll(db, sql: "SELECT * FROM force_summary_1min"),
             try Row.fetchAll(db, sql: "SELECT * FROM echem_summary_1min"))
        }
        XCTAssertEqual(perSecond.count, 60)
        XCTAssertEqual(perSecond[5]["samples"] as Int, 10)
        XCTAssertEqual(perSecond[5]["force_min_n"] as Double, 5.0, accuracy: 1e-9)
        XCTAssertEqual(perSecond[5]["force_max_n"] as Double, 5.9, accuracy: 1e-9)
        XCTAssertEqual(perSecond[5]["force_mean_n"] as Double, 5.45, accuracy: 1e-9)
        XCTAssertEqual(perMinute.count, 1)
        XCTAssertEqual(perMinute[0]["samples"] as Int, 600)
        XCTAssertEqual(perMinute[0]["force_max_n"] as Double, 59.9, accuracy: 1e-9)
        XCTAssertEqual(echemMinute.count, 1)
        XCTAssertEqual(echemMinute[0]["charge_last_c"] as Double, 59e-5, accuracy: 1e-12)
        // A second pass at the same time finds nothing more to do.
        XCTAssertEqual(try database.applyRetention(retentionSeconds: 90, now: 180).forceRowsSummarised, 0)
        XCTAssertEqual(try database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM force_summary_1min") }, 1)
    }

    func testABackupIsAConsistentDatabaseAndNeverOverwrites() throws {
        let dir = try TemporaryDirectory()
        let database = try AppDatabase.openForWriting(path: dir.file("live.sqlite"))
        try database.findOrCreateCell(named: "C", diameterMillimetres: 2)
        try database.backup(to: dir.file("copy.sqlite"))
        let copy = try AppDatabase.openReadOnly(path: dir.file("copy.sqlite"))
        XCTAssertEqual(try copy.cells().map(\.name), ["C"])
        XCTAssertEqual(copy.nodeUUID, database.nodeUUID)
        XCTAssertEqual(try copy.integrityCheck(), "ok")
        XCTAssertThrowsError(try database.backup(to: dir.file("copy.sqlite")))
    }
}
