import Foundation

/// Stack-pressure relaxation after assembly: lithium creeps and the pressure decays towards a
/// plateau, P(t) = P∞ + (P₀ − P∞)·e^(−t/τ). Labs need to know how much is lost and how fast,
/// to decide whether to re-torque before cycling.
public struct RelaxationFit: Sendable, Equatable {
    public var initialMegapascals: Double
    public var plateauMegapascals: Double
    public var timeConstantSeconds: Double
    public var residualRMSMegapascals: Double

    public func pressureMegapascals(atSeconds t: Double) -> Double {
        plateauMegapascals + (initialMegapascals - plateauMegapascals) * exp(-t / timeConstantSeconds)
    }

    /// Fraction of the initial pressure lost by time t (0.1 = 10 % lost).
    public func fractionLost(afterSeconds t: Double) -> Double {
        guard initialMegapascals != 0 else { return 0 }
        return 1 - pressureMegapascals(atSeconds: t) / initialMegapascals
    }

    /// Least-squares fit. For a fixed τ the model is linear in (P∞, P₀ − P∞), so each τ is
    /// solved exactly; τ itself is found by a log-spaced scan then golden-section refinement.
    /// Returns nil with fewer than 4 samples or no time span.
    public static func fit(timesSeconds: [Double], pressuresMegapascals: [Double]) -> RelaxationFit? {
        let n = min(timesSeconds.count, pressuresMegapascals.count)
        guard n >= 4 else { return nil }
        let t0 = timesSeconds.prefix(n).min()!
        let t = timesSeconds.prefix(n).map { $0 - t0 }
        let p = Array(pressuresMegapascals.prefix(n))
        let span = t.max()!
        guard span > 0 else { return nil }

        func solve(_ tau: Double) -> (plateau: Double, amplitude: Double, sse: Double) {
            // p ≈ a + b·e, e = exp(−t/τ): ordinary least squares for a, b.
            var se = 0.0, see = 0.0, sp = 0.0, sep = 0.0
            for i in 0..<n {
                let e = exp(-t[i] / tau)
                se += e; see += e * e; sp += p[i]; sep += e * p[i]
            }
            let N = Double(n)
            let det = N * see - se * se
            guard abs(det) > 1e-300 else { return (sp / N, 0, .infinity) }
            let b = (N * sep - se * sp) / det
            let a = (sp - b * se) / N
            var sse = 0.0
            for i in 0..<n { let r = p[i] - a - b * exp(-t[i] / tau); sse += r * r }
            return (a, b, sse)
        }

        // Scan τ from span/1000 to 100·span on a log grid.
        let steps = 200
        var bestIndex = 0
        var grid: [Double] = []
        for k in 0...steps { grid.append(span / 1000 * pow(1e5, Double(k) / Double(steps))) }
        var bestSSE = Double.infinity
        for (k, tau) in grid.enumerated() {
            let sse = solve(tau).sse
            if sse < bestSSE { bestSSE = sse; bestIndex = k }
        }
        // Golden-section search in log τ between the grid neighbours.
        var lo = log(grid[max(0, bestIndex - 1)]), hi = log(grid[min(steps, bestIndex + 1)])
        let g = (5.0.squareRoot() - 1) / 2
        var x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo)
        var f1 = solve(exp(x1)).sse, f2 = solve(exp(x2)).sse
        for _ in 0..<80 {
            if f1 < f2 { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = solve(exp(x1)).sse }
            else { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = solve(exp(x2)).sse }
        }
        let tau = exp((lo + hi) / 2)
        let best = solve(tau)
        return RelaxationFit(initialMegapascals: best.plateau + best.amplitude, plateauMegapascals: best.plateau,
                             timeConstantSeconds: tau, residualRMSMegapascals: (best.sse / Double(n)).squareRoot())
    }
}
