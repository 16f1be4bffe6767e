import Analysis
import Foundation
import Store

/// The demo's closing lines, measured from what was stored (never the simulator's inputs).
public enum DemoSummary {
    public static func text(database: AppDatabase, runId: Int64, outcome: RunOutcome, summary: CorrelationSummary,
                            reportPath: String?, timeScale: Double) throws -> String {
        guard let run = try database.run(id: runId) else { throw StoreError.notFound(what: "run \(runId)") }
        let echem = try database.echemSamples(runId: runId)
        let force = try database.forceSamples(runId: runId)
        let scans = try database.scans(runId: runId).compactMap { $0.1 }
        var lines: [String] = []
        let hours = ((run.endedUnixTimeSeconds ?? run.startedUnixTimeSeconds) - run.startedUnixTimeSeconds) / 3600
        lines.append(String(format: "run %lld: %@ after %.2f h simulated (%@; time ×%.0f)", runId, run.status.rawValue, hours, run.endReason, timeScale))
        if run.status == .cutOff, let last = echem.last {
            lines.append(String(format: "  voltage ran away to %.2f V at %.2f h", last.voltageVolts, (last.unixTimeSeconds - run.startedUnixTimeSeconds) / 3600))
        }
        lines.append("  stored: \(echem.count) electrochemical samples, \(force.count) force samples, \(scans.count) segmented scans")
        if let first = force.first, let last = force.last {
            lines.append(String(format: "  stack pressure %.2f → %.2f MPa (%+.2f MPa)", first.pressureMegapascals, last.pressureMegapascals,
                                last.pressureMegapascals - first.pressureMegapascals))
        }
        if let first = scans.first, let last = scans.last {
            func change(_ a: Double?, _ b: Double?) -> String {
                guard let a, let b, a > 0 else { return "n/a" }
                return String(format: "%+.1f %%", (b - a) / a * 100)
            }
            lines.append("  contact area, first → last scan: top \(change(first.topContactAreaSquareMicrometres, last.topContactAreaSquareMicrometres)), bottom \(change(first.bottomContactAreaSquareMicrometres, last.bottomContactAreaSquareMicrometres))")
            if let a = first.stackThicknessMicrometres, let b = last.stackThicknessMicrometres {
                lines.append(String(format: "  stack thickness %+.1f µm (collector to collector)", b - a))
            }
        }
        if let fit = summary.stiffness?.fit {
            lines.append(String(format: "  Δpressure vs Δthickness: %.3f MPa/µm (r = %.2f, %d scans)", fit.slope, fit.r, fit.pointCount))
        }
        for row in summary.halfCycles {
            var line = String(format: "  half cycle %d (%@ strips): %.2f mAh/cm²", row.index, row.strippingSide.rawValue, row.chargeMilliampHoursPerSquareCentimetre ?? .nan)
            if let c = row.strippingContactChangePercent { line += String(format: ", stripping contact %+.1f %%", c) }
            if let f = row.lithiumCurrentFraction { line += String(format: ", Li current fraction %.2f", f) }
            if let p = row.pressureChangeMegapascals { line += String(format: ", Δp %+.2f MPa", p) }
            lines.append(line)
        }
        for headline in summary.headlines.prefix(4) { lines.append("  " + headline) }
        lines.append("  database: \(database.path)" + (reportPath.map { "; report: \($0)" } ?? ""))
        return lines.joined(separator: "\n")
    }
}
