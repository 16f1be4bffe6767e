import Analysis
import CellModel
import Foundation
import Potentiostat
import Sensors
import Store

/// `cellpress demo`: the paper's experiment end to end with simulated parts only where the
/// hardware would be. The SMU is the Keithley 2450 emulator on a loopback TCP port (driven
/// through the real SCPI driver and protocol engine); the force sensor is a simulated NAU7802
/// on a simulated I2C bus (read through the real driver and sampler) whose load is the
/// simulated cell's stack force; the beamline's scan trigger is a simulated GPIO line watched
/// by the real monitor; scans are synthetic volumes following the cell's state, segmented by
/// the real code. Everything lands in SQLite through the batched writer, and the summary is
/// measured from the stored data.
public enum PaperDemo {
    public struct Options: Sendable {
        public var databasePath: String
        public var reportPath: String?
        public var simulatedHours: Double = 12
        /// Simulated seconds per wall second (nil: finish in about `targetWallSeconds`).
        public var timeScale: Double?
        public var targetWallSeconds: Double = 40
        public var scanIntervalMinutes: Double = 15
        public var scanGeometry = ScanGeometry()
        public var cellName = "LSPS-demo"
        public var segmentationThreads = ProcessInfo.processInfo.activeProcessorCount
        public init(databasePath: String, reportPath: String?) {
            self.databasePath = databasePath
            self.reportPath = reportPath
        }
        public var effectiveTimeScale: Double { timeScale ?? max(1, simulatedHours * 3600 / targetWallSeconds) }
    }

    public struct Progress: Sendable {
        public var simulatedHours: Double
        public var totalHours: Double
        public var voltageVolts: Double?
        public var pressureMegapascals: Double?
        public var scans: Int
    }

    public struct Outcome: Sendable {
        public var runId: Int64
        public var outcome: RunOutcome
        public var summary: CorrelationSummary
        public var text: String
    }

