import Foundation

/// Engine settings.
public struct EngineConfiguration: Sendable {
    /// Time between samples, s of the engine clock.
    public var sampleIntervalSeconds: Double = 10
    /// Wall-clock seconds without a loop iteration before the watchdog switches the output off.
    /// Must exceed the sample interval in wall time.
    public var watchdogTimeoutSeconds: Double = 60
    /// The instrument-side voltage limit is the protocol's |V| limit plus this margin, so the
    /// engine's cut-off acts first and the instrument's limit protects the cell if the agent dies.
    public var instrumentVoltageMarginVolts: Double = 0.5
    /// Consecutive samples below `soft_short_v` under current before calling a soft short.
    public var softShortConsecutiveSamples: Int = 3
    public init() {}
}

/// Runs a `GalvanostaticProtocol` against a `Galvanostat`, sampling on an injected clock,
/// and guarantees the output is switched off on every way out: limit, instrument error, lost
/// link, cancellation (the agent cancels the task on SIGTERM/SIGINT), an error thrown in the
/// loop, or a stalled loop (watchdog). It never resumes an earlier run: each run starts by
/// resetting the instrument.
public final class ProtocolEngine: @unchecked Sendable {
    public let galvanostat: any Galvanostat
    public let clock: any EngineClock
    public let sink: any RunSink
    public let configuration: EngineConfiguration
    private let pressureMegapascals: @Sendable () throws -> Double?
    private let lock = NSLock()
    private var holdReleased = false

    /// - Parameter pressureMegapascals: current stack pressure, or nil when unavailable.
    public init(galvanostat: any Galvanostat, clock: any EngineClock, sink: any RunSink,
                configuration: EngineConfiguration = EngineConfiguration(),
                pressureMegapascals: @escaping @Sendable () throws -> Double? = { nil }) {
        self.galvanostat = galvanostat
        self.clock = clock
        self.sink = sink
        self.configuration = configuration
        self.pressureMegapascals = pressureMegapascals
    }

    /// End the current `hold` step (e.g. the beamline finished a scan).
    public func releaseHold() { lock.lock(); holdReleased = true; lock.unlock() }

    private func takeHoldRelease() -> Bool {
        lock.lock(); defer { lock.unlock() }
        let r = holdReleased; holdReleased = false; return r
    }

    /// An early end of the loop carrying its result.
    private struct Stop: Error { let result: RunResult }

    private var runStart = 0.0

    private func emit(_ kind: RunEventKind) {
        sink.record(event: RunEvent(unixTimeSeconds: clock.unixTimeSeconds(),
                                    runTimeSeconds: clock.nowSeconds() - runStart, kind: kind))
    }

    /// Run the protocol to its end; returns how it ended. Never throws: failures become
    /// `.aborted(reason)` after the output has been switched off.
    public func run(_ protocolDefinition: GalvanostaticProtocol) async -> RunResult {
        runStart = clock.nowSeconds()
        let galvanostat = self.galvanostat
        let watchdog = Watchdog(timeoutSeconds: configuration.watchdogTimeoutSeconds) { [weak self] in
            galvanostat.emergencyOff()
            self?.emit(.alarm("watchdog: no loop iteration for the timeout; output switched off"))
        }
        watchdog.start()
        var result: RunResult
        do {
            try await loop(protocolDefinition, watchdog: watchdog)
            result = .completed
        } catch let stop as Stop {
            result = stop.result
        } catch {
            result = .aborted(Self.classify(error))
        }
        watchdog.stop()
        if watchdog.hasFired, case .completed = result { result = .aborted(.watchdog) }
        // Safety: output off on every way out; if the normal path fails, the emergency one.
        do { try galvanostat.outputOff() } catch { galvanostat.emergencyOff() }
        let reason: String
        switch result {
        case .completed: reason = "run completed"
        case .cutOff(let v): reason = "cut-off at \(v) V"
        case .aborted(let r): reason = r.description
        }
        emit(.outputOff(reason: reason))
        emit(.runEnded(result))
        return result
    }

    static func classify(_ error: Error) -> AbortReason {
        switch error {
        case is CancellationError: return .cancelled
        case let e as InstrumentError:
            if case .link(let command, let t) = e { return .linkLost("\(command): \(t)") }
            return .instrumentError("\(e)")
        case let e as TransportError: return .linkLost("\(e)")
        default: return .loopFailure("\(error)")
        }
    }

