import XCTest
@testable import Potentiostat

/// Generated scripts executed by the test interpreter against a model cell; the output is
/// decoded by `MethodScriptRun`, closing the loop generator → instrument → decoder.
final class MethodScriptExecutionTests: XCTestCase {
    func execute(_ proto: MethodScriptProtocol,
                 cell: @escaping (Double, Double, Bool) -> Double) throws -> (MethodScriptRun, [MethodScriptSample], MethodScriptTestInterpreter) {
        let script = try MethodScriptGenerator.script(for: proto)
        var interpreter = MethodScriptTestInterpreter(cellVoltage: cell)
        let output = try interpreter.run(script)
        var run = MethodScriptRun()
        // Feed in odd-sized chunks, as a serial port would deliver it.
        var samples: [MethodScriptSample] = []
        let bytes = Array(output.utf8)
        var i = 0
        while i < bytes.count {
            let k = min(bytes.count, i + 37)
            let u = run.feed(bytes[i..<k])
            XCTAssertEqual(u.errors, [], "decoding generated output")
            samples += u.samples
            i = k
        }
        return (run, samples, interpreter)
    }

    /// 10 kΩ ohmic cell: 31.4 µA → 0.314 V; open circuit 1 mV.
    static let ohmic: @Sendable (Double, Double, Bool) -> Double = { i, _, on in on ? i * 10_000 : 0.001 }

    func testRepeatedCyclingProducesStepsInOrder() throws {
        let proto = MethodScriptProtocol(
            steps: [
                .constantCurrent(currentAmps: 31.4e-6, durationSeconds: 100, voltageLimitVolts: 4),
                .rest(durationSeconds: 10),
                .constantCurrent(currentAmps: -31.4e-6, durationSeconds: 100, voltageLimitVolts: 4),
            ],
            samplingIntervalSeconds: 1, repeatCount: 2)
        let (run, samples, interpreter) = try execute(proto, cell: Self.ohmic)
        XCTAssertTrue(run.isAccepted)
        XCTAssertTrue(run.isFinished)
        XCTAssertEqual(samples.count, 420)
        let expectedSteps = (Array(repeating: 1, count: 100) + Array(repeating: 2, count: 10)
                             + Array(repeating: 3, count: 100))
        XCTAssertEqual(samples.map(\.stepNumber), (expectedSteps + expectedSteps).map { Optional($0) })
        for s in samples {
            switch s.stepNumber {
            case 1:
                XCTAssertEqual(s.currentAmps!, 31.4e-6, accuracy: 1e-12)
                XCTAssertEqual(s.potentialVolts, 0.314, accuracy: 1e-6)
            case 2:
                XCTAssertNil(s.currentAmps)
                XCTAssertEqual(s.potentialVolts, 0.001, accuracy: 1e-9)
            default:
                XCTAssertEqual(s.currentAmps!, -31.4e-6, accuracy: 1e-12)
                XCTAssertEqual(s.potentialVolts, -0.314, accuracy: 1e-6)
            }
        }
        // Time runs 1 s per sample from the script's timer_start.
        XCTAssertEqual(samples.first!.timeSeconds, 1, accuracy: 1e-9)
        XCTAssertEqual(samples.last!.timeSeconds, 420, accuracy: 1e-6)
        // Charge passed: +31.4 µA·100 s − 31.4 µA·100 s per repetition = 0.
        let charge = samples.reduce(0) { $0 + ($1.currentAmps ?? 0) * 1 }
        XCTAssertEqual(charge, 0, accuracy: 1e-12)
        // Cell off at the end and during rests.
        XCTAssertFalse(interpreter.cellOn)
        XCTAssertEqual(interpreter.cellEvents.map(\.on), [true, false, true, false, true, false, true, false, false])
    }

    func testVoltageCutOffEndsTheStepAndTheNextStepFollows() throws {
        // Resistance grows with time in the step: E = 0.314 V · (1 + t/10 s) passes 4 V at t ≈ 117.4 s.
        let growing: (Double, Double, Bool) -> Double = { i, t, on in on ? i * 10_000 * (1 + t / 10) : 0 }
        let proto = MethodScriptProtocol(
            steps: [
                .constantCurrent(currentAmps: 31.4e-6, durationSeconds: 300, voltageLimitVolts: 4),
                .rest(durationSeconds: 5),
            ],
            samplingIntervalSeconds: 1)
        let (run, samples, _) = try execute(proto, cell: growing)
        XCTAssertTrue(run.isFinished)
        let step1 = samples.filter { $0.stepNumber == 1 }
        XCTAssertEqual(step1.count, 118)  // first sample above 4 V is at t = 118 s, then breakloop
        XCTAssertGreaterThan(step1.last!.potentialVolts, 4)
        XCTAssertLessThanOrEqual(step1.dropLast().last!.potentialVolts, 4)
        XCTAssertEqual(samples.filter { $0.stepNumber == 2 }.count, 5)
    }

    func testSafetyAbortStopsEverythingAndOnFinishedSwitchesTheCellOff() throws {
        let growing: (Double, Double, Bool) -> Double = { i, t, on in on ? i * 10_000 * (1 + t / 10) : 0 }
        let proto = MethodScriptProtocol(
            steps: [
                .constantCurrent(currentAmps: 31.4e-6, durationSeconds: 300, voltageLimitVolts: 4),
                .rest(durationSeconds: 5),
            ],
            samplingIntervalSeconds: 1, repeatCount: 3, safetyAbortVolts: 3)
        let (run, samples, interpreter) = try execute(proto, cell: growing)
        XCTAssertTrue(run.isFinished)
        // 0.314·(1 + t/10) > 3 first at t = 86 s; nothing after that.
        XCTAssertEqual(samples.count, 86)
        XCTAssertTrue(samples.allSatisfy { $0.stepNumber == 1 })
        XCTAssertGreaterThan(samples.last!.potentialVolts, 3)
        XCTAssertFalse(interpreter.cellOn)
        XCTAssertEqual(interpreter.cellEvents.last?.on, false)
    }

    func testEncoderRoundTripsThroughTheDecoder() {
        var rng = MethodScriptFuzzRNG(seed: 42)
        for _ in 0..<2000 {
            let magnitude = pow(10, Double(Int(rng.next() % 30)) - 18)
            let v = (Double(rng.next() % 2_000_001) / 1_000_000 - 1) * magnitude
            let line = MethodScriptPacketEncoder.packet([
                MethodScriptPacketEncoder.variable(.workingElectrodePotential, v, status: .underload, range: 0x1B)!,
            ])
            var d = MethodScriptPacketDecoder()
            guard case .packet(let p, _)? = d.feed(line + "\n").first else { return XCTFail(line) }
            XCTAssertEqual(p.values[0].value, v, accuracy: abs(v) * 1e-7 + 0.5e-18, line)  // resolution: 1 atto
            XCTAssertEqual(p.values[0].status, .underload)
            XCTAssertEqual(p.values[0].range, 0x1B)
        }
        XCTAssertEqual(MethodScriptPacketEncoder.variable(.miscGeneric1, 3, integer: true), "ja8000003i")
        XCTAssertEqual(MethodScriptPacketEncoder.variable(.workingElectrodeCurrent, .nan), "ba     nan")
        XCTAssertNil(MethodScriptPacketEncoder.variable(MethodScriptVariableType(code: "B1"), 1))
    }
}
