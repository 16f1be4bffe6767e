import ArgumentParser

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Segment a tomography volume (lithium, voids, contact, thickness).")

    func run() throws { try notBuiltYet("analyze") }
}
