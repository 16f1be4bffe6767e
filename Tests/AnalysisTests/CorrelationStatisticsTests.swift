import XCTest
@testable import Analysis

final class CorrelationStatisticsTests: XCTestCase {
    func testExactLineHasZeroErrors() throws {
        let x = (0..<10).map(Double.init), y = x.map { -0.3 * $0 + 2 }
        let f = try XCTUnwrap(LinearFit.fit(x: x, y: y))
        XCTAssertEqual(f.slope, -0.3, accuracy: 1e-12)
        XCTAssertEqual(f.intercept, 2, accuracy: 1e-12)
        XCTAssertEqual(f.r, -1, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(f.slopeStandardError), 0, accuracy: 1e-12)
    }

    /// Known slope 0.12 MPa/µm, σ = 0.05 MPa noise, 200 points: the slope must come back
    /// within 3 standard errors, and the reported standard error must match theory
    /// (σ/√Sxx) within 20 %.
    func testNoisySlopeRecoveredWithinStatedUncertainty() throws {
        var noise = CorrelationTestNoise(seed: 42)
        let x = (0..<200).map { -10 + 0.1 * Double($0) }
        let y = x.map { 0.12 * $0 + 1.5 + noise.gaussian(sigma: 0.05) }
        let f = try XCTUnwrap(LinearFit.fit(x: x, y: y))
        let se = try XCTUnwrap(f.slopeStandardError)
        let mx = x.reduce(0, +) / 200
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        XCTAssertEqual(se, 0.05 / sxx.squareRoot(), accuracy: 0.2 * 0.05 / sxx.squareRoot())
        XCTAssertLessThan(abs(f.slope - 0.12), 3 * se)
        XCTAssertLessThan(abs(f.intercept - 1.5), 3 * (f.interceptStandardError ?? 0))
        XCTAssertGreaterThan(f.r, 0.95)
    }

    func testDegenerateFitsAreNil() {
        XCTAssertNil(LinearFit.fit(x: [1], y: [2]))
        XCTAssertNil(LinearFit.fit(x: [1, 1, 1], y: [2, 3, 4]))
        XCTAssertNil(Statistics.pearson([1, 2, 3], [5, 5, 5]))
    }

    func testPearsonOfIndependentNoiseIsSmall() throws {
        var n = CorrelationTestNoise(seed: 7)
        let a = (0..<2000).map { _ in n.gaussian(sigma: 1) }
        let b = (0..<2000).map { _ in n.gaussian(sigma: 1) }
        // |r| < 4/√n with overwhelming probability for independent series.
        XCTAssertLessThan(abs(try XCTUnwrap(Statistics.pearson(a, b))), 4 / 2000.0.squareRoot())
    }

    /// b(t) = −a(t − 300 s) + noise: the search must find +300 s (within one 30-s step) and r < 0.
    func testLagRecovered() throws {
        var noise = CorrelationTestNoise(seed: 3)
        func signal(_ t: Double) -> Double { sin(t / 900) + 0.5 * sin(t / 310) }
        let ta = stride(from: 0.0, to: 20000, by: 60).map { $0 }
        let a = TimeSeries(timeUnixSeconds: ta, values: ta.map { signal($0) + noise.gaussian(sigma: 0.05) })
        let tb = stride(from: -2000.0, to: 22000, by: 20).map { $0 }
        let b = TimeSeries(timeUnixSeconds: tb, values: tb.map { -signal($0 - 300) + noise.gaussian(sigma: 0.05) })
        let lag = try XCTUnwrap(Statistics.bestLag(a: a, b: b, maxLagSeconds: 1800, stepSeconds: 30))
        XCTAssertEqual(lag.lagSeconds, 300, accuracy: 30)
        XCTAssertLessThan(lag.r, -0.9)
    }
}

/// Deterministic noise for tests (a 64-bit LCG → Box–Muller), so failures reproduce.
struct CorrelationTestNoise {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return (Double(state >> 11) + 0.5) / Double(1 << 53)
    }
    mutating func gaussian(sigma: Double) -> Double {
        let u1 = uniform(), u2 = uniform()
        return sigma * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
