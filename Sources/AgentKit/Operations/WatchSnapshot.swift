import Analysis
import Foundation
import GRDB
import Store

/// What `cellpress watch` shows: the newest run's recent voltage, current and pressure, its
/// step and alarms — read-only, as a WAL reader beside the writing daemon.
public enum WatchSnapshot {
    public static func frameContents(database: AppDatabase, runId: Int64?, points: Int = 60) throws -> (WatchStatus, [WatchSeries]) {
        let run: Run? = try runId.flatMap { try database.run(id: $0) } ?? database.runs().last
        guard let run, let id = run.id else {
            return (WatchStatus(state: "no runs in \(database.path)"), [])
        }
        let (echem, force) = try database.writer.read { db -> ([EchemSample], [Store.ForceSample]) in
            (try EchemSample.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM echem_sample WHERE run_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [id, points]),
             try Store.ForceSample.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM force_sample WHERE run_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [id, points]))
        }
        let alarms = try database.events(runId: id, kinds: [Event.Kind.alarm, Event.Kind.limit]).suffix(3).map(\.message)
        let last = echem.last
        let span = { (times: [Double]) -> String? in
            guard let a = times.first, let b = times.last, b > a else { return nil }
            return StatusReport.formatDuration(b - a)
        }
        let status = WatchStatus(title: "cellpress watch — run \(id) (\(run.status.rawValue))",
                                 clock: StatusReport.iso(last?.unixTimeSeconds ?? run.startedUnixTimeSeconds),
                                 step: last.map { "step \($0.stepIndex)" }, cycle: last?.cycle,
                                 state: run.endReason.isEmpty ? nil : run.endReason, alarms: Array(alarms))
        let series = [
            WatchSeries(name: "voltage", unit: "V", values: echem.map(\.voltageVolts), span: span(echem.map(\.unixTimeSeconds))),
            WatchSeries(name: "current", unit: "µA", values: echem.map { $0.currentAmps * 1e6 }, span: span(echem.map(\.unixTimeSeconds))),
            WatchSeries(name: "pressure", unit: "MPa", values: force.map(\.pressureMegapascals), span: span(force.map(\.unixTimeSeconds))),
            WatchSeries(name: "force", unit: "N", values: force.map(\.forceNewtons), span: span(force.map(\.unixTimeSeconds))),
        ]
        return (status, series)
    }
}
