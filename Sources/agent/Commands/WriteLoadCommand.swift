import AgentKit
import ArgumentParser
import Foundation
import Store

/// Hidden: writes sample batches as fast as it can and prints each commit, so that tests
/// can SIGKILL a real writer mid-batch and check what survived.
struct WriteLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-load",
        abstract: "Write sample batches until killed, printing each committed total (testing).",
        shouldDisplay: false)

    @OptionGroup var database: DatabaseOption
    @Option(help: "Rows per batch.") var batch: Int = 1000
    @Option(help: "Stop after this many batches (0: until killed).") var batches: Int = 0

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openForWriting(path: database.db)
            let cell = try db.findOrCreateCell(named: "load", diameterMillimetres: 2)
            let run = try db.startRun(Run(cellId: cell.id!))
            let writer = SampleWriter(database: db, options: .init(maxBatchRows: .max))
            var total = 0
            var batchIndex = 0
            while batches == 0 || batchIndex < batches {
                for i in 0..<batch {
                    // Every row says which batch it belongs to and its place in it, so a
                    // reader can tell a complete batch from a torn one.
                    writer.append(EchemSample(runId: run.id!, unixTimeSeconds: Double(total + i), runTimeSeconds: Double(i),
                                              voltageVolts: Double(batchIndex), currentAmps: 0, chargeCoulombs: 0,
                                              stepIndex: i, cycle: batchIndex))
                }
                try writer.flush()
                total += batch
                batchIndex += 1
                FileHandle.standardOutput.write(Data("committed \(total)\n".utf8))
            }
        }
    }
}