    private func loop(_ p: GalvanostaticProtocol, watchdog: Watchdog) async throws {
        let limits = p.limits
        let instrument = try galvanostat.identify()
        emit(.runStarted(instrument: instrument))
        try galvanostat.configure(voltageLimitVolts: limits.voltageAbsoluteMaximumVolts + configuration.instrumentVoltageMarginVolts)
        var outputIsOn = false
        var runCharge = 0.0
        var lastTime = clock.nowSeconds()
        var pressureAlarmed = false
        let coulombsPerAreal = 3.6 * p.areaSquareCentimetres   // C per mAh/cm²

        for cycle in 0..<max(1, p.repeatCount) {
            for (index, step) in p.steps.enumerated() {
                try Task.checkCancellation()
                let amps = step.currentAmps
                emit(.stepStarted(stepIndex: index, cycle: cycle, currentAmps: amps))
                if step.kind == .hold { _ = takeHoldRelease() }
                try galvanostat.setCurrent(amps: amps)
                if !outputIsOn { try galvanostat.outputOn(); outputIsOn = true }
                var flowing = amps
                var paused = false
                var stepActive = 0.0
                var stepCharge = 0.0
                var lowVoltageCount = 0
                lastTime = clock.nowSeconds()
                var endReason: StepEndReason?
                while endReason == nil {
                    try Task.checkCancellation()
                    if watchdog.hasFired { throw Stop(result: .aborted(.watchdog)) }
                    let now = clock.nowSeconds()
                    let dt = max(0, now - lastTime)
                    lastTime = now
                    runCharge += flowing * dt
                    stepCharge += flowing * dt
                    if !paused { stepActive += dt }
                    let reading = try galvanostat.measure()
                    let pressure = try pressureMegapascals()
                    sink.record(sample: RunSample(unixTimeSeconds: clock.unixTimeSeconds(), runTimeSeconds: now - runStart,
                                                  voltageVolts: reading.voltageVolts, currentAmps: reading.currentAmps,
                                                  chargeCoulombs: runCharge, stepIndex: index, cycle: cycle,
                                                  pressureMegapascals: pressure))
                    watchdog.beat()
                    let v = reading.voltageVolts

                    // Run-wide limits.
                    if abs(v) >= limits.voltageAbsoluteMaximumVolts {
                        emit(.limitHit(limit: "voltage_abs_max_v", value: v))
                        throw Stop(result: .cutOff(voltageVolts: v))
                    }
                    if let hours = limits.maximumDurationHours, now - runStart >= hours * 3600 {
                        emit(.limitHit(limit: "max_duration_h", value: (now - runStart) / 3600))
                        throw Stop(result: .aborted(.maximumDuration(hours: hours)))
                    }
                    if let threshold = limits.softShortVolts, flowing != 0, !paused {
                        lowVoltageCount = abs(v) < threshold ? lowVoltageCount + 1 : 0
                        if lowVoltageCount >= configuration.softShortConsecutiveSamples {
                            emit(.limitHit(limit: "soft_short_v", value: v))
                            throw Stop(result: .aborted(.softShort(volts: v)))
                        }
                    }
                    if let window = limits.pressureWindow {
                        if let mpa = pressure {
                            pressureAlarmed = false
                            if !window.contains(mpa) {
                                if window.action == .abort {
                                    emit(.limitHit(limit: "pressure_window", value: mpa))
                                    throw Stop(result: .aborted(.pressureOutOfWindow(megapascals: mpa)))
                                }
                                if !paused {
                                    emit(.limitHit(limit: "pressure_window", value: mpa))
                                    try galvanostat.setCurrent(amps: 0)
                                    paused = true; flowing = 0
                                    emit(.paused(pressureMegapascals: mpa))
                                }
                            } else if paused {
                                try galvanostat.setCurrent(amps: amps)
                                paused = false; flowing = amps
                                emit(.resumed(pressureMegapascals: mpa))
                            }
                        } else if !pressureAlarmed {
                            pressureAlarmed = true
                            emit(.alarm("stack pressure unavailable; pressure window not enforced"))
                        }
                    }

                    // Step ends.
                    let stepAreal = abs(stepCharge) / coulombsPerAreal
                    var untilEnd = configuration.sampleIntervalSeconds
                    if let d = step.durationSeconds {
                        if stepActive >= d * (1 - 1e-12) { endReason = .duration; break }
                        if !paused { untilEnd = min(untilEnd, d - stepActive) }
                    }
                    if let q = step.chargeMilliampHoursPerSquareCentimetre {
                        if stepAreal >= q * (1 - 1e-9) { endReason = .charge; break }
                        if !paused, amps != 0 { untilEnd = min(untilEnd, (q - stepAreal) * coulombsPerAreal / abs(amps)) }
                    }
                    if let ev = step.endVoltageVolts, (ev >= 0 ? v >= ev : v <= ev) {
                        emit(.limitHit(limit: "step_voltage_v", value: v))
                        endReason = .voltage; break
                    }
                    if step.kind == .hold, takeHoldRelease() { endReason = .released; break }
                    try await clock.sleep(seconds: max(untilEnd, 1e-6))
                }
                emit(.stepEnded(stepIndex: index, cycle: cycle, reason: endReason ?? .duration,
                                chargeMilliampHoursPerSquareCentimetre: stepCharge / coulombsPerAreal))
            }
        }
    }
}
