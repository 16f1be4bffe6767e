import Foundation

/// Piecewise-linear view of a `TimeSeries`: interpolation and integrals. Sparse logs (a
/// pressure sample every few minutes against a 7-minute scan) are handled by integrating
/// the interpolant rather than averaging whatever samples fall in a window.
extension TimeSeries {
    /// First/last sample time, nil when empty.
    public var timeRange: ClosedRange<Double>? {
        guard !isEmpty, let a = timeUnixSeconds.first, let b = timeUnixSeconds.last, a <= b else { return nil }
        return a...b
    }

    /// Index of the last sample with time ≤ t (binary search), or nil if t precedes all.
    func lastIndex(atOrBefore t: Double) -> Int? {
        var lo = 0, hi = timeUnixSeconds.count - 1
        guard hi >= 0, timeUnixSeconds[0] <= t else { return nil }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if timeUnixSeconds[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Linear interpolation at t; nil outside the sampled range.
    public func interpolated(at t: Double) -> Double? {
        guard let range = timeRange, range.contains(t), let i = lastIndex(atOrBefore: t) else { return nil }
        if i == timeUnixSeconds.count - 1 { return values[i] }
        let t0 = timeUnixSeconds[i], t1 = timeUnixSeconds[i + 1]
        if t1 <= t0 { return values[i] }
        let w = (t - t0) / (t1 - t0)
        return values[i] + w * (values[i + 1] - values[i])
    }

    /// Integral of the linear interpolant over [a, b] (clipped to the sampled range).
    public func integral(from a: Double, to b: Double) -> Double {
        guard let range = timeRange, b > a else { return 0 }
        let lo = max(a, range.lowerBound), hi = min(b, range.upperBound)
        guard hi > lo, let va = interpolated(at: lo), let vb = interpolated(at: hi) else { return 0 }
        var sum = 0.0
        var tPrev = lo, vPrev = va
        var i = (lastIndex(atOrBefore: lo) ?? 0) + 1
        while i < timeUnixSeconds.count && timeUnixSeconds[i] < hi {
            let t = timeUnixSeconds[i], v = values[i]
            sum += 0.5 * (v + vPrev) * (t - tPrev)
            tPrev = t; vPrev = v
            i += 1
        }
        sum += 0.5 * (vb + vPrev) * (hi - tPrev)
        return sum
    }

    /// Samples strictly inside (a, b).
    func samples(inside a: Double, _ b: Double) -> ArraySlice<Double> {
        guard !isEmpty else { return [] }
        let start = (lastIndex(atOrBefore: a) ?? -1) + 1
        var end = start
        while end < timeUnixSeconds.count && timeUnixSeconds[end] < b { end += 1 }
        var s = start
        while s < end && timeUnixSeconds[s] <= a { s += 1 }
        return values[s..<end]
    }

    /// The series with each value mapped (e.g. absolute value).
    public func mapValues(_ f: (Double) -> Double) -> TimeSeries {
        TimeSeries(timeUnixSeconds: timeUnixSeconds, values: values.map(f))
    }
}

/// Summary of one series over a time window.
public struct WindowStats: Codable, Sendable, Equatable {
    /// Time-weighted mean of the linear interpolant over the covered part of the window.
    public var mean: Double
    public var min: Double
    public var max: Double
    /// Interpolated value at the window's mid-time.
    public var atMid: Double
    /// Samples strictly inside the window (0 means everything was interpolated).
    public var sampleCount: Int
    /// Fraction of the window inside the sampled time range, 0…1.
    public var coverage: Double
}

extension TimeSeries {
    /// Mean/min/max/at-mid over [start, end]. Nil if the window's mid-time is outside the
    /// sampled range (the log does not cover the scan). Min/max include the interpolated
    /// values at the (clipped) window edges so a window between two samples still has them.
    public func stats(from start: Double, to end: Double) -> WindowStats? {
        guard let range = timeRange, end >= start else { return nil }
        let mid = 0.5 * (start + end)
        guard let atMid = interpolated(at: mid) else { return nil }
        let lo = Swift.max(start, range.lowerBound), hi = Swift.min(end, range.upperBound)
        let inside = samples(inside: lo, hi)
        var mn = atMid, mx = atMid
        for v in inside { mn = Swift.min(mn, v); mx = Swift.max(mx, v) }
        for edge in [lo, hi] { if let v = interpolated(at: edge) { mn = Swift.min(mn, v); mx = Swift.max(mx, v) } }
        let mean = hi > lo ? integral(from: lo, to: hi) / (hi - lo) : atMid
        let coverage = end > start ? (hi - lo) / (end - start) : 1
        return WindowStats(mean: mean, min: mn, max: mx, atMid: atMid, sampleCount: inside.count, coverage: coverage)
    }
}
