import CellModel
import Foundation
import Logging
import Potentiostat
import Sensors
import Store

/// One rig while the agent runs: its force sampler, its GPIO monitors and, when asked, its
/// protocol on its instrument. A part that is missing or fails is an alarm, never a reason
/// to stop the other parts or the other rigs.
final class RigRuntime: @unchecked Sendable {
    let config: AgentConfig.Rig
    let cell: Cell
    private let database: AppDatabase
    private let writer: SampleWriter
    private let logger: Logger
    private let alarm: @Sendable (String, Int64?) -> Void
    private let lock = NSLock()
    private(set) var forceSink: StoreForceSink?
    private var samplerTask: Task<Sampler<BlockingMonotonicClock>.Summary, Never>?
    private var monitors: [GPIOMonitor] = []
    private var interlock: (any GPIOLine)?
    /// A buzzer or lamp (`role = "alarm"`): switched on at the first alarm, left on for a person to see.
    private var alarmLine: (any GPIOLine)?
    private var engineTask: Task<Void, Never>?
    private var runSink: StoreRunSink?
    private var activeRunId: Int64?
    /// The simulated cell behind a "simulated" instrument (also loads a simulated sensor).
    private var simulatedCell: SimulatedCell?

    init(config: AgentConfig.Rig, database: AppDatabase, writer: SampleWriter, logger: Logger,
         alarm: @escaping @Sendable (String, Int64?) -> Void) throws {
        self.config = config
        self.database = database
        self.writer = writer
        self.logger = logger
        self.alarm = alarm
        cell = try database.findOrCreateCell(named: config.cell.name, diameterMillimetres: config.cell.diameterMillimetres,
                                            electrolyte: config.cell.electrolyte)
        if config.instrument?.kind == "simulated" {
            simulatedCell = SimulatedCell(parameters: CellParameters(), clock: ScaledClock(timeScale: 1))
        }
    }

    func alarm(_ message: String) {
        logger.error("\(config.name): \(message)")
        if let line = lock.withLock({ alarmLine }) { try? drive(line, role: "alarm", on: true) }
        alarm("\(config.name): \(message)", cell.id)
    }

    // MARK: Sensor

    func startSampling() {
        guard let sensorConfig = config.sensor else { return }
        do {
            let stored = try database.currentCalibration(sensorId: sensorConfig.id).map(SensorCalibration.calibration(from:))
            let configured = sensorConfig.countsPerNewton.map {
                Sensors.Calibration(offsetCounts: sensorConfig.zeroCounts ?? 0, newtonsPerCount: 1 / $0, method: "config")
            }
            let simulate = sensorConfig.chip == "simulated"
            let cellForce = simulatedCell
            let force: ForceSource = cellForce.map { cell in ForceSource { _ in cell.stackForceNewtons() } }
                ?? ForceSource(newtons: CellGeometry(diameterMillimetres: config.cell.diameterMillimetres).forceNewtons(pressureMegapascals: 10))
            // The NAU7802 converts at 10–320 SPS: the slowest rate that keeps up with rate_hz
            // (slower conversions are quieter).
            var nau = NAU7802.Configuration()
            nau.rate = NAU7802.SampleRate.allCases.sorted { $0.hertz < $1.hertz }
                .first { $0.hertz >= sensorConfig.rateHertz } ?? .sps320
            let sensor = try makeForceSensor(chip: simulate ? "nau7802" : sensorConfig.chip, bus: sensorConfig.bus,
                                             address: sensorConfig.address, simulate: simulate,
                                             options: ForceSensorOptions(calibration: stored ?? configured, nau7802: nau,
                                                                         simulatedForce: force, simulatedNoiseCounts: simulate ? 30 : 0))
            try sensor.probe()
            let sink = StoreForceSink(writer: writer, cellId: cell.id!, sensorId: sensorConfig.id,
                                      cellAreaSquareMillimetres: cell.areaSquareCentimetres * 100,
                                      onAlarm: { [weak self] message in self?.alarm(message) })
            let sampler = try Sampler(sensor: sensor, sink: sink, configuration: .init(rateHz: sensorConfig.rateHertz),
                                      clock: BlockingMonotonicClock())
            lock.withLock {
                forceSink = sink
                samplerTask = sampler.startOnDedicatedThread(name: "cellpress.\(config.name).sampler")
            }
            logger.info("\(config.name): sampling \(sensorConfig.chip) (\(sensorConfig.id)) at \(sensorConfig.rateHertz) Hz")
        } catch {
            alarm("force sensor \(sensorConfig.id) unavailable: \(error)")
        }
    }