    public static func run(_ options: Options, progress: (@Sendable (Progress) -> Void)? = nil) async throws -> Outcome {
        let database = try AppDatabase.openForWriting(path: options.databasePath)
        let clock = ScaledClock(timeScale: options.effectiveTimeScale)
        let parameters = CellParameters()
        let cell = SimulatedCell(parameters: parameters, clock: clock)
        let writer = SampleWriter(database: database, options: .init(maxLatencySeconds: 0.5))
        writer.start()

        // The force sensor: a simulated NAU7802 whose load is the cell's stack force once the
        // cell sits in the rig (before that: whatever calibration weight is on it).
        let load = Guarded<Double?>(0)
        let force = ForceSource { _ in load.current ?? cell.stackForceNewtons() }
        let sensorOptions = { (calibration: Sensors.Calibration?) in
            ForceSensorOptions(calibration: calibration, simulatedForce: force, simulatedNoiseCounts: 30)
        }
        let sensorId = "nau7802@sim:0x2a"
        var sensor = try makeForceSensor(chip: "nau7802", bus: nil, address: nil, simulate: true, options: sensorOptions(nil))
        try sensor.probe()
        // Two-point calibration with 0 N and a 30 N weight, stored like `cellpress calibrate`.
        var points: [CalibrationPoint] = []
        for newtons in [0.0, 30.0] {
            load.set(newtons)
            points.append(CalibrationPoint(counts: try averageRawCounts(of: sensor, reads: 8), forceNewtons: newtons))
        }
        let (_, calibration) = try SensorCalibration.fitAndStore(points: points, sensorId: sensorId, database: database)
        sensor = try makeForceSensor(chip: "nau7802", bus: nil, address: nil, simulate: true, options: sensorOptions(calibration))
        try sensor.probe()

        // Assembly: 0.25 N·m on two M3 screws; the cell now carries the stack force.
        try database.findOrCreateCell(named: options.cellName, diameterMillimetres: parameters.diameterMillimetres,
                                      electrolyte: "Li10SnP2S12 (simulated)")
        load.set(nil)
        let measuredForce = try (0..<8).map { _ in try sensor.read().forceNewtons }.reduce(0, +) / 8
        _ = try TorqueRecording.record(database: database, cellName: options.cellName, diameterMillimetres: parameters.diameterMillimetres,
                                       torqueNewtonMetresPerScrew: 0.25, clamp: try ScrewClamp(screwSize: "M3", screwCount: 2),
                                       measuredForceNewtons: measuredForce, note: "demo: simulated rig")
        guard let storedCell = try database.cell(named: options.cellName) else { throw StoreError.notFound(what: "cell \(options.cellName)") }

        let protocolText = PaperProtocol.toml(hours: options.simulatedHours)
        let protocolDefinition = try GalvanostaticProtocol.parse(toml: protocolText)
        let run = try database.startRun(Run(cellId: storedCell.id!, protocolText: protocolText,
                                            configSnapshot: "cellpress demo: time scale \(options.effectiveTimeScale), scans every \(options.scanIntervalMinutes) min of \(options.scanGeometry.size)",
                                            startedUnixTimeSeconds: clock.unixTimeSeconds(), clockSynchronized: ClockTrust.isSynchronized()))
        let runId = run.id!

        // Force sampling into the store, on simulated wall time.
        let time = SampleTimeSource(monotonicSeconds: SampleTimeSource.system.monotonicSeconds, unixSeconds: { clock.unixTimeSeconds() })
        let forceSink = StoreForceSink(writer: writer, cellId: storedCell.id!, sensorId: sensorId,
                                       cellAreaSquareMillimetres: parameters.areaSquareMillimetres)
        forceSink.attach(runId: runId)
        let sampler = try Sampler(sensor: sensor, sink: forceSink, configuration: .init(rateHz: 5), clock: BlockingMonotonicClock(), time: time)
        let samplerTask = sampler.startOnDedicatedThread(name: "cellpress.demo.sampler")

        // The beamline's scan trigger on a (simulated) GPIO line, watched like the real one.
        let gpio = SimulatedGPIO()
        gpio.addLine(chip: "gpiochip0", offset: 17, name: "scan-trigger")
        let monitor = GPIOMonitor(line: try gpio.request(.name("scan-trigger"), mode: .bothEdges, consumer: "cellpress"),
                                  role: "scan_trigger", time: time, onEdge: { edge in
            guard edge.edge == .rising else { return }
            writer.append(Event(cellId: storedCell.id, runId: runId, unixTimeSeconds: edge.unixTimeSeconds,
                                kind: Event.Kind.scanTrigger, message: "beamline scan started (GPIO rising edge)"))
        }, onError: { error in
            writer.append(Event(cellId: storedCell.id, runId: runId, kind: Event.Kind.alarm, message: "scan trigger line: \(error)"))
        })
        monitor.start()

        // The instrument: the 2450 emulator on loopback, through the real SCPI driver.
        let emulator = SMUEmulator(cell: cell, port: 0, offOnDisconnect: true)
        let port = try emulator.start()
        defer { emulator.stop() }
        let smu = try KeithleySourceMeter(host: "127.0.0.1", port: port)
        let runSink = StoreRunSink(writer: writer, cellId: storedCell.id!, runId: runId)
        var engineConfiguration = EngineConfiguration()
        engineConfiguration.sampleIntervalSeconds = 60
        engineConfiguration.watchdogTimeoutSeconds = 10
        let engine = ProtocolEngine(galvanostat: smu, clock: clock, sink: runSink, configuration: engineConfiguration,
                                    pressureMegapascals: { forceSink.latest.map { forceSink.pressureMegapascals(forceNewtons: $0.forceNewtons) } })

        let scanCount = Guarded(0)
        let engineTask = Task { await engine.run(protocolDefinition) }
        let scanTask = Task.detached {
            do {
                try await takeScans(every: options.scanIntervalMinutes * 60, clock: clock, cell: cell, geometry: options.scanGeometry,
                                    gpio: gpio, runId: runId, cellId: storedCell.id!, database: database, writer: writer,
                                    threads: options.segmentationThreads, taken: scanCount)
            } catch {
                // A scan that cannot be analysed ends the demo now (output off through the
                // engine's cancellation path), not after the whole protocol.
                if !(error is CancellationError) { engineTask.cancel() }
                throw error
            }
        }
        let progressTask = Task.detached {
            let start = clock.nowSeconds()
            while !Task.isCancelled {
                progress?(Progress(simulatedHours: (clock.nowSeconds() - start) / 3600, totalHours: options.simulatedHours,
                                   voltageVolts: runSink.latest?.voltageVolts,
                                   pressureMegapascals: forceSink.latest.map { forceSink.pressureMegapascals(forceNewtons: $0.forceNewtons) },
                                   scans: scanCount.current))
                try? await Task.sleep(nanoseconds: 250_000_000)
            }
        }

        let result = await engineTask.value
        let outcome = RunOutcome(result)
        scanTask.cancel()
        let scanError: Error?
        do { try await scanTask.value; scanError = nil } catch is CancellationError { scanError = nil } catch { scanError = error }
        progressTask.cancel()
        samplerTask.cancel()
        _ = await samplerTask.value
        monitor.stop()
        try writer.close()
        try database.finishRun(id: runId, status: outcome.status, reason: outcome.reason, endedUnixTimeSeconds: clock.unixTimeSeconds())
        if let scanError { throw scanError }

        let summary: CorrelationSummary
        if let reportPath = options.reportPath {
            summary = try RunReport.write(database: database, runId: runId, to: reportPath)
        } else {
            summary = Correlator.summarize(try RunCorrelation.input(database: database, runId: runId))
        }
        let text = try DemoSummary.text(database: database, runId: runId, outcome: outcome, summary: summary,
                                        reportPath: options.reportPath, timeScale: options.effectiveTimeScale)
        return Outcome(runId: runId, outcome: outcome, summary: summary, text: text)
    }

