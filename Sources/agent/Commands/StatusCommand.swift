import AgentKit
import ArgumentParser
import Store

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show cells, assemblies, runs and their latest values (safe while the agent runs).")

    @OptionGroup var database: DatabaseOption

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openReadOnly(path: database.db)
            print(try StatusReport.text(database: db))
        }
    }
}