    // MARK: GPIO

    func startGPIO(lines: any GPIOLines) {
        for line in config.gpio {
            let spec: GPIOLineSpec = line.lineName.map { .name($0) } ?? .offset(chip: line.chip, offset: UInt32(line.offset ?? 0))
            do {
                switch line.role {
                case "interlock", "relay", "alarm":
                    // Outputs start open (de-energised): the interlock closes only while a
                    // protocol runs, so a dead agent leaves the cell disconnected.
                    let requested = try lines.request(spec, mode: .output(initialValue: line.activeLow), consumer: "cellpress")
                    if line.role == "interlock" { lock.withLock { interlock = requested } }
                    if line.role == "alarm" { lock.withLock { alarmLine = requested } }
                case "drdy":
                    continue   // used by the NAU7802 driver itself when wired
                default:
                    let requested = try lines.request(spec, mode: .bothEdges, consumer: "cellpress")
                    let monitor = GPIOMonitor(line: requested, role: line.role, onEdge: { [weak self] edge in
                        self?.record(edge: edge, role: line.role)
                    }, onError: { [weak self] error in self?.alarm("GPIO \(spec): \(error)") })
                    monitor.start()
                    lock.withLock { monitors.append(monitor) }
                }
            } catch {
                alarm("GPIO \(line.role) on \(spec) unavailable: \(error)")
            }
        }
    }

    private func record(edge: GPIOMonitor.Edge, role: String) {
        let runId = lock.withLock { activeRunId }
        let isScan = role == "scan_trigger" && edge.edge == .rising
        writer.append(Event(cellId: cell.id, runId: runId, unixTimeSeconds: edge.unixTimeSeconds,
                            kind: isScan ? Event.Kind.scanTrigger : Event.Kind.gpioEdge,
                            message: "\(role) \(edge.edge.rawValue) edge", value: edge.monotonicSeconds))
    }

    private func setInterlock(closed: Bool) {
        guard let line = lock.withLock({ interlock }) else { return }
        do { try drive(line, role: "interlock", on: closed) } catch { alarm("interlock: \(error)") }
    }

    /// Sets an output line of this role on or off, honouring its `active_low`.
    private func drive(_ line: any GPIOLine, role: String, on: Bool) throws {
        let activeLow = config.gpio.first { $0.role == role }?.activeLow ?? false
        try line.setValue(on != activeLow)
    }

    // MARK: Protocol

    /// Starts the rig's protocol on its instrument. Returns false (with an alarm) when it cannot.
    @discardableResult
    func startProtocol(onEnd: @escaping @Sendable () -> Void) -> Bool {
        guard let file = config.protocolFile, let instrument = config.instrument else {
            alarm("no protocol or instrument configured: nothing to start"); return false
        }
        do {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let definition: GalvanostaticProtocol
            do { definition = try GalvanostaticProtocol.parse(toml: text) } catch { throw ConfigError(path: file, problems: [ConfigProblem(keyPath: "", message: "\(error)")]) }
            let run = try database.startRun(Run(cellId: cell.id!, protocolText: text, configSnapshot: "rig \(config.name) from the agent's configuration",
                                                clockSynchronized: ClockTrust.isSynchronized()))
            let sink = StoreRunSink(writer: writer, cellId: cell.id!, runId: run.id!, onAlarm: { [weak self] message in self?.alarm(message) })
            let forceSink = lock.withLock { self.forceSink }
            let execute: @Sendable () async -> RunOutcome
            do {
                execute = try makeExecution(instrument: instrument, definition: definition, sink: sink, forceSink: forceSink)
            } catch {
                try database.finishRun(id: run.id!, status: .aborted, reason: "instrument unavailable: \(error)")
                throw error
            }
            forceSink?.attach(runId: run.id)
            setInterlock(closed: true)
            let runId = run.id!
            let task = Task { [weak self] in
                let outcome = await execute()
                self?.setInterlock(closed: false)
                forceSink?.attach(runId: nil)
                do { try self?.database.finishRun(id: runId, status: outcome.status, reason: outcome.reason) } catch {
                    self?.logger.error("run \(runId): cannot store its end: \(error)")
                }
                self?.logger.notice("run \(runId) ended: \(outcome.status.rawValue) — \(outcome.reason)")
                self?.lock.withLock { self?.activeRunId = nil }
                onEnd()
            }
            lock.withLock { engineTask = task; runSink = sink; activeRunId = runId }
            logger.notice("\(config.name): run \(runId) started (\(definition.steps.count) steps) on \(instrument.kind)")
            return true
        } catch {
            alarm("protocol not started: \(error)")
            return false
        }
    }

