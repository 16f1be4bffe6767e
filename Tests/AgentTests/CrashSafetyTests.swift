import Foundation
import XCTest
import Store

/// A writer process killed with SIGKILL mid-batch must leave a sound database in which
/// every batch it reported committed is present and complete.
final class CrashSafetyTests: XCTestCase {
    func testAWriterKilledMidBatchLosesNoCommittedBatch() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("crash.sqlite")
        let batchRows = 2_000
        var rng = SystemRandomNumberGenerator()
        for round in 0..<4 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLineRunner.executable)
            process.arguments = ["write-load", "--db", path, "--batch", "\(batchRows)"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Let it commit a few batches, then kill it at a random moment inside the next.
            var reported = 0
            var buffer = Data()
            let wanted = Int.random(in: 2...6, using: &rng)
            while reported < wanted {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                reported = String(decoding: buffer, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("committed") }.count
            }
            usleep(UInt32.random(in: 0...20_000, using: &rng))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, "round \(round): the writer was killed, not finished")

            let database = try AppDatabase.openForWriting(path: path)
            XCTAssertEqual(try database.integrityCheck(), "ok", "round \(round)")
            let runs = try database.runs()
            let lastRun = try XCTUnwrap(runs.last)
            let rows = try database.count(table: "echem_sample", runId: lastRun.id!)
            XCTAssertGreaterThanOrEqual(rows, reported * batchRows, "round \(round): a reported commit is missing")
            XCTAssertEqual(rows % batchRows, 0, "round \(round): a torn batch is visible")
            // Every stored batch is whole: each of its rows carries its batch number in `cycle`.
            let perBatch = try database.writer.read { db in
                try Int.fetchAll(db, sql: "SELECT COUNT(*) FROM echem_sample WHERE run_id = ? GROUP BY cycle", arguments: [lastRun.id])
            }
            XCTAssertTrue(perBatch.allSatisfy { $0 == batchRows }, "round \(round): \(perBatch)")
        }
    }
}
