import Foundation

/// Errors from the kinetics solver.
public enum CellModelError: Error, Equatable, Sendable {
    /// Newton iteration for Butler–Volmer did not converge (current density A/cm², iterations).
    case butlerVolmerDidNotConverge(currentDensityAmpsPerSquareCentimetre: Double, iterations: Int)
    /// A parameter is outside its physical range (name, value).
    case invalidParameter(name: String, value: Double)
}

/// Butler–Volmer kinetics: i = i0 [exp(αa F η / RT) − exp(−αc F η / RT)].
public enum ButlerVolmer {
    /// Current density (A/cm²) produced by an overpotential η (V).
    public static func currentDensity(overpotentialVolts eta: Double,
                                      exchangeCurrentDensity i0: Double,
                                      anodicAlpha: Double, cathodicAlpha: Double,
                                      thermalVoltageVolts vt: Double) -> Double {
        i0 * (exp(anodicAlpha * eta / vt) - exp(-cathodicAlpha * eta / vt))
    }

    /// Overpotential (V) that drives the current density i (A/cm², positive = anodic).
    /// Closed form η = (RT/αF)·asinh(i / 2 i0) when αa = αc; Newton's method otherwise.
    public static func overpotential(currentDensity i: Double,
                                     exchangeCurrentDensity i0: Double,
                                     anodicAlpha: Double, cathodicAlpha: Double,
                                     thermalVoltageVolts vt: Double) throws -> Double {
        guard i0 > 0, i0.isFinite else { throw CellModelError.invalidParameter(name: "i0", value: i0) }
        guard anodicAlpha > 0, cathodicAlpha > 0 else {
            throw CellModelError.invalidParameter(name: "alpha", value: min(anodicAlpha, cathodicAlpha))
        }
        if abs(anodicAlpha - cathodicAlpha) < 1e-12 {
            return vt / anodicAlpha * asinh(i / (2 * i0))
        }
        // Newton on f(η) = BV(η) − i, started from the symmetric solution with the mean alpha.
        // f is monotonic and convex on each side, so Newton converges from there.
        let meanAlpha = 0.5 * (anodicAlpha + cathodicAlpha)
        var eta = vt / meanAlpha * asinh(i / (2 * i0))
        for _ in 0..<100 {
            let ea = exp(anodicAlpha * eta / vt)
            let ec = exp(-cathodicAlpha * eta / vt)
            let f = i0 * (ea - ec) - i
            let df = i0 * (anodicAlpha * ea + cathodicAlpha * ec) / vt
            let step = f / df
            eta -= step
            if abs(step) < 1e-12 * max(1, abs(eta)) { return eta }
        }
        throw CellModelError.butlerVolmerDidNotConverge(currentDensityAmpsPerSquareCentimetre: i,
                                                         iterations: 100)
    }
}
