import ArgumentParser
import CellModel
import Foundation
import Potentiostat

struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Serve a simulated instrument on TCP.",
        subcommands: [SMU.self])

    struct SMU: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "smu",
            abstract: "A Keithley 2450 (SCPI over TCP) backed by the simulated Li|LSPS|Li cell.")

        @Option(help: "TCP port on 127.0.0.1 (0: any free port).") var port: UInt16 = 5025
        @Option(name: .customLong("time-scale"), help: "Simulated seconds per wall second.") var timeScale: Double = 1
        @Flag(name: .customLong("off-on-disconnect"), inversion: .prefixedNo,
              help: "Switch the output off when the controlling connection drops (a real 2450 does not).")
        var offOnDisconnect = true

        func validate() throws {
            guard timeScale >= 1e-3, timeScale.isFinite else { throw ValidationError("--time-scale must be positive") }
        }

        func run() async throws {
            let cell = SimulatedCell(parameters: CellParameters(), clock: ScaledClock(timeScale: timeScale))
            let emulator = SMUEmulator(cell: cell, port: port, offOnDisconnect: offOnDisconnect)
            let bound = try reportingFailures { try emulator.start() }
            FileHandle.standardOutput.write(Data("Keithley 2450 emulator on 127.0.0.1:\(bound) (time ×\(timeScale), off-on-disconnect \(offOnDisconnect ? "on" : "off")); Ctrl-C stops it\n".utf8))
            // Serve until SIGINT/SIGTERM, then stop with the output off.
            let stopped = AsyncStream<Int32> { continuation in
                let handler = SignalCancellation(signals: [SIGINT, SIGTERM]) { continuation.yield($0) }
                continuation.onTermination = { _ in handler.uninstall() }
            }
            for await _ in stopped { break }
            emulator.stop()
            print("emulator stopped")
        }
    }
}
