import Foundation
import XCTest
@testable import AgentKit

/// The pure parts of `cellpress assemble`: tightening state, key handling, verdicts, the rig model.
final class AssembleUnitTests: XCTestCase {
    func testScrewsAreTakenInTurnUnlessAStepNamesOne() throws {
        var state = TighteningState(clamp: try ScrewClamp(screwSize: "M3", screwCount: 2, nutFactor: 0.2))
        XCTAssertEqual(state.nextScrewIndex, 0)
        try state.apply(try state.parse("0.1"))
        XCTAssertEqual(state.nextScrewIndex, 1)
        try state.apply(try state.parse(" 0.2 "))
        XCTAssertEqual(state.torquesNewtonMetres, [0.1, 0.2])
        try state.apply(try state.parse("2=0.25"))
        XCTAssertEqual(state.torquesNewtonMetres, [0.1, 0.25])
        XCTAssertEqual(state.nextScrewIndex, 0, "after screw 2 comes screw 1")
        // F = Σ T/(K d) = 0.35 / (0.2 · 0.003)
        XCTAssertEqual(state.estimatedForceNewtons, 583.33, accuracy: 0.01)
        XCTAssertEqual(state.meanTorqueNewtonMetres, 0.175, accuracy: 1e-12)
        // Torque per screw for 31.4 N with K 0.2 on 2 M3 screws: 31.4 · 0.2 · 0.003 / 2.
        XCTAssertEqual(state.torquePerScrewNewtonMetres(forForceNewtons: 31.4), 0.00942, accuracy: 1e-9)
        // Measured 0.35 / (0.9 · 0.003) = 129.6 N for 0.35 N·m: K 0.9; 31.4 N then takes 0.0424 N·m per screw.
        let observed = try XCTUnwrap(state.observedNutFactor(measuredForceNewtons: 0.35 / (0.9 * 0.003)))
        XCTAssertEqual(observed, 0.9, accuracy: 1e-4)
        XCTAssertEqual(state.torquePerScrewNewtonMetres(forForceNewtons: 31.4, nutFactor: observed), 0.04239, accuracy: 1e-5)
        XCTAssertNil(state.observedNutFactor(measuredForceNewtons: 0))
    }

    func testBadTorquesAreRefusedWithoutChangingTheState() throws {
        let state = TighteningState(clamp: try ScrewClamp(screwSize: "M3", screwCount: 2))
        XCTAssertThrowsError(try state.parse("-0.1")) { XCTAssertTrue("\($0)".contains("positive"), "\($0)") }
        XCTAssertThrowsError(try state.parse("1.5")) { XCTAssertEqual("\($0)", "1.500 N·m is above the 1.20 N·m an M3 screw takes") }
        XCTAssertThrowsError(try state.parse("3=0.1")) { XCTAssertTrue("\($0)".contains("screw number must be 1…2"), "\($0)") }
        XCTAssertThrowsError(try state.parse("abc"))
        XCTAssertThrowsError(try TighteningState.applying(list: "0.1,0.2,-0.3", to: state))
        XCTAssertThrowsError(try TighteningState.applying(list: "0.1,,0.2", to: state))
        let (after, steps) = try TighteningState.applying(list: "0.1,0.2,0.25", to: state)
        XCTAssertEqual(steps.map(\.screwIndex), [0, 1, 0])
        XCTAssertEqual(after.torquesNewtonMetres, [0.25, 0.2])
        XCTAssertEqual(state.steps.count, 0, "the original is untouched")
    }

    func testKeysEditTheTorqueLine() {
        var editor = TorqueLineEditor()
        for b in Array("0.25x".utf8) { XCTAssertEqual(editor.feed(b), .none) }
        XCTAssertEqual(editor.text, "0.25", "letters other than q are ignored")
        XCTAssertEqual(editor.feed(0x7F), .none)
        XCTAssertEqual(editor.text, "0.2")
        XCTAssertEqual(editor.feed(0x0D), .submit("0.2"))
        XCTAssertEqual(editor.text, "")
        XCTAssertEqual(editor.feed(UInt8(ascii: "q")), .quit)
        XCTAssertEqual(editor.feed(0x03), .abort)
    }

