import Foundation
import GRDB
import XCTest
@testable import Store

final class SampleWriterTests: XCTestCase {
    private func makeRun(_ database: AppDatabase) throws -> (cell: Int64, run: Int64) {
        let cell = try database.findOrCreateCell(named: "C1", diameterMillimetres: 2)
        let run = try database.startRun(Run(cellId: cell.id!))
        return (cell.id!, run.id!)
    }

    func testAHundredThousandSamplesAreReadBackExactly() throws {
        let dir = try TemporaryDirectory()
        let database = try AppDatabase.openForWriting(path: dir.file("s.sqlite"))
        let ids = try makeRun(database)
        let writer = SampleWriter(database: database, options: .init(maxBatchRows: 5_000))
        var expected: [EchemSample] = []
        var generator = SystemRandomNumberGenerator()
        for i in 0..<100_000 {
            let sample = EchemSample(runId: ids.run, unixTimeSeconds: 1.7e9 + Double(i) * 0.01, runTimeSeconds: Double(i) * 0.01,
                                     voltageVolts: Double.random(in: -4...4, using: &generator),
                                     currentAmps: Double.random(in: -1e-4...1e-4, using: &generator),
                                     chargeCoulombs: Double(i) * 3.14e-7, stepIndex: i / 50_000, cycle: i / 25_000)
            expected.append(sample)
            writer.append(sample)
        }
        writer.start()
        try writer.close()
        XCTAssertEqual(writer.committedRows, 100_000)
        XCTAssertEqual(writer.pendingRows, 0)
        let reread = try AppDatabase.openReadOnly(path: dir.file("s.sqlite")).echemSamples(runId: ids.run)
        XCTAssertEqual(reread, expected, "every bit of every Double comes back")
    }

    func testForceSamplesKeepOptionalColumns() throws {
        let database = try AppDatabase.inMemory()
        let ids = try makeRun(database)
        let writer = SampleWriter(database: database)
        let a = ForceSample(cellId: ids.cell, runId: nil, sensorId: "nau7802", unixTimeSeconds: 1, monotonicSeconds: 0.5,
                            rawCounts: -8_388_608, forceNewtons: 31.4, pressureMegapascals: 10, temperatureCelsius: nil)
        let b = ForceSample(cellId: ids.cell, runId: ids.run, sensorId: "fx29", unixTimeSeconds: 2, monotonicSeconds: 1.5,
                            rawCounts: nil, forceNewtons: 30.1, pressureMegapascals: 9.58, temperatureCelsius: 24.5)
        writer.append(a); writer.append(b)
        try writer.flush()
        XCTAssertEqual(try database.forceSamples(cellId: ids.cell, fromUnixTimeSeconds: 0, toUnixTimeSeconds: 10), [a, b])
        XCTAssertEqual(try database.forceSamples(runId: ids.run), [b])
    }

    func testTheWriterCommitsWithinTheLatencyBoundWithoutBeingAsked() throws {
        let database = try AppDatabase.inMemory()
        let ids = try makeRun(database)
        let committed = expectation(description: "a commit happens by itself")
        committed.assertForOverFulfill = false
        let writer = SampleWriter(database: database, options: .init(maxBatchRows: 1_000_000, maxLatencySeconds: 0.2),
                                  onCommit: { _ in committed.fulfill() })
        writer.start()
        writer.append(Event(cellId: ids.cell, runId: ids.run, kind: Event.Kind.note, message: "hello"))
        wait(for: [committed], timeout: 10)
        XCTAssertEqual(try database.events(kinds: [Event.Kind.note]).map(\.message), ["hello"])
        try writer.close()
    }

    func testAFullDiskKeepsTheBatchPendingAndCommittedRowsIntact() throws {
        let dir = try TemporaryDirectory()
        let database = try AppDatabase.openForWriting(path: dir.file("full.sqlite"))
        let ids = try makeRun(database)
        let writer = SampleWriter(database: database)
        for i in 0..<100 {
            writer.append(EchemSample(runId: ids.run, unixTimeSeconds: Double(i), runTimeSeconds: Double(i), voltageVolts: 0,
                                      currentAmps: 0, chargeCoulombs: 0, stepIndex: 0, cycle: 0))
        }
        try writer.flush()
        // Cap the file at its current size: the next batch cannot fit (SQLITE_FULL).
        try database.writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")!
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        for i in 0..<20_000 {
            writer.append(EchemSample(runId: ids.run, unixTimeSeconds: Double(1000 + i), runTimeSeconds: 0, voltageVolts: 0,
                                      currentAmps: 0, chargeCoulombs: 0, stepIndex: 0, cycle: 0))
        }
        XCTAssertThrowsError(try writer.flush()) { error in
            XCTAssertTrue("\(error)".contains(dir.file("full.sqlite")), "\(error)")
            XCTAssertTrue("\(error)".lowercased().contains("full"), "\(error)")
        }
        XCTAssertEqual(writer.pendingRows, 20_000, "nothing was thrown away")
        XCTAssertEqual(try database.count(table: "echem_sample"), 100)
        XCTAssertEqual(try database.integrityCheck(), "ok")
    }

    func testPendingRowsAreCappedOldestFirst() throws {
        let database = try AppDatabase.inMemory()
        let ids = try makeRun(database)
        let writer = SampleWriter(database: database, options: .init(maxBatchRows: 1_000_000, maxPendingRows: 10))
        for i in 0..<15 {
            writer.append(ForceSample(cellId: ids.cell, runId: nil, sensorId: "s", unixTimeSeconds: Double(i), monotonicSeconds: 0,
                                      rawCounts: nil, forceNewtons: 0, pressureMegapascals: 0, temperatureCelsius: nil))
        }
        XCTAssertEqual(writer.pendingRows, 10)
        XCTAssertEqual(writer.droppedRows, 5)
        try writer.flush()
        XCTAssertEqual(try database.forceSamples(cellId: ids.cell, fromUnixTimeSeconds: 0, toUnixTimeSeconds: 100).map(\.unixTimeSeconds),
                       (5..<15).map(Double.init))
    }
}

final class SampleWriterHeartbeatTests: XCTestCase {
    func testTheWriterThreadsHeartbeatAdvancesWhileItRuns() throws {
        let database = try AppDatabase.inMemory()
        let writer = SampleWriter(database: database, options: .init(maxLatencySeconds: 0.05))
        usleep(1_200_000)
        XCTAssertGreaterThan(writer.secondsSinceWriterLoop, 1.0, "not started: no heartbeat")
        writer.start()
        usleep(300_000)
        XCTAssertLessThan(writer.secondsSinceWriterLoop, 1.0, "running: the loop wakes every 50 ms")
        try writer.close()
    }
}
