import AgentKit
import Analysis
import ArgumentParser
import Foundation
import Store

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report for a run (inline SVG plots, no network).")

    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("run"), help: "Run id.") var runId: Int64
    @Option(help: "HTML file to write.") var out: String
    @Option(name: .customLong("clock-offset"), help: "Seconds added to scan times.") var clockOffsetSeconds: Double = 0

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openReadOnly(path: database.db)
            let summary = try RunReport.write(database: db, runId: runId, to: out, clockOffsetSeconds: clockOffsetSeconds)
            print("wrote \(out)" + (summary.missing.isEmpty ? "" : "; missing: " + summary.missing.joined(separator: "; ")))
        }
    }
}
