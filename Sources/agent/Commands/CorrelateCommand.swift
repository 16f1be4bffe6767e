import ArgumentParser

struct CorrelateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlate",
        abstract: "Correlate scans with the pressure and voltage trace.")

    func run() throws { try notBuiltYet("correlate") }
}
