import Foundation

public enum HalfCycleDetection {
    /// Half cycles from the current's sign: maximal runs of samples with the same sign,
    /// counting only samples with |I| above `thresholdFraction` × max|I|. Rests (samples
    /// below the threshold) are skipped: a run ends only when the sign flips. Each half
    /// cycle spans the first to the last sample of its sign.
    public static func derive(currentAmps: TimeSeries, positiveCurrentStrips: InterfaceSide,
                              thresholdFraction: Double = 0.02) -> [HalfCycleBounds] {
        guard !currentAmps.isEmpty else { return [] }
        let maxAbs = currentAmps.values.map(abs).max() ?? 0
        guard maxAbs > 0 else { return [] }
        let threshold = thresholdFraction * maxAbs
        var result: [HalfCycleBounds] = []
        var sign = 0, start = 0.0, last = 0.0
        for (t, i) in zip(currentAmps.timeUnixSeconds, currentAmps.values) where abs(i) > threshold {
            let s = i > 0 ? 1 : -1
            if s != sign {
                if sign != 0 { result.append(bounds(start, last, sign, positiveCurrentStrips)) }
                sign = s; start = t
            }
            last = t
        }
        if sign != 0 { result.append(bounds(start, last, sign, positiveCurrentStrips)) }
        return result.filter { $0.endUnixSeconds > $0.startUnixSeconds }
    }

    private static func bounds(_ a: Double, _ b: Double, _ sign: Int, _ positive: InterfaceSide) -> HalfCycleBounds {
        HalfCycleBounds(startUnixSeconds: a, endUnixSeconds: b, strippingSide: sign > 0 ? positive : positive.other)
    }
}
