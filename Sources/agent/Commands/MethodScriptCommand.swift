import ArgumentParser
import Foundation
import Potentiostat

struct MethodScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methodscript",
        abstract: "Print the PalmSens MethodSCRIPT for a protocol file (EmStat4 and others with meas_loop_cp).")

    @Argument(help: "Protocol TOML file.") var file: String
    @Option(name: .customLong("interval-s"), help: "Seconds between data packets.") var intervalSeconds: Double = 10

    func validate() throws {
        guard intervalSeconds > 0, intervalSeconds.isFinite else { throw ValidationError("--interval-s must be > 0") }
    }

    func run() throws {
        try reportingFailures {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ValidationError("\(file): cannot read (\((error as NSError).localizedDescription))")
            }
            do {
                let parsed = try GalvanostaticProtocol.parse(toml: text)
                let script = try MethodScriptGenerator.script(for: try MethodScriptFromProtocol.convert(parsed, samplingIntervalSeconds: intervalSeconds))
                print(script, terminator: "")
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError("\(file): \(error)")
            }
        }
    }
}
