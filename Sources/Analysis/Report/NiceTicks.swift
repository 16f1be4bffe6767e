import Foundation

/// Axis ticks at 1, 2 or 5 × 10ⁿ steps ("nice numbers"), covering a data range.
public struct NiceTicks: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var step: Double
    public var values: [Double]

    /// About `target` ticks spanning [min, max]; the axis range is widened to whole steps.
    /// A degenerate range (min == max) is widened by ±1 (or ±10 % of the value).
    public init(min lo: Double, max hi: Double, target: Int = 5) {
        var a = Swift.min(lo, hi), b = Swift.max(lo, hi)
        if !a.isFinite || !b.isFinite || !(b - a).isFinite { a = 0; b = 1 }
        if a == b { let pad = a == 0 ? 1 : abs(a) * 0.1; a -= pad; b += pad }
        let raw = (b - a) / Double(Swift.max(1, target))
        let mag = pow(10, floor(log10(raw)))
        let f = raw / mag
        let nice: Double = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
        step = nice * mag
        lower = floor(a / step + 1e-9) * step
        upper = ceil(b / step - 1e-9) * step
        var v: [Double] = []
        var k = 0
        while true {
            let t = lower + Double(k) * step
            if t > upper + step * 1e-6 || k > 1000 { break }
            v.append(abs(t) < step * 1e-9 ? 0 : t)
            k += 1
        }
        values = v
    }

    /// Label with just enough decimals for the step.
    public func label(_ x: Double) -> String {
        let decimals = Swift.max(0, -Int(floor(log10(step) + 1e-9)))
        if abs(x) >= 1e6 || (abs(x) > 0 && abs(x) < 1e-4) { return String(format: "%.2g", x) }
        return String(format: "%.\(decimals)f", x)
    }
}
