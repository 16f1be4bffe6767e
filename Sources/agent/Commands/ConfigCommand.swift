import AgentKit
import ArgumentParser

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with configuration files.",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file; report every problem with its key path.")

        @Argument(help: "TOML configuration file.") var file: String

        func run() throws {
            try reportingFailures {
                let config = try AgentConfig.load(path: file)
                print("\(file): ok — \(config.rigs.count) rig(s): \(config.rigs.map(\.name).joined(separator: ", ")); database \(config.database.path)")
            }
        }
    }
}
