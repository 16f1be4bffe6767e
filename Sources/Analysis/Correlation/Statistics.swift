import Foundation

/// Ordinary least-squares line y = slope·x + intercept with standard errors.
public struct LinearFit: Codable, Sendable, Equatable {
    public var slope: Double
    public var intercept: Double
    /// Standard errors from the residual variance (n − 2 degrees of freedom); nil for n = 2.
    public var slopeStandardError: Double?
    public var interceptStandardError: Double?
    /// Pearson correlation coefficient of x and y.
    public var r: Double
    public var pointCount: Int
    /// Root-mean-square residual.
    public var residualRMS: Double

    /// Nil when fewer than 2 points or x has no spread (slope undefined).
    public static func fit(x: [Double], y: [Double]) -> LinearFit? {
        let n = Swift.min(x.count, y.count)
        guard n >= 2 else { return nil }
        let xs = x.prefix(n), ys = y.prefix(n)
        let mx = xs.reduce(0, +) / Double(n), my = ys.reduce(0, +) / Double(n)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (a, b) in zip(xs, ys) {
            sxx += (a - mx) * (a - mx); sxy += (a - mx) * (b - my); syy += (b - my) * (b - my)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx, intercept = my - slope * mx
        var sse = 0.0
        for (a, b) in zip(xs, ys) { let e = b - (slope * a + intercept); sse += e * e }
        var seSlope: Double?, seIntercept: Double?
        if n > 2 {
            let s2 = sse / Double(n - 2)
            seSlope = (s2 / sxx).squareRoot()
            seIntercept = (s2 * (1 / Double(n) + mx * mx / sxx)).squareRoot()
        }
        let r = syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
        return LinearFit(slope: slope, intercept: intercept, slopeStandardError: seSlope,
                         interceptStandardError: seIntercept, r: r, pointCount: n,
                         residualRMS: (sse / Double(n)).squareRoot())
    }
}

public enum Statistics {
    /// Pearson r; nil for fewer than 2 points or a constant series.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Swift.min(x.count, y.count)
        guard n >= 2 else { return nil }
        let mx = x.prefix(n).reduce(0, +) / Double(n), my = y.prefix(n).reduce(0, +) / Double(n)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for k in 0..<n {
            let a = x[k] - mx, b = y[k] - my
            sxx += a * a; sxy += a * b; syy += b * b
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// The lag (seconds) that maximises the Pearson correlation between `a(t)` and
    /// `b(t + lag)`, searched on a grid of `stepSeconds` within ±`maxLagSeconds`, with
    /// `a` sampled at its own times and `b` interpolated. Positive lag: b follows a.
    /// `useAbsolute` maximises |r| (a stiffness correlation can be negative).
    public static func bestLag(a: TimeSeries, b: TimeSeries, maxLagSeconds: Double,
                               stepSeconds: Double, useAbsolute: Bool = true) -> LagResult? {
        // Finite and bounded: the step count becomes an Int (and Analysis builds with -Ounchecked in release).
        guard !a.isEmpty, !b.isEmpty, stepSeconds > 0, maxLagSeconds >= 0, stepSeconds.isFinite,
              maxLagSeconds.isFinite, maxLagSeconds / stepSeconds < 100_000 else { return nil }
        let steps = Int((maxLagSeconds / stepSeconds).rounded(.down))
        var best: LagResult?
        for k in -steps...steps {
            let lag = Double(k) * stepSeconds
            var xs: [Double] = [], ys: [Double] = []
            for (t, v) in zip(a.timeUnixSeconds, a.values) {
                if let w = b.interpolated(at: t + lag) { xs.append(v); ys.append(w) }
            }
            // Require most of `a` to overlap so large lags don't win on a handful of points.
            guard xs.count >= Swift.max(3, a.count / 2), let r = pearson(xs, ys) else { continue }
            let score = useAbsolute ? abs(r) : r
            if best == nil || score > (useAbsolute ? abs(best!.r) : best!.r) + 1e-12 {
                best = LagResult(lagSeconds: lag, r: r, pointCount: xs.count)
            }
        }
        return best
    }
}

/// Result of a lag search.
public struct LagResult: Codable, Sendable, Equatable {
    public var lagSeconds: Double
    public var r: Double
    public var pointCount: Int
}
