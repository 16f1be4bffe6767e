import AgentKit
import ArgumentParser
import Store

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a run as Battery Data Format CSV with a JSON metadata sidecar.")

    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("run"), help: "Run id (see `cellpress status`).") var runId: Int64
    @Option(help: "CSV file to write; the sidecar goes beside it with .json.") var out: String
    @Option(help: "Only rows at or after this Unix time (s).") var from: Double?
    @Option(help: "Only rows at or before this Unix time (s).") var to: Double?

    func validate() throws {
        if let from, let to, from > to { throw ValidationError("--from (\(from)) is after --to (\(to))") }
    }

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openReadOnly(path: database.db)
            let result = try RunExport.export(database: db, runId: runId, csvPath: out,
                                              fromUnixTimeSeconds: from, toUnixTimeSeconds: to)
            print("wrote \(result.rows) rows to \(result.csvPath) and metadata to \(result.metadataPath)")
        }
    }
}
