import AgentKit
import Analysis
import ArgumentParser
import Foundation
import Store

struct CorrelateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlate",
        abstract: "Correlate a run's scans with its pressure and voltage trace (stiffness, contact loss, current fractions).")

    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("run"), help: "Run id.") var runId: Int64
    @Option(name: .customLong("clock-offset"), help: "Seconds added to scan times (beamline clock → board clock).")
    var clockOffsetSeconds: Double = 0
    @Option(help: "text or json.") var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
    }

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openReadOnly(path: database.db)
            let input = try RunCorrelation.input(database: db, runId: runId, clockOffsetSeconds: clockOffsetSeconds)
            let summary = Correlator.summarize(input)
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                print(CorrelationText.render(summary))
            }
        }
    }
}