    func testTargetAndOvershootVerdicts() {
        XCTAssertNil(AssemblyDisplay.targetVerdict(pressureMegapascals: 9.9, targetMegapascals: 10, alreadyReached: false))
        XCTAssertTrue(AssemblyDisplay.targetVerdict(pressureMegapascals: 10.2, targetMegapascals: 10, alreadyReached: false)!.hasPrefix("target reached"))
        XCTAssertNil(AssemblyDisplay.targetVerdict(pressureMegapascals: 12, targetMegapascals: 10, alreadyReached: true), "said once")
        XCTAssertTrue(AssemblyDisplay.targetVerdict(pressureMegapascals: 15.1, targetMegapascals: 10, alreadyReached: true)!.hasPrefix("WARNING: overshoot"))
        let live = AssemblyDisplay.liveLine(forceNewtons: 123.45, pressureMegapascals: 39.3, estimateNewtons: 1234.5,
                                            estimateMegapascals: 392.96, nextScrew: 1, input: "0.025")
        XCTAssertEqual(live, "live  123.45 N  39.30 MPa | estimate 1234.5 N 392.96 MPa | screw 2 N·m> 0.025")
        XCTAssertLessThan(live.count, 80, "fits a terminal line, so \\r can redraw it")
        let line = AssemblyDisplay.inPlace("x")
        XCTAssertTrue(line.hasPrefix("\r") && line.hasSuffix("\u{1B}[K"))
    }

    func testTheSimulatedRigFollowsTorqueThroughItsOwnNutFactorAndRelaxes() {
        let clock = FakeMonotonicClock()
        let rig = SimulatedClampRig(effectiveNutFactor: 0.9, screwDiameterMetres: 0.003, relaxationTimeConstantSeconds: 3600,
                                    relaxationFractionLost: 0.2, timeScale: 100, monotonicSeconds: { clock.now })
        rig.set(torquesNewtonMetres: [0.05, 0.04])
        XCTAssertEqual(rig.forceNewtons(), 0.09 / (0.9 * 0.003), accuracy: 1e-9)
        rig.startRelaxation()
        let start = rig.forceNewtons()
        clock.advance(36)   // 36 s real × 100 = one τ
        XCTAssertEqual(rig.forceNewtons(), start * (1 - 0.2 * (1 - exp(-1))), accuracy: 1e-9)
        clock.advance(3600)
        XCTAssertEqual(rig.forceNewtons(), start * 0.8, accuracy: 1e-6)
        // Sampled and fitted, the decay gives back the time constant.
        let times = (0..<60).map { Double($0) * 240 }
        let pressures = times.map { t in 10 * (1 - 0.2 * (1 - exp(-t / 3600))) }
        let report = RelaxationReport(samples: 60, loggedSeconds: times.last!, firstMegapascals: 10, lastMegapascals: pressures.last!,
                                      fit: RelaxationFit.fit(timesSeconds: times, pressuresMegapascals: pressures))
        XCTAssertEqual(report.fit!.timeConstantSeconds, 3600, accuracy: 36)
        XCTAssertEqual(report.fractionLost(afterSeconds: 3600)!, 0.2 * (1 - exp(-1)), accuracy: 0.002)
        XCTAssertNil(report.fractionLost(afterSeconds: 12 * 3600), "a 4 h log does not cover 12 h")
        XCTAssertTrue(report.lines.contains { $0.contains("12 h: not covered") }, report.lines.joined(separator: "\n"))
    }
}

final class FakeMonotonicClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds = 1000.0
    var now: Double { lock.withLock { seconds } }
    func advance(_ s: Double) { lock.withLock { seconds += s } }
}
