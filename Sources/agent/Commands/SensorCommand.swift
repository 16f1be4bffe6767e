import ArgumentParser

struct SensorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensor",
        abstract: "Scan for and read force sensors.")

    func run() throws { try notBuiltYet("sensor") }
}
