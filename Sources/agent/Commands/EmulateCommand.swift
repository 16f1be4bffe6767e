import ArgumentParser

struct EmulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Serve a simulated instrument (Keithley 2450 SCPI) on TCP.")

    func run() throws { try notBuiltYet("emulate") }
}
