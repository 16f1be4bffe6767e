import XCTest
import CellModel
@testable import Potentiostat

/// The real engine against the SMU emulator over real TCP on loopback.
/// Safety tests each assert the emulator's output is off within 1 s.
final class EngineEmulatorTests: XCTestCase {
    struct Rig {
        let cell: SimulatedCell
        let emulator: SMUEmulator
        let transport: TCPTransport
        let smu: KeithleySourceMeter
        let clock: ScaledClock
        let sink = RecordingSink()
    }

    func makeRig(timeScale: Double, parameters: CellParameters = CellParameters()) throws -> Rig {
        let clock = ScaledClock(timeScale: timeScale)
        let cell = SimulatedCell(parameters: parameters, clock: clock, voltageNoiseVolts: 1e-4)
        let emulator = SMUEmulator(cell: cell, port: 0, offOnDisconnect: true)
        let port = try emulator.start()
        let transport = try TCPTransport(host: "127.0.0.1", port: port)
        let smu = KeithleySourceMeter(channel: SCPIChannel(transport: transport, timeoutSeconds: 2))
        return Rig(cell: cell, emulator: emulator, transport: transport, smu: smu, clock: clock)
    }

    func engine(_ rig: Rig, intervalSeconds: Double, watchdogSeconds: Double = 5,
                pressure: (@Sendable () throws -> Double?)? = nil) -> ProtocolEngine {
        var config = EngineConfiguration()
        config.sampleIntervalSeconds = intervalSeconds
        config.watchdogTimeoutSeconds = watchdogSeconds
        let cell = rig.cell
        return ProtocolEngine(galvanostat: rig.smu, clock: rig.clock, sink: rig.sink, configuration: config,
                              pressureMegapascals: pressure ?? { cell.stackPressureMegapascals() })
    }

    func longProtocol() -> GalvanostaticProtocol {
        GalvanostaticProtocol(areaSquareCentimetres: 0.0314159, steps: [
            ProtocolStep(kind: .constantCurrent(amps: 31.4e-6), durationSeconds: 1e6)])
    }

    /// Start a run in a task and wait until the emulator's output is on.
    func startRun(_ e: ProtocolEngine, _ p: GalvanostaticProtocol, rig: Rig) -> Task<RunResult, Never> {
        let task = Task { await e.run(p) }
        XCTAssertTrue(waitUntilTrue(timeoutSeconds: 5) { rig.emulator.isOutputOn }, "output never came on")
        return task
    }

