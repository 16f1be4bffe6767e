import ArgumentParser

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic cell volume with its ground truth.")

    func run() throws { try notBuiltYet("synth") }
}
