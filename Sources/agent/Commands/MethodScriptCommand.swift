import ArgumentParser

struct MethodScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methodscript",
        abstract: "Print the PalmSens MethodSCRIPT for a protocol.")

    func run() throws { try notBuiltYet("methodscript") }
}
