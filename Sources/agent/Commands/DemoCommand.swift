import ArgumentParser

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the paper's experiment end to end on simulated parts.")

    func run() throws { try notBuiltYet("demo") }
}
