import AgentKit
import ArgumentParser
import Store

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import instrument files or tomography scans into a run.",
        subcommands: [MPT.self])

    struct MPT: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mpt",
            abstract: "Import a BioLogic EC-Lab .mpt text export (into --run N, or a new run of --cell).")

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The .mpt file.") var file: String
        @Option(name: .customLong("run"), help: "Append to this run.") var runId: Int64?
        @Option(help: "Create a new run for this cell (created if new).") var cell: String?
        @Option(name: .customLong("diameter-mm"), help: "Cell diameter for a new cell, mm.") var diameterMillimetres: Double = 2
        @Option(name: .customLong("utc-offset-hours"), help: "Zone of the file's acquisition start (default: this machine's).")
        var utcOffsetHours: Double?

        func validate() throws {
            if (runId == nil) == (cell == nil) { throw ValidationError("give exactly one of --run N or --cell NAME") }
            if let h = utcOffsetHours, !(-14...14).contains(h) { throw ValidationError("--utc-offset-hours must be within ±14") }
        }

        func run() throws {
            try reportingFailures {
                let db = try AppDatabase.openForWriting(path: database.db, durability: .normal)
                let result = try ECLabImport.run(database: db, path: file, intoRunId: runId, cellName: cell,
                                                 diameterMillimetres: diameterMillimetres,
                                                 utcOffsetSeconds: utcOffsetHours.map { Int($0 * 3600) })
                print("imported \(result.samples) samples from \(file) into run \(result.runId)"
                      + (result.skippedWithoutVoltage > 0 ? " (\(result.skippedWithoutVoltage) rows without a voltage skipped)" : "")
                      + "; start time from the \(result.startSource)")
            }
        }
    }
}
