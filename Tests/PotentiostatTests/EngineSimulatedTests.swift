import XCTest
import CellModel
@testable import Potentiostat

/// Thread-safe counter/flag box for closures.
final class PotentiostatTestBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ v: T) { stored = v }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

func engineStepEnds(_ sink: RecordingSink) -> [(step: Int, cycle: Int, reason: StepEndReason, charge: Double)] {
    sink.events.compactMap {
        if case .stepEnded(let s, let c, let r, let q) = $0.kind { return (s, c, r, q) }
        return nil
    }
}

/// Engine against SimulatedCell in-process on a virtual clock: deterministic, hours in ms.
final class EngineSimulatedTests: XCTestCase {
    func paperCycling(repeatCount: Int) -> GalvanostaticProtocol {
        let p = CellParameters()
        let amps = p.currentAmps(milliampsPerSquareCentimetre: 1)
        return GalvanostaticProtocol(areaSquareCentimetres: p.areaSquareCentimetres, steps: [
            ProtocolStep(kind: .constantCurrent(amps: amps), chargeMilliampHoursPerSquareCentimetre: 4),
            ProtocolStep(kind: .constantCurrent(amps: -amps), chargeMilliampHoursPerSquareCentimetre: 4),
        ], repeatCount: repeatCount, limits: ProtocolLimits(voltageAbsoluteMaximumVolts: 4))
    }

    func makeEngine(cell: SimulatedCell, clock: VirtualClock, sink: RecordingSink, interval: Double = 60,
                    pressure: (@Sendable () throws -> Double?)? = nil) -> ProtocolEngine {
        var config = EngineConfiguration()
        config.sampleIntervalSeconds = interval
        return ProtocolEngine(galvanostat: SimulatedGalvanostat(cell: cell), clock: clock, sink: sink,
                              configuration: config, pressureMegapascals: pressure ?? { cell.stackPressureMegapascals() })
    }

    /// ±1 mA/cm², 4 mAh/cm² half cycles: two half cycles complete; in the third the top
    /// interface (already stripped 4 mAh/cm², now also covered by the interphase grown while it
    /// was plated) runs away to the 4 V cut-off; stack pressure falls as Li moves into the interphase.
    func testPaperCyclingRunsAwayAndPressureFalls() async throws {
        let clock = VirtualClock()
        let cell = SimulatedCell(clock: clock, voltageNoiseVolts: 1e-4)
        let sink = RecordingSink()
        let result = await makeEngine(cell: cell, clock: clock, sink: sink).run(paperCycling(repeatCount: 2))
        guard case .cutOff(let v) = result else { return XCTFail("\(result)") }
        XCTAssertGreaterThanOrEqual(abs(v), 4)
        XCTAssertGreaterThan(v, 0)   // third half cycle is positive
        let ends = engineStepEnds(sink)
        XCTAssertEqual(ends.map(\.step), [0, 1])
        XCTAssertEqual(ends.map(\.cycle), [0, 0])
        for end in ends {
            XCTAssertEqual(end.reason, .charge)
            XCTAssertEqual(abs(end.charge), 4.0, accuracy: 0.04)   // within 1 %
        }
        // The model's own charge agrees with the engine's bookkeeping.
        let last = try XCTUnwrap(sink.samples.last)
        XCTAssertEqual(cell.snapshot().chargeCoulombs, last.chargeCoulombs, accuracy: 0.01 * 3.6 * 0.0314 * 4)
        XCTAssertEqual(last.stepIndex, 0)
        XCTAssertEqual(last.cycle, 1)
        // Runaway: early |V| < 0.8 V, final ≥ 4 V, after more than 9 h.
        let firstVoltage = try XCTUnwrap(sink.samples.first?.voltageVolts)
        XCTAssertLessThan(abs(firstVoltage), 0.8)
        XCTAssertGreaterThan(last.runTimeSeconds, 9 * 3600)
        XCTAssertLessThan(last.runTimeSeconds, 12 * 3600)
        // Pressure decline: 12 MPa at start, about 1.5 MPa lower per 1 mAh/cm² moved net.
        let p0 = try XCTUnwrap(sink.samples.first?.pressureMegapascals)
        let p1 = try XCTUnwrap(last.pressureMegapascals)
        XCTAssertEqual(p0, 12, accuracy: 0.05)
        XCTAssertLessThan(p1, p0 - 5)
        XCTAssertTrue(sink.events.contains { $0.kind == .limitHit(limit: "voltage_abs_max_v", value: v) })
        XCTAssertFalse(cell.currentFlowingAmps != 0)
    }