    /// Full protocol at 1000× against the emulator: a −1 mA/cm² step, a rest, then stripping
    /// the top electrode until the voltage runs away to the cut-off (contact loss made twice as
    /// fast as the paper's so the run takes ~5 s); charge within 1 %; pressure falls.
    func testFullProtocolAgainstEmulator() async throws {
        var params = CellParameters()
        params.contactLossPerMilliampHourPerSquareCentimetre = 0.22 / 9
        let rig = try makeRig(timeScale: 1000, parameters: params)
        defer { rig.emulator.stop() }
        let amps1 = params.currentAmps(milliampsPerSquareCentimetre: 1)
        let amps4 = params.currentAmps(milliampsPerSquareCentimetre: 4)
        let p = GalvanostaticProtocol(areaSquareCentimetres: params.areaSquareCentimetres, steps: [
            ProtocolStep(kind: .constantCurrent(amps: -amps1), chargeMilliampHoursPerSquareCentimetre: 0.5),
            ProtocolStep(kind: .rest, durationSeconds: 300),
            ProtocolStep(kind: .constantCurrent(amps: amps4), chargeMilliampHoursPerSquareCentimetre: 6),
        ], limits: ProtocolLimits(voltageAbsoluteMaximumVolts: 4))
        let result = await engine(rig, intervalSeconds: 10).run(p)
        guard case .cutOff(let v) = result else { return XCTFail("\(result)") }
        XCTAssertGreaterThanOrEqual(v, 4)
        XCTAssertTrue(waitUntilTrue { !rig.emulator.isOutputOn }, "output on after cut-off")

        let ends = engineStepEnds(rig.sink)
        XCTAssertEqual(ends.map(\.step), [0, 1])
        XCTAssertEqual(ends.map(\.reason), [.charge, .duration])
        XCTAssertEqual(ends[0].charge, -0.5, accuracy: 0.005)   // within 1 %
        XCTAssertEqual(ends[1].charge, 0, accuracy: 1e-12)
        let samples = rig.sink.samples
        let last = try XCTUnwrap(samples.last)
        XCTAssertEqual(last.stepIndex, 2)
        // Stripped in step 2 before the cut-off: ~3.3 mAh/cm² (θ² law with k = 0.22/9, 4 mA/cm²).
        let stepTwoCharge = (last.chargeCoulombs + 0.5 * 3.6 * params.areaSquareCentimetres) / (3.6 * params.areaSquareCentimetres)
        XCTAssertGreaterThan(stepTwoCharge, 2.5)
        XCTAssertLessThan(stepTwoCharge, 5.0)
        // The instrument's (cell's) charge agrees with the engine's within 1 % of the total moved.
        let moved = 3.6 * params.areaSquareCentimetres * (0.5 + stepTwoCharge)
        XCTAssertEqual(rig.cell.snapshot().chargeCoulombs, last.chargeCoulombs, accuracy: 0.01 * moved)
        // Runaway and pressure decline.
        let stepTwo = samples.filter { $0.stepIndex == 2 }
        // 4 mA/cm² on 22 % contact starts near 1.6 V and runs away past 4 V.
        XCTAssertLessThan(try XCTUnwrap(stepTwo.first).voltageVolts, 2.0)
        XCTAssertGreaterThan(try XCTUnwrap(stepTwo.first).voltageVolts, 0.5)
        XCTAssertGreaterThan(try XCTUnwrap(samples.first?.pressureMegapascals), 11.9)
        XCTAssertLessThan(try XCTUnwrap(last.pressureMegapascals), 9.0)
        let rest = samples.filter { $0.stepIndex == 1 }
        XCTAssertFalse(rest.isEmpty)
        XCTAssertTrue(rest.allSatisfy { $0.currentAmps == 0 })
    }

    func testLimitHitSwitchesOutputOff() async throws {
        let rig = try makeRig(timeScale: 1)
        defer { rig.emulator.stop() }
        var p = longProtocol()
        p.limits.voltageAbsoluteMaximumVolts = 0.3   // fresh cell reads 0.387 V at 1 mA/cm²
        let result = await engine(rig, intervalSeconds: 0.05).run(p)
        guard case .cutOff(let v) = result else { return XCTFail("\(result)") }
        XCTAssertGreaterThan(v, 0.3)
        XCTAssertTrue(waitUntilTrue { !rig.emulator.isOutputOn })
    }

    func testInstrumentErrorSwitchesOutputOff() async throws {
        let rig = try makeRig(timeScale: 1)
        defer { rig.emulator.stop() }
        // Step 2 asks for 2 A: the instrument rejects it (-222) while step 1's current flows.
        let p = GalvanostaticProtocol(areaSquareCentimetres: 0.0314159, steps: [
            ProtocolStep(kind: .constantCurrent(amps: 31.4e-6), durationSeconds: 0.2),
            ProtocolStep(kind: .constantCurrent(amps: 2.0), durationSeconds: 10)])
        let result = await engine(rig, intervalSeconds: 0.05).run(p)
        guard case .aborted(.instrumentError(let message)) = result else { return XCTFail("\(result)") }
        XCTAssertTrue(message.contains("-222"), message)
        XCTAssertTrue(waitUntilTrue { !rig.emulator.isOutputOn })
    }

    func testErrorRaisedDuringRunSwitchesOutputOff() async throws {
        let rig = try makeRig(timeScale: 1)
        defer { rig.emulator.stop() }
        let task = startRun(engine(rig, intervalSeconds: 0.05), longProtocol(), rig: rig)
        rig.emulator.emulation.injectError(SCPIErrorEntry(code: 5074, message: "Output disabled by interlock"))
        XCTAssertTrue(waitUntilTrue { !rig.emulator.isOutputOn }, "output on 1 s after the instrument error")
        task.cancel()   // only matters if the engine missed the error; keeps the test from hanging
        let result = await task.value
        guard case .aborted(.instrumentError(let message)) = result else { return XCTFail("\(result)") }
        XCTAssertTrue(message.contains("5074"), message)
    }

