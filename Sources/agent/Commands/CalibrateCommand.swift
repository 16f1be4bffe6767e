import ArgumentParser

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate a force sensor (tare, known loads).")

    func run() throws { try notBuiltYet("calibrate") }
}