    /// How the protocol runs on this instrument: the engine on a galvanostat (SMU or the
    /// simulated one), or a MethodSCRIPT the instrument runs by itself while the agent reads.
    private func makeExecution(instrument: AgentConfig.Instrument, definition: GalvanostaticProtocol, sink: StoreRunSink,
                               forceSink: StoreForceSink?) throws -> @Sendable () async -> RunOutcome {
        let galvanostat: any Galvanostat
        switch instrument.kind {
        case "simulated":
            galvanostat = SimulatedGalvanostat(cell: simulatedCell!)
        case "keithley2450", "keithley2400":
            guard instrument.transport == "tcp", let host = instrument.host else {
                throw ConfigError(path: "rig \(config.name)", problems: [ConfigProblem(keyPath: "instrument.transport", message: "the daemon drives Keithley SMUs over TCP (LAN) only in this version")])
            }
            galvanostat = try KeithleySourceMeter(host: host, port: UInt16(instrument.port ?? 5025),
                                                  dialect: instrument.kind == "keithley2400" ? .model2400 : .model2450)
        case "methodscript":
            let script = try MethodScriptGenerator.script(for: try MethodScriptFromProtocol.convert(definition, samplingIntervalSeconds: instrument.sampleIntervalSeconds))
            let transport: any ByteTransport = instrument.transport == "serial"
                ? try SerialTransport(path: instrument.device!, baudRate: instrument.baud)
                : try TCPTransport(host: instrument.host!, port: UInt16(instrument.port ?? 10001))
            let session = MethodScriptSession(transport: transport, replyTimeoutSeconds: max(10, 3 * instrument.sampleIntervalSeconds))
            return { await MethodScriptExecution.run(session: session, script: script, sink: sink) }
        default:
            throw ConfigError(path: "rig \(config.name)", problems: [ConfigProblem(keyPath: "instrument.kind", message: "\(instrument.kind) is not driven by `cellpress run`")])
        }
        var engineConfiguration = EngineConfiguration()
        engineConfiguration.sampleIntervalSeconds = instrument.sampleIntervalSeconds
        engineConfiguration.watchdogTimeoutSeconds = max(10, 3 * instrument.sampleIntervalSeconds)
        let engine = ProtocolEngine(galvanostat: galvanostat, clock: ScaledClock(timeScale: 1), sink: sink, configuration: engineConfiguration,
                                    pressureMegapascals: { forceSink?.latest.map { forceSink!.pressureMegapascals(forceNewtons: $0.forceNewtons) } })
        return { RunOutcome(await engine.run(definition)) }
    }

    var statusLine: String {
        let (sink, run, force) = lock.withLock { (runSink, activeRunId, forceSink) }
        var parts = [config.name]
        if let run, let sample = sink?.latest {
            parts.append(String(format: "run %lld step %d %.3f V %.2f µA", run, sample.stepIndex, sample.voltageVolts, sample.currentAmps * 1e6))
        } else if let run { parts.append("run \(run) starting") } else { parts.append("no run") }
        if let f = force?.latest { parts.append(String(format: "%.2f MPa", force!.pressureMegapascals(forceNewtons: f.forceNewtons))) }
        else if config.sensor != nil { parts.append("sensor silent") }
        return parts.joined(separator: " ")
    }

    var isSampling: Bool { lock.withLock { samplerTask != nil } }
    var samplesDelivered: Int { lock.withLock { forceSink?.samplesDelivered ?? 0 } }

    /// Output off first (the engine switches it off when cancelled), then the rest.
    func stop() async {
        let (engine, sampler, gpio) = lock.withLock { (engineTask, samplerTask, monitors) }
        engine?.cancel()
        await engine?.value
        setInterlock(closed: false)
        sampler?.cancel()
        _ = await sampler?.value
        for monitor in gpio { monitor.stop() }
    }
}