    func testCancellationSwitchesOutputOff() async throws {
        let rig = try makeRig(timeScale: 1)
        defer { rig.emulator.stop() }
        let task = startRun(engine(rig, intervalSeconds: 0.05), longProtocol(), rig: rig)
        task.cancel()   // what the agent does on SIGTERM / SIGINT
        XCTAssertTrue(waitUntilTrue { !rig.emulator.isOutputOn }, "output on 1 s after cancellation")
        let result = await task.value
        XCTAssertEqual(result, .aborted(.cancelled))
    }

    /// The agent receives SIGTERM: the signal handler cancels the run task, the engine switches
    /// the output off. (SIGUSR1 stands in for SIGTERM so a broken handler cannot kill the test
    /// runner; the code path is the same.)
    func testSignalCancelsRunAndSwitchesOutputOff() async throws {
        let rig = try makeRig(timeScale: 1)
        defer { rig.emulator.stop() }
        let task = startRun(engine(rig, intervalSeconds: 0.05), longProtocol(), rig: rig)
        let received = PotentiostatTestBox<Int32>(0)
        let guardian = SignalCancellation(signals: [SIGUSR1]) { number in
            received.value = number
            task.cancel()
        }
        defer { guardian.uninstall() }
        kill(getpid(), SIGUSR1)
        XCTAssertTrue(waitUntilTrue { !rig.emulator.isOutputOn }, "output on 1 s after the signal")
        XCTAssertEqual(received.value, SIGUSR1)
        task.cancel()   // no-op when the handler worked; keeps a failing test from hanging
        let result = await task.value
        XCTAssertEqual(result, .aborted(.cancelled))
    }

    func testErrorThrownInLoopSwitchesOutputOff() async throws {
        struct SensorFailure: Error {}
        let rig = try makeRig(timeScale: 1)
        defer { rig.emulator.stop() }
        let calls = PotentiostatTestBox(0)
        let e = engine(rig, intervalSeconds: 0.05) {
            calls.value += 1
            if calls.value >= 5 { throw SensorFailure() }
            return 12
        }
        let result = await e.run(longProtocol())
        guard case .aborted(.loopFailure(let what)) = result else { return XCTFail("\(result)") }
        XCTAssertTrue(what.contains("SensorFailure"))
        XCTAssertTrue(waitUntilTrue { !rig.emulator.isOutputOn })
    }

    func testConnectionDroppedEmulatorSwitchesOff() async throws {
        let rig = try makeRig(timeScale: 1)
        defer { rig.emulator.stop() }
        let task = startRun(engine(rig, intervalSeconds: 0.05), longProtocol(), rig: rig)
        rig.transport.close()   // the link drops (agent host crashed / cable pulled)
        XCTAssertTrue(waitUntilTrue { !rig.emulator.isOutputOn }, "emulator did not switch off on disconnect")
        let result = await task.value
        guard case .aborted(.linkLost) = result else { return XCTFail("\(result)") }
    }

    func testWatchdogSwitchesOutputOffWhenLoopStalls() async throws {
        let rig = try makeRig(timeScale: 1)
        defer { rig.emulator.stop() }
        let calls = PotentiostatTestBox(0)
        let e = engine(rig, intervalSeconds: 0.05, watchdogSeconds: 0.3) {
            calls.value += 1
            if calls.value == 4 { Thread.sleep(forTimeInterval: 1.6) }   // the loop hangs in a sensor read
            return 12
        }
        let task = startRun(e, longProtocol(), rig: rig)
        // Off within 1 s of the watchdog timeout, while the loop is still stuck.
        XCTAssertTrue(waitUntilTrue(timeoutSeconds: 1.3) { !rig.emulator.isOutputOn }, "watchdog did not switch off")
        let result = await task.value
        XCTAssertEqual(result, .aborted(.watchdog))
        XCTAssertTrue(rig.sink.events.contains { if case .alarm(let s) = $0.kind { return s.contains("watchdog") }; return false })
    }
}
