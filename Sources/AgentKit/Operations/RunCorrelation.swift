import Analysis
import Foundation
import Potentiostat
import Store

/// Gathers a run from the database into the correlation's input: the electrochemical and
/// force series, the scans with their segmentation, the cell's area and the run's metadata.
public enum RunCorrelation {
    public static func input(database: AppDatabase, runId: Int64, clockOffsetSeconds: Double = 0) throws -> CorrelationInput {
        guard let run = try database.run(id: runId) else { throw StoreError.notFound(what: "run \(runId) in \(database.path)") }
        guard let cell = try database.cells().first(where: { $0.id == run.cellId }) else {
            throw StoreError.notFound(what: "cell \(run.cellId) of run \(runId)")
        }
        var input = CorrelationInput()
        let echem = try database.echemSamples(runId: runId)
        let times = echem.map(\.unixTimeSeconds)
        input.voltageVolts = TimeSeries(timeUnixSeconds: times, values: echem.map(\.voltageVolts))
        input.currentAmps = TimeSeries(timeUnixSeconds: times, values: echem.map(\.currentAmps))
        input.chargeCoulombs = TimeSeries(timeUnixSeconds: times, values: echem.map(\.chargeCoulombs))
        let force = try database.forceSamples(runId: runId)
        let forceTimes = force.map(\.unixTimeSeconds)
        input.forceNewtons = TimeSeries(timeUnixSeconds: forceTimes, values: force.map(\.forceNewtons))
        input.pressureMegapascals = TimeSeries(timeUnixSeconds: forceTimes, values: force.map(\.pressureMegapascals))
        input.scans = try database.scans(runId: runId).enumerated().compactMap { index, pair in
            let (scan, row) = pair
            guard let row else { return nil }
            return ScanRecord(id: index + 1, label: "scan \(index + 1)", startUnixSeconds: scan.startedUnixTimeSeconds,
                              endUnixSeconds: scan.endedUnixTimeSeconds, segmentation: try ScanStorage.segmentation(from: row))
        }
        input.electrodeAreaSquareMillimetres = cell.areaSquareCentimetres * 100
        input.clockOffsetSeconds = clockOffsetSeconds
        if let parsed = try? GalvanostaticProtocol.parse(toml: run.protocolText) {
            input.cutoffVolts = parsed.limits.voltageAbsoluteMaximumVolts
        }
        input.positiveCurrentStrips = .top
        var metadata = [MetadataItem("Cell", "\(cell.name) — \(String(format: "%.2f mm, %.4f cm²", cell.diameterMillimetres, cell.areaSquareCentimetres))\(cell.electrolyte.isEmpty ? "" : ", " + cell.electrolyte)"),
                        MetadataItem("Run", "\(runId) (\(run.status.rawValue)\(run.endReason.isEmpty ? "" : ": " + run.endReason))"),
                        MetadataItem("Started", StatusReport.iso(run.startedUnixTimeSeconds))]
        for assembly in try database.assemblies(cellId: cell.id!) {
            var text = String(format: "%.3f N·m × %d %@screws", assembly.torqueNewtonMetresPerScrew, assembly.screwCount,
                              assembly.screwSize.isEmpty ? "" : assembly.screwSize + " ")
            if let e = assembly.estimatedForceNewtons { text += String(format: "; estimate %.0f N", e) }
            if let m = assembly.measuredForceNewtons { text += String(format: "; measured %.2f N = %.2f MPa", m, m / (cell.areaSquareCentimetres * 100)) }
            metadata.append(MetadataItem("Assembly \(StatusReport.iso(assembly.unixTimeSeconds))", text))
        }
        metadata.append(MetadataItem("Database", "\(database.path) (node \(database.nodeUUID))"))
        input.metadata = metadata
        return input
    }
}
