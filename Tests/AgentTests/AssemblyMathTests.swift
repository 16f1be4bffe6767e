import XCTest
@testable import AgentKit

final class AssemblyMathTests: XCTestCase {
    func testThePapersTorqueOnM3ScrewsGives417NewtonsPerScrew() throws {
        let clamp = try ScrewClamp(screwSize: "M3", screwCount: 2, nutFactor: 0.2)
        XCTAssertEqual(clamp.forcePerScrewNewtons(torqueNewtonMetres: 0.25), 416.67, accuracy: 0.01)
        let total = clamp.totalForceNewtons(torquesNewtonMetres: [0.25, 0.25])
        XCTAssertEqual(total, 833.33, accuracy: 0.01)
        let area = Double.pi * 0.001 * 0.001   // 2 mm cell
        XCTAssertEqual(ScrewClamp.pressureMegapascals(forceNewtons: total, cellAreaSquareMetres: area), 265.26, accuracy: 0.01)
    }

    func testTorquesOutsideWhatTheScrewTakesAreRefused() throws {
        let m2 = try ScrewClamp(screwSize: "M2")
        XCTAssertNoThrow(try m2.validate(torqueNewtonMetres: 0.25))
        XCTAssertThrowsError(try m2.validate(torqueNewtonMetres: 0.5)) { error in
            XCTAssertEqual("\(error)", "0.500 N·m is above the 0.35 N·m an M2 screw takes")
        }
        XCTAssertThrowsError(try m2.validate(torqueNewtonMetres: -0.1))
        XCTAssertThrowsError(try m2.validate(torqueNewtonMetres: .nan))
        XCTAssertThrowsError(try ScrewClamp(screwSize: "M7")) { error in
            XCTAssertTrue("\(error)".hasPrefix("unknown screw size M7"))
        }
    }

    func testTheRigsNutFactorIsRecoveredFromPastAssemblies() {
        // A rig whose friction makes K effectively 0.9: measured = Σ T / (0.9 d), with ±2 N noise.
        let d = 0.003
        let torques: [[Double]] = [[0.2, 0.2], [0.25, 0.25], [0.3, 0.28], [0.15, 0.15], [0.25, 0.3]]
        let noise = [1.5, -2.0, 0.7, -0.4, 1.1]
        let assemblies = zip(torques, noise).map { (t, e) in
            (torquesNewtonMetres: t, screwDiameterMetres: d, measuredForceNewtons: t.reduce(0, +) / (0.9 * d) + e)
        }
        let fit = ScrewClamp.fitNutFactor(assemblies)
        XCTAssertEqual(fit?.nutFactor ?? 0, 0.9, accuracy: 0.01)
        XCTAssertEqual(fit?.assemblies, 5)
        XCTAssertLessThan(fit?.residualRMSNewtons ?? 99, 2.5)
        XCTAssertNil(ScrewClamp.fitNutFactor([]))
    }

    func testRelaxationTimeConstantIsRecoveredWithinFivePercentFromNoisyData() {
        var generator = SplitMix(seed: 7)
        let tau = 2.5 * 3600.0
        let times = stride(from: 0.0, through: 12 * 3600, by: 60).map { $0 }
        let pressures = times.map { t in 9.0 + (12.0 - 9.0) * exp(-t / tau) + generator.gaussian() * 0.03 }
        let fit = RelaxationFit.fit(timesSeconds: times, pressuresMegapascals: pressures)!
        XCTAssertEqual(fit.timeConstantSeconds, tau, accuracy: 0.05 * tau)
        XCTAssertEqual(fit.initialMegapascals, 12, accuracy: 0.05)
        XCTAssertEqual(fit.plateauMegapascals, 9, accuracy: 0.05)
        XCTAssertEqual(fit.fractionLost(afterSeconds: 3600), (12 - (9 + 3 * exp(-3600 / tau))) / 12, accuracy: 0.01)
        XCTAssertNil(RelaxationFit.fit(timesSeconds: [0, 1], pressuresMegapascals: [1, 2]))
    }
}

/// A small seeded generator so noisy test data is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func gaussian() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