    /// Every `intervalSeconds` of simulated time: pulse the scan trigger, "reconstruct" a
    /// volume from the cell's state, segment it and store the result (and the synthetic
    /// truth, so the segmentation can be checked against it).
    static func takeScans(every intervalSeconds: Double, clock: ScaledClock, cell: SimulatedCell, geometry: ScanGeometry,
                          gpio: SimulatedGPIO, runId: Int64, cellId: Int64, database: AppDatabase, writer: SampleWriter,
                          threads: Int, taken: Guarded<Int>) async throws {
        var index = 0
        let first = clock.nowSeconds()
        while true {
            let due = first + Double(index) * intervalSeconds
            let wait = due - clock.nowSeconds()
            if wait > 0 { try await clock.sleep(seconds: wait) }
            try Task.checkCancellation()
            index += 1
            let started = clock.unixTimeSeconds()
            gpio.drive(.name("scan-trigger"), to: true)
            let state = cell.snapshot()
            gpio.drive(.name("scan-trigger"), to: false)
            let (volume, truth) = try generateSyntheticVolume(geometry.parameters(for: state, seed: UInt64(index)), threads: threads)
            let result = try segment(volume, thresholds: .paperDefaults, voxelUm: geometry.voxelMicrometres, threads: threads)
            // A 2-BM scan takes about 7 minutes.
            let (scan, _) = try ScanStorage.store(result, runId: runId, startedUnixTimeSeconds: started,
                                                  endedUnixTimeSeconds: started + 420, path: "synthetic:seed=\(index)",
                                                  database: database)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            writer.append(Event(cellId: cellId, runId: runId, unixTimeSeconds: started, kind: "scan_truth",
                                message: "synthetic truth of scan \(scan.id!)", value: Double(scan.id!),
                                dataJSON: String(decoding: try encoder.encode(truth), as: UTF8.self)))
            taken.set(index)
        }
    }
}
