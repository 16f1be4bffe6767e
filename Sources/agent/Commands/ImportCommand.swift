import ArgumentParser

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import instrument files or tomography scans into a run.")

    func run() throws { try notBuiltYet("import") }
}
