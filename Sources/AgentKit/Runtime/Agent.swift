import Foundation
import Logging
import Potentiostat
import Sensors
import Store

/// The daemon: `cellpress run`. Built by `buildAgent(config:)` (tests call it too), run until a
/// signal. Each rig samples its sensor and watches its GPIO lines; protocols start only when
/// asked (`startProtocols`), never by themselves after a restart.
///
/// Shutdown order on SIGTERM/SIGINT: current off (engine cancellation switches the output
/// off), then sensors and GPIO, then the last batch is flushed, then exit 0.
public final class Agent: @unchecked Sendable {
    public let config: AgentConfig
    public let database: AppDatabase
    let writer: SampleWriter
    let rigs: [RigRuntime]
    let logger: Logger
    let notifier: SystemdNotifier
    let startProtocols: Bool
    /// Runs found open at start-up (a crash or power cut), now closed as interrupted.
    public let interruptedRuns: [Run]
    private let stopRequested = Guarded<String?>(nil)
    private let diskFull = Guarded<String?>(nil)

    init(config: AgentConfig, database: AppDatabase, writer: SampleWriter, rigs: [RigRuntime], logger: Logger,
         notifier: SystemdNotifier, startProtocols: Bool, interruptedRuns: [Run]) {
        self.config = config
        self.database = database
        self.writer = writer
        self.rigs = rigs
        self.logger = logger
        self.notifier = notifier
        self.startProtocols = startProtocols
        self.interruptedRuns = interruptedRuns
    }

    public func requestStop(reason: String) { stopRequested.set(reason) }

    /// Runs until `requestStop` (or a signal, when `handleSignals`). Returns the exit status:
    /// 0 after a requested stop, 3 when the database could not be written (disk full).
    public func run(handleSignals: Bool = true, gpio: any GPIOLines = LinuxGPIO()) async -> Int32 {
        let signals = handleSignals ? SignalCancellation(signals: [SIGTERM, SIGINT]) { [weak self] signo in
            self?.requestStop(reason: signo == SIGTERM ? "SIGTERM" : "SIGINT")
        } : nil
        defer { signals?.uninstall() }
        writer.start()
        for rig in rigs {
            rig.startSampling()
            rig.startGPIO(lines: gpio)
            if startProtocols { rig.startProtocol(onEnd: {}) }
        }
        notifier.ready(status: statusText())
        logger.notice("cellpress agent ready: \(rigs.count) rig(s), database \(database.path)")
        var lastRetention = Date.distantPast
        while stopRequested.current == nil && diskFull.current == nil {
            try? await Task.sleep(nanoseconds: 200_000_000)
            if let error = writer.lastErrorDescription, error.lowercased().contains("full") {
                diskFull.set(error)
                break
            }
            // Ping systemd only while the writer thread goes round: a stalled writer (a hung
            // disk) stops the pings and systemd restarts the agent.
            if writer.secondsSinceWriterLoop < 5 * config.database.commitIntervalSeconds + 10 {
                notifier.watchdogPing()
            } else {
                logger.critical("sample writer stalled for \(Int(writer.secondsSinceWriterLoop)) s: withholding the watchdog ping")
            }
            notifier.status(statusText())
            if Date().timeIntervalSince(lastRetention) > 3600 {
                lastRetention = Date()
                do { try database.applyRetention(retentionSeconds: config.database.retentionDays * 86_400) } catch {
                    logger.error("retention: \(error)")
                }
            }
        }
        let reason = diskFull.current.map { "database full: \($0)" } ?? stopRequested.current ?? "stop"
        notifier.stopping(status: "stopping (\(reason)): output off, flushing")
        logger.notice("stopping (\(reason)): switching outputs off")
        for rig in rigs { await rig.stop() }
        do {
            try writer.close()
        } catch {
            logger.error("last batch not stored: \(error)")
        }
        if let full = diskFull.current {
            FileHandle.standardError.write(Data("cellpress: \(database.path): database full (\(full)); outputs switched off, data so far kept\n".utf8))
            return 3
        }
        logger.notice("stopped cleanly")
        return 0
    }

    func statusText() -> String {
        let rigText = rigs.map(\.statusLine).joined(separator: "; ")
        return "\(rigText); db \(StatusReport.formatBytes(database.sizeBytes()))"
    }
}

/// Opens the database, closes runs a crash left open, and prepares each rig.
public func buildAgent(config: AgentConfig, startProtocols: Bool, logger: Logger = Logger(label: "cellpress"),
                       notifier: SystemdNotifier = SystemdNotifier()) throws -> Agent {
    let database = try AppDatabase.openForWriting(path: config.database.path,
                                                   durability: config.database.synchronous == "normal" ? .normal : .full)
    if let cap = config.database.maxSizeMegabytes { try database.limitSize(megabytes: cap) }
    let interrupted = try database.closeInterruptedRuns()
    for run in interrupted {
        logger.warning("run \(run.id!) was interrupted (\(run.endReason)); its output stays off until an operator starts a protocol")
    }
    let alarmCommand = config.onAlarmCommand
    let writer = SampleWriter(database: database, options: .init(maxLatencySeconds: config.database.commitIntervalSeconds),
                              onError: { error in logger.error("database write failed: \(error)") })
    let alarm: @Sendable (String, Int64?) -> Void = { message, cellId in
        writer.append(Event(cellId: cellId, runId: nil, kind: Event.Kind.alarm, message: message))
        if let command = alarmCommand { AlarmHook.run(command: command, message: message) }
    }
    let rigs = try config.rigs.map { try RigRuntime(config: $0, database: database, writer: writer, logger: logger, alarm: alarm) }
    if ClockTrust.isSynchronized() == false {
        logger.warning("the system clock is not synchronised (NTP): wall times may be wrong until it is")
    }
    return Agent(config: config, database: database, writer: writer, rigs: rigs, logger: logger, notifier: notifier,
                 startProtocols: startProtocols, interruptedRuns: interrupted)
}

/// The optional `on_alarm` command, run with the alarm text as its argument; never waited on.
enum AlarmHook {
    static func run(command: String, message: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " \"$1\"", "cellpress-alarm", message]
        process.standardInput = FileHandle.nullDevice
        try? process.run()
    }
}
