import AgentKit
import ArgumentParser
import Foundation
import Sensors
import Store

struct AssembleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assemble",
        abstract: "Guided cell assembly: tighten the screws while watching the stack pressure.",
        discussion: """
            Interactive (a terminal): a live line shows force, stack pressure over the cell's area \
            and the estimate from the torques so far. Type each screw's torque in N·m and Enter \
            (screws in turn 1, 2, 1, 2 …; `2=0.25` names the screw); q finishes and records the \
            assembly, Ctrl-C abandons it. Scripted: --torques 0.05,0.05,0.08,0.08.

            Every step is stored as a `torque` event with the force reached; the assembly with \
            estimated and measured force at the end. The rig's effective nut factor K is fitted \
            from all stored assemblies and used for the next estimate (unless --nut-factor).

            --relax-minutes keeps logging force afterwards and fits the pressure decay.

            --simulate: a simulated rig whose friction makes K effectively --sim-nut-factor, and \
            whose force relaxes exponentially (--time-scale speeds simulated time up).
            """)

    @OptionGroup var database: DatabaseOption
    @Option(help: "Cell name, e.g. LSPS-07.") var cell: String
    @Flag(name: .customLong("existing-cell"), help: "The cell must already be in the database.") var existingCell = false
    @Option(name: .customLong("diameter-mm"), help: "Cell inner diameter in mm, for a new cell.") var diameterMillimetres: Double = 2
    @Option(help: "Number of screws.") var screws: Int = 2
    @Option(help: "Screw size: M2, M2.5, M3, M4, M5 or M6.") var screw: String = "M3"
    @Option(name: .customLong("nut-factor"), help: "Nut factor K for the estimate (default: fitted from past assemblies, else 0.2).") var nutFactor: Double?
    @Option(name: .customLong("target-mpa"), help: "Target stack pressure in MPa.") var targetMegapascals: Double = 10
    @Option(help: "Force sensor chip: nau7802, ads1115, fma or fx29.") var chip: String?
    @Option(help: "I2C bus number (/dev/i2c-N).") var bus: Int?
    @Option(help: "I2C address, e.g. 0x2a (default: the chip's).") var address: String?
    @Flag(help: "Use a simulated rig and sensor.") var simulate = false
    @Option(help: "Torque steps in N·m, comma-separated, screws in turn (scripted, no terminal).") var torques: String?
    @Option(name: .customLong("relax-minutes"), help: "Keep logging force this many minutes after assembly and fit the decay.") var relaxMinutes: Double?
    @Option(name: .customLong("time-scale"), help: "With --simulate: simulated seconds per real second.") var timeScale: Double = 1
    @Option(name: .customLong("sim-nut-factor"), help: "With --simulate: the rig's true effective K.") var simNutFactor: Double = 0.9
    @Option(name: .customLong("sim-tau-minutes"), help: "With --simulate: relaxation time constant, minutes.") var simTauMinutes: Double = 120
    @Option(name: .customLong("sim-loss"), help: "With --simulate: fraction of the force lost at the relaxation plateau.") var simLoss: Double = 0.2
    @Option(help: "Operator note stored with the assembly.") var note: String = ""

    func validate() throws {
        guard !cell.isEmpty else { throw ValidationError("--cell must not be empty") }
        guard (1...16).contains(screws) else { throw ValidationError("--screws must be 1…16, got \(screws)") }
        guard diameterMillimetres > 0, diameterMillimetres <= 100 else { throw ValidationError("--diameter-mm must be in 0…100 mm") }
        guard targetMegapascals.isFinite, targetMegapascals > 0 else { throw ValidationError("--target-mpa must be a positive pressure in MPa") }
        if !simulate && chip == nil {
            throw ValidationError("no force sensor configured: give --chip C --bus N for the rig's sensor, or --simulate")
        }
        if !simulate && bus == nil { throw ValidationError("--chip \(chip!) needs --bus N (/dev/i2c-N), or use --simulate") }
        if let address { guard parseI2CAddress(address) != nil else { throw ValidationError("--address \(address) is not an I2C address (0x03…0x77)") } }
        guard timeScale.isFinite, timeScale > 0 else { throw ValidationError("--time-scale must be > 0") }
        if timeScale != 1 && !simulate { throw ValidationError("--time-scale only applies to --simulate: real time cannot be sped up") }
        if let relaxMinutes { guard relaxMinutes.isFinite, relaxMinutes > 0 else { throw ValidationError("--relax-minutes must be > 0") } }
        guard simNutFactor > 0, simTauMinutes > 0, (0..<1).contains(simLoss) else {
            throw ValidationError("--sim-nut-factor and --sim-tau-minutes must be > 0, --sim-loss in 0…1")
        }
        do {
            let clamp = try ScrewClamp(screwSize: screw, screwCount: screws, nutFactor: nutFactor ?? 0.2)
            if let torques { _ = try TighteningState.applying(list: torques, to: TighteningState(clamp: clamp)) }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        do {
            try await assemble()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("cellpress: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

    private func assemble() async throws {
        let terminal: RawTerminal? = torques == nil ? RawTerminal() : nil
        if torques == nil && terminal == nil {
            throw AssemblyError.invalid("standard input is not a terminal: give the torque steps with --torques 0.05,0.05,…")
        }
        if existingCell && !FileManager.default.fileExists(atPath: database.db) {
            throw AssemblyError.invalid("no database at \(database.db), so no cell '\(cell)' (--existing-cell)")
        }
        let db = try AppDatabase.openForWriting(path: database.db)
        let session = try AssemblySession(database: db, cellName: cell, diameterMillimetres: diameterMillimetres, existingCellOnly: existingCell)

        // K for the estimate: the operator's, else the rig's fitted from past assemblies, else nominal.
        let pastFit = try AssemblySession.nutFactorFit(database: db)
        var k = 0.2, kSource = "nominal"
        if let nutFactor { k = nutFactor; kSource = "given" }
        else if let pastFit {
            if pastFit.nutFactor > 0, pastFit.nutFactor < 1 {
                k = pastFit.nutFactor
                kSource = "fitted from \(pastFit.assemblies) past assembl\(pastFit.assemblies == 1 ? "y" : "ies")"
            } else {
                kSource = String(format: "nominal: the fitted %.3f is outside the 0…1 a nut factor takes", pastFit.nutFactor)
            }
        }
        var state = TighteningState(clamp: try ScrewClamp(screwSize: screw, screwCount: screws, nutFactor: k))
        let scripted = try torques.map { try TighteningState.applying(list: $0, to: state).1 } ?? []

        let (sensor, sensorId, rig) = try makeSensor(db: db, screwDiameterMetres: state.clamp.diameterMetres)
        try sensor.probe()
        let targetForce = targetMegapascals * session.cellAreaSquareMillimetres
        out(String(format: "assembling %@ (%.2f mm, %.3f mm²): %d × %@, K %.3f (%@), target %.1f MPa = %.1f N; sensor %@\n",
                   cell, session.diameterMillimetres, session.cellAreaSquareMillimetres, screws, screw, k, kSource,
                   targetMegapascals, targetForce, sensorId))
        out(String(format: "to reach the target: about %.3f N·m per screw (K %.3f)\n",
                   state.torquePerScrewNewtonMetres(forForceNewtons: targetForce), k))

        var reached = false
        var lastForce: Double?
        func measure(reads: Int) throws -> Double {
            // Two conversions thrown away: one may have started before the screws moved.
            for _ in 0..<2 { _ = try sensor.read() }
            var sum = 0.0
            for _ in 0..<reads { sum += try sensor.read().forceNewtons }
            return sum / Double(reads)
        }
        func step(_ s: TighteningStep) throws -> String {
            try state.apply(s)
            rig?.set(torquesNewtonMetres: state.torquesNewtonMetres)
            // The screw is turned whether or not the sensor answers: a failed read keeps the
            // step, stored without a force, rather than losing it.
            let force: Double
            do {
                force = try measure(reads: 8)
            } catch {
                try session.recordStep(s, state: state, forceNewtons: nil, readError: "\(error)")
                return String(format: "step %d: screw %d → %.3f N·m: force not read (%@); estimate %.1f N",
                              state.steps.count, s.screwIndex + 1, s.torqueNewtonMetres, "\(error)", state.estimatedForceNewtons)
            }
            lastForce = force
            try session.recordStep(s, state: state, forceNewtons: force)
            let pressure = session.pressureMegapascals(forceNewtons: force)
            var text = String(format: "step %d: screw %d → %.3f N·m: measured %.2f N = %.2f MPa; estimate %.1f N = %.2f MPa",
                              state.steps.count, s.screwIndex + 1, s.torqueNewtonMetres, force, pressure,
                              state.estimatedForceNewtons, session.pressureMegapascals(forceNewtons: state.estimatedForceNewtons))
            if let verdict = AssemblyDisplay.targetVerdict(pressureMegapascals: pressure, targetMegapascals: targetMegapascals, alreadyReached: reached) {
                text += "\n" + verdict
            } else if pressure < targetMegapascals, let observed = state.observedNutFactor(measuredForceNewtons: force) {
                // Guidance from this assembly's own response, not the nominal K.
                text += String(format: "\n  for %.1f MPa: about %.3f N·m per screw (K %.2f as measured so far)", targetMegapascals,
                               state.torquePerScrewNewtonMetres(forForceNewtons: targetForce, nutFactor: observed), observed)
            }
            if pressure >= targetMegapascals { reached = true }
            return text
        }

        if let terminal {
            out("type each screw's torque in N·m and Enter; q finishes, Ctrl-C abandons\n")
            var editor = TorqueLineEditor()
            var finished = false
            while !finished {
                let force = try? sensor.read().forceNewtons
                out(AssemblyDisplay.inPlace(AssemblyDisplay.liveLine(
                    forceNewtons: force, pressureMegapascals: force.map(session.pressureMegapascals(forceNewtons:)),
                    estimateNewtons: state.estimatedForceNewtons,
                    estimateMegapascals: session.pressureMegapascals(forceNewtons: state.estimatedForceNewtons),
                    nextScrew: state.nextScrewIndex, input: editor.text)))
                guard let bytes = terminal.read(timeoutSeconds: 0.2) else {
                    terminal.restore()
                    out("\ninput ended: assembly not recorded\n")
                    throw ExitCode.failure
                }
                for byte in bytes {
                    switch editor.feed(byte) {
                    case .none: continue
                    case .submit(let text):
                        guard !text.isEmpty else { continue }
                        do {
                            out(AssemblyDisplay.inPlace(try step(try state.parse(text))) + "\n")
                        } catch {
                            out(AssemblyDisplay.inPlace("not taken: \(error)") + "\n")
                        }
                    case .quit:
                        finished = true
                    case .abort:
                        terminal.restore()
                        out("\naborted: assembly not recorded (\(state.steps.count) step(s) kept as torque events)\n")
                        throw ExitCode.failure
                    }
                    if finished { break }
                }
            }
            out(AssemblyDisplay.inPlace("") + "\n")
            if state.steps.isEmpty {
                terminal.restore()
                out("no torque entered: nothing recorded\n")
                return
            }
        } else {
            for s in scripted { out(try step(s) + "\n") }
        }

        // The final reading, averaged longer than a step's.
        let measured = (try? measure(reads: 16)) ?? lastForce
        let assembly = try session.finish(state: state, measuredForceNewtons: measured, note: note)
        out(String(format: "recorded assembly %lld of %@: mean %.3f N·m per screw\n", assembly.id!, cell, state.meanTorqueNewtonMetres))
        if let measured {
            let estimate = state.estimatedForceNewtons
            out(String(format: "estimate %.1f N = %.2f MPa (K %.3f) vs measured %.2f N = %.2f MPa (estimate %+.0f %%)\n",
                       estimate, session.pressureMegapascals(forceNewtons: estimate), k, measured,
                       session.pressureMegapascals(forceNewtons: measured), 100 * (estimate / measured - 1)))
        }
        if let fit = try AssemblySession.nutFactorFit(database: db) {
            out(String(format: "rig's effective nut factor: K = %.3f from %d assembl%@ (rms %.2f N); next estimate uses it\n",
                       fit.nutFactor, fit.assemblies, fit.assemblies == 1 ? "y" : "ies", fit.residualRMSNewtons))
        }

        if let relaxMinutes {
            try await relax(minutes: relaxMinutes, db: db, session: session, sensor: sensor, sensorId: sensorId, rig: rig, terminal: terminal)
        }
        terminal?.restore()
    }

    private func relax(minutes: Double, db: AppDatabase, session: AssemblySession, sensor: any ForceSensor, sensorId: String,
                       rig: SimulatedClampRig?, terminal: RawTerminal?) async throws {
        guard let cellId = session.cell?.id else { return }
        out(String(format: "logging relaxation for %.1f min%@%@\n", minutes,
                   timeScale != 1 ? String(format: " (simulated, %.0f× real time)", timeScale) : "",
                   terminal != nil ? "; q stops early" : ""))
        rig?.startRelaxation()
        var lastPrinted = -1.0
        let report = try await RelaxationLogging.run(
            database: db, cellId: cellId, sensorId: sensorId, cellAreaSquareMillimetres: session.cellAreaSquareMillimetres,
            sensor: sensor, durationSeconds: minutes * 60, timeScale: timeScale) { elapsed, latest in
                let pressure = latest.map { session.pressureMegapascals(forceNewtons: $0.forceNewtons) }
                let line = String(format: "relaxing: %.1f of %.1f min, %@", elapsed / 60, minutes,
                                  pressure.map { String(format: "%.2f MPa", $0) } ?? "no sample yet")
                if let terminal {
                    out(AssemblyDisplay.inPlace(line))
                    if let bytes = terminal.read(timeoutSeconds: 0), bytes.contains(where: { $0 == UInt8(ascii: "q") || $0 == 3 }) { return false }
                    return true
                }
                // Scripted: a plain line about every tenth of the duration.
                if elapsed - lastPrinted >= minutes * 6 { out(line + "\n"); lastPrinted = elapsed }
                return true
            }
        if terminal != nil { out(AssemblyDisplay.inPlace("") ) }
        for line in report.lines { out(line + "\n") }
        if let fit = report.fit {
            try db.record(Event(cellId: cellId, runId: nil, kind: Event.Kind.note,
                                message: String(format: "relaxation after assembly: τ %.0f s, %.2f → %.2f MPa plateau", fit.timeConstantSeconds,
                                                fit.initialMegapascals, fit.plateauMegapascals),
                                value: fit.timeConstantSeconds))
        }
    }

    private func makeSensor(db: AppDatabase, screwDiameterMetres: Double) throws -> (any ForceSensor, String, SimulatedClampRig?) {
        let addressValue = address.flatMap(parseI2CAddress)
        if simulate {
            let rig = SimulatedClampRig(effectiveNutFactor: simNutFactor, screwDiameterMetres: screwDiameterMetres,
                                        relaxationTimeConstantSeconds: simTauMinutes * 60, relaxationFractionLost: simLoss,
                                        timeScale: timeScale)
            let name = chip ?? "nau7802"
            // A 500 N load cell with a balanced bridge: the nominal scaling reads true force.
            // 320 SPS: the simulated part costs no noise for speed, and steps read back quickly.
            let options = ForceSensorOptions(bridge: BridgeModel(capacityNewtons: 500, sensitivityMillivoltsPerVolt: 2, zeroBalanceMillivoltsPerVolt: 0),
                                             nau7802: NAU7802.Configuration(rate: .sps320),
                                             simulatedForce: rig.makeForceSource(), simulatedNoiseCounts: 20)
            return (try makeForceSensor(chip: name, bus: nil, address: addressValue, simulate: true, options: options), "sim-\(name)", rig)
        }
        let name = chip!.lowercased()
        let defaultAddress = ["nau7802": 0x2a, "ads1115": 0x48][name] ?? 0x28
        let id = "\(name)@\(bus!):0x\(String(addressValue ?? defaultAddress, radix: 16))"
        var options = ForceSensorOptions()
        if let record = try db.currentCalibration(sensorId: id) {
            options.calibration = SensorCalibration.calibration(from: record)
        } else {
            FileHandle.standardError.write(Data("cellpress: no stored calibration for \(id): using the nominal scaling (run `cellpress calibrate`)\n".utf8))
        }
        return (try makeForceSensor(chip: name, bus: bus, address: addressValue, simulate: false, options: options), id, nil)
    }
}
