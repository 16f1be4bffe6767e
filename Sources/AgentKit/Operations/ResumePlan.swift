import Foundation
import Store

/// `cellpress run --resume`: what the agent would do on restart, said before doing anything.
public enum ResumePlan {
    public static func text(config: AgentConfig) throws -> String {
        var lines: [String] = []
        if FileManager.default.fileExists(atPath: config.database.path) {
            let database = try AppDatabase.openReadOnly(path: config.database.path)
            let open = try database.runs().filter { $0.status == .running }
            if open.isEmpty { lines.append("no interrupted runs in \(config.database.path)") }
            for run in open {
                lines.append("run \(run.id!) is still marked running: it will be closed as interrupted at its last sample; its current stays off")
            }
        } else {
            lines.append("\(config.database.path) does not exist yet: it will be created")
        }
        for rig in config.rigs {
            var line = "rig \(rig.name): sample \(rig.sensor.map { "\($0.chip) (\($0.id)) at \($0.rateHertz) Hz" } ?? "no sensor")"
            line += rig.gpio.isEmpty ? "" : ", watch \(rig.gpio.map(\.role).joined(separator: ", "))"
            if let file = rig.protocolFile, let instrument = rig.instrument {
                line += "; protocol \(file) on \(instrument.kind) starts only with `cellpress run --start`"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
