import AgentKit
import Analysis
import ArgumentParser
import Foundation
import Potentiostat
import Store

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Live terminal view of a run (80×24, sparklines; fine over SSH).")

    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("run"), help: "Run id (default: the newest).") var runId: Int64?
    @Option(name: .customLong("interval-s"), help: "Refresh interval.") var intervalSeconds: Double = 1
    @Flag(help: "Draw one frame and exit (scripts, tests).") var once = false
    @Flag(help: "ASCII sparklines instead of block characters.") var ascii = false

    func validate() throws {
        guard intervalSeconds >= 0.1 else { throw ValidationError("--interval-s must be at least 0.1") }
    }

    func run() async throws {
        let db = try reportingFailures { try AppDatabase.openReadOnly(path: database.db) }
        let out = FileHandle.standardOutput
        if !once { out.write(Data(WatchView.enter.utf8)) }
        let stop = Guarded(false)
        let handler = SignalCancellation(signals: [SIGINT, SIGTERM]) { _ in stop.set(true) }
        defer { handler.uninstall() }
        repeat {
            let (status, series) = try reportingFailures { try WatchSnapshot.frameContents(database: db, runId: runId) }
            out.write(Data(WatchView.frame(status: status, series: series, unicode: !ascii).utf8))
            if once { break }
            try? await Task.sleep(nanoseconds: UInt64(intervalSeconds * 1e9))
        } while !stop.current
        out.write(Data(WatchView.leave.utf8))
    }
}
