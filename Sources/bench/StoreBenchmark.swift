import CBenchReference
import Foundation
import Store

/// `cellpress-bench store [ROWS] [BATCH]`: batched sample inserts through cellpress's
/// SampleWriter vs the SQLite C API on its own, same table, settings and batch size, in one
/// run (the C side writes into a database cellpress created, with GRDB's connection
/// settings), alternating, best of several rounds. Prints rows/s for each and the ratio.
enum StoreBenchmark {
    static func run(arguments: [String]) throws {
        let rows = arguments.count > 0 ? Int(arguments[0]) ?? 500_000 : 500_000
        let batch = arguments.count > 1 ? Int(arguments[1]) ?? 100 : 100
        let rounds = 5
        let dir = NSTemporaryDirectory() + "cellpress-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        print("store benchmark: \(rows) rows, \(batch) rows per transaction, WAL, best of \(rounds) rounds each")
        for durability in [AppDatabase.Durability.normal, .full] {
            let sync = durability == .full ? "FULL" : "NORMAL"
            var bestSwift = 0.0, bestC = 0.0
            for round in 0..<rounds {
                // The C reference writes into a database cellpress created: same schema.
                let cPath = "\(dir)/c-\(sync)-\(round).sqlite"
                do {
                    let seeded = try AppDatabase.openForWriting(path: cPath, durability: durability)
                    let cell = try seeded.findOrCreateCell(named: "bench", diameterMillimetres: 2)
                    guard try seeded.startRun(Run(cellId: cell.id!)).id == 1 else { throw BenchError("expected run 1") }
                }
                let cStart = DispatchTime.now()
                let rc = cellpress_sqlite_reference_insert(cPath, Int64(rows), Int64(batch), sync)
                let cSeconds = seconds(since: cStart)
                guard rc == 0 else { throw BenchError("C reference failed with SQLite code \(rc)") }
                bestC = max(bestC, Double(rows) / cSeconds)

                let swiftPath = "\(dir)/swift-\(sync)-\(round).sqlite"
                let database = try AppDatabase.openForWriting(path: swiftPath, durability: durability)
                let cell = try database.findOrCreateCell(named: "bench", diameterMillimetres: 2)
                let run = try database.startRun(Run(cellId: cell.id!))
                let writer = SampleWriter(database: database, options: .init(maxBatchRows: .max))
                let runId = run.id!
                let start = DispatchTime.now()
                var i = 0
                while i < rows {
                    let end = min(i + batch, rows)
                    while i < end {
                        writer.append(EchemSample(runId: runId, unixTimeSeconds: 1.7e9 + Double(i) * 0.01, runTimeSeconds: Double(i) * 0.01,
                                                  voltageVolts: 0.05 + Double(i % 100) * 1e-4, currentAmps: 31.4e-6,
                                                  chargeCoulombs: Double(i) * 3.14e-7, stepIndex: i / 100_000, cycle: i / 50_000))
                        i += 1
                    }
                    try writer.flush()
                }
                let swiftSeconds = seconds(since: start)
                bestSwift = max(bestSwift, Double(rows) / swiftSeconds)
                guard try database.count(table: "echem_sample") == rows else { throw BenchError("row count mismatch") }
            }
            print(String(format: "  synchronous=%-6@  cellpress SampleWriter %10.0f rows/s   SQLite C API %10.0f rows/s   ratio %.2f×",
                         sync, bestSwift, bestC, bestSwift / bestC))
        }
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