    func testPressureWindowPausesAndResumes() async throws {
        let clock = VirtualClock()
        let cell = SimulatedCell(clock: clock, voltageNoiseVolts: 0)
        let sink = RecordingSink()
        // Pressure leaves the window between t = 1000 s and 2000 s.
        let engine = makeEngine(cell: cell, clock: clock, sink: sink) {
            let t = clock.nowSeconds()
            return (1000..<2000).contains(t) ? 2.0 : 12.0
        }
        var p = GalvanostaticProtocol(areaSquareCentimetres: 0.0314159, steps: [
            ProtocolStep(kind: .constantCurrent(amps: 31.4159e-6), chargeMilliampHoursPerSquareCentimetre: 1)])
        p.limits.pressureWindow = PressureWindow(minimumMegapascals: 5, maximumMegapascals: 30, action: .pause)
        let result = await engine.run(p)
        XCTAssertEqual(result, .completed)
        let kinds = sink.events.map(\.kind)
        XCTAssertTrue(kinds.contains(.paused(pressureMegapascals: 2)))
        XCTAssertTrue(kinds.contains(.resumed(pressureMegapascals: 12)))
        // 1 mAh/cm² takes 3600 s of current; ~1000 s paused makes the step ~4600 s.
        let end = try XCTUnwrap(sink.samples.last)
        XCTAssertGreaterThan(end.runTimeSeconds, 4500)
        XCTAssertEqual(engineStepEnds(sink).first?.charge ?? 0, 1.0, accuracy: 0.01)
        XCTAssertTrue(sink.samples.contains { $0.currentAmps == 0 && $0.runTimeSeconds > 1000 && $0.runTimeSeconds < 2000 })
    }

    func testPressureWindowAbort() async {
        let clock = VirtualClock()
        let cell = SimulatedCell(clock: clock)
        let sink = RecordingSink()
        let engine = makeEngine(cell: cell, clock: clock, sink: sink) { clock.nowSeconds() > 500 ? 40 : 12 }
        var p = GalvanostaticProtocol(areaSquareCentimetres: 0.0314159, steps: [
            ProtocolStep(kind: .constantCurrent(amps: 31.4e-6), durationSeconds: 3600)])
        p.limits.pressureWindow = PressureWindow(minimumMegapascals: nil, maximumMegapascals: 30, action: .abort)
        let result = await engine.run(p)
        XCTAssertEqual(result, .aborted(.pressureOutOfWindow(megapascals: 40)))
        XCTAssertEqual(cell.currentFlowingAmps, 0)
    }

    func testSoftShortAndMaxDurationAndHold() async {
        // Soft short: a cell with a huge exchange current and conductivity reads ~0 V under current.
        var params = CellParameters()
        params.exchangeCurrentDensityAmpsPerSquareCentimetre = 1e6
        params.electrolyteConductivitySiemensPerCentimetre = 1e6
        params.interphaseConductivitySiemensPerCentimetre = 1e6
        let clock = VirtualClock()
        let shorted = SimulatedCell(parameters: params, clock: clock, voltageNoiseVolts: 0)
        let sink = RecordingSink()
        var p = GalvanostaticProtocol(areaSquareCentimetres: 0.0314159, steps: [
            ProtocolStep(kind: .constantCurrent(amps: 31.4e-6), durationSeconds: 3600)])
        p.limits.softShortVolts = 0.005
        let r = await makeEngine(cell: shorted, clock: clock, sink: sink).run(p)
        guard case .aborted(.softShort) = r else { return XCTFail("\(r)") }

        // Max duration.
        let clock2 = VirtualClock()
        var p2 = GalvanostaticProtocol(areaSquareCentimetres: 0.0314159, steps: [ProtocolStep(kind: .rest, durationSeconds: 7200)])
        p2.limits.maximumDurationHours = 1
        let r2 = await makeEngine(cell: SimulatedCell(clock: clock2), clock: clock2, sink: RecordingSink()).run(p2)
        XCTAssertEqual(r2, .aborted(.maximumDuration(hours: 1)))

        // Hold ends when released (the release comes from the pressure callback at t > 300 s).
        let clock3 = VirtualClock()
        let sink3 = RecordingSink()
        let engineBox = PotentiostatTestBox<ProtocolEngine?>(nil)
        let engine = makeEngine(cell: SimulatedCell(clock: clock3), clock: clock3, sink: sink3) {
            if clock3.nowSeconds() > 300 { engineBox.value?.releaseHold() }
            return 12
        }
        engineBox.value = engine
        let r3 = await engine.run(GalvanostaticProtocol(areaSquareCentimetres: 0.0314159, steps: [ProtocolStep(kind: .hold)]))
        XCTAssertEqual(r3, .completed)
        XCTAssertEqual(engineStepEnds(sink3).first?.reason, .released)
        XCTAssertGreaterThan(sink3.samples.last?.runTimeSeconds ?? 0, 300)
        engineBox.value = nil
    }

    func testInjectedInstrumentErrorAbortsAndSwitchesOff() async {
        let clock = VirtualClock()
        let cell = SimulatedCell(clock: clock)
        let galvanostat = SimulatedGalvanostat(cell: cell)
        let sink = RecordingSink()
        let counter = PotentiostatTestBox(0)
        let engine = ProtocolEngine(galvanostat: galvanostat, clock: clock, sink: sink) {
            counter.value += 1
            if counter.value == 5 {
                galvanostat.inject(.instrumentReported(command: ":READ?", entries: [SCPIErrorEntry(code: -363, message: "Input buffer overrun")]))
            }
            return 12
        }
        let r = await engine.run(GalvanostaticProtocol(areaSquareCentimetres: 0.0314159, steps: [
            ProtocolStep(kind: .constantCurrent(amps: 31.4e-6), durationSeconds: 36_000)]))
        guard case .aborted(.instrumentError) = r else { return XCTFail("\(r)") }
        XCTAssertFalse(galvanostat.isOutputOn)
        XCTAssertTrue(sink.events.contains { if case .outputOff = $0.kind { return true }; return false })
    }
}
