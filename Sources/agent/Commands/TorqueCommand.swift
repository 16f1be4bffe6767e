import AgentKit
import ArgumentParser
import Foundation
import Store

struct TorqueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "torque",
        abstract: "Record an assembly torque for a named cell (created if new).")

    @OptionGroup var database: DatabaseOption
    @Option(help: "Cell name, e.g. LSPS-07.") var cell: String
    @Option(help: "Torque per screw in N·m (the paper: 0.25).") var nm: Double
    @Option(help: "Number of screws.") var screws: Int = 2
    @Option(help: "Screw size: M2, M2.5, M3, M4, M5 or M6.") var screw: String = "M3"
    @Option(name: .customLong("nut-factor"), help: "Nut factor K in F = T/(K·d).") var nutFactor: Double = 0.2
    @Option(name: .customLong("diameter-mm"), help: "Cell inner diameter in mm, for a new cell.") var diameterMillimetres: Double = 2
    @Option(name: .customLong("force-n"), help: "Force measured after tightening, in N.") var forceNewtons: Double?
    @Option(help: "Operator note.") var note: String = ""

    func validate() throws {
        guard nm.isFinite, nm > 0 else { throw ValidationError("--nm must be a positive torque in N·m, got \(nm)") }
        guard (1...16).contains(screws) else { throw ValidationError("--screws must be 1…16, got \(screws)") }
        do {
            try ScrewClamp(screwSize: screw, screwCount: screws, nutFactor: nutFactor).validate(torqueNewtonMetres: nm)
        } catch {
            throw ValidationError("\(error)")
        }
        guard diameterMillimetres > 0, diameterMillimetres <= 100 else { throw ValidationError("--diameter-mm must be in 0…100 mm") }
        if let f = forceNewtons, !(f.isFinite && f >= 0) { throw ValidationError("--force-n must be a non-negative force in N") }
        guard !cell.isEmpty else { throw ValidationError("--cell must not be empty") }
    }

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openForWriting(path: database.db)
            let clamp = try ScrewClamp(screwSize: screw, screwCount: screws, nutFactor: nutFactor)
            let stored = try TorqueRecording.record(database: db, cellName: cell, diameterMillimetres: diameterMillimetres,
                                                    torqueNewtonMetresPerScrew: nm, clamp: clamp,
                                                    measuredForceNewtons: forceNewtons, note: note)
            print(stored)
        }
    }
}
