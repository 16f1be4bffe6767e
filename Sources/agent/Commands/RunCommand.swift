import ArgumentParser

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent daemon from a configuration file.")

    func run() throws { try notBuiltYet("run") }
}
