/// A grey-level histogram over [lower, upper) with equal bins.
public struct Histogram: Sendable, Equatable {
    public let lower: Float
    public let upper: Float
    public var counts: [Int]

    /// Histogram of all voxels; the range is the volume's min...max.
    public init<Scalar: VoxelScalar>(_ volume: Volume<Scalar>, bins: Int = 256) {
        var lo = Float.infinity, hi = -Float.infinity
        for v in volume.voxels {
            let f = v.floatValue
            if f.isFinite { lo = Swift.min(lo, f); hi = Swift.max(hi, f) }
        }
        if !(lo < hi) { lo = lo.isFinite ? lo : 0; hi = lo + 1 }
        self.lower = lo
        self.upper = hi
        var counts = [Int](repeating: 0, count: bins)
        let scale = Float(bins) / (hi - lo)
        for v in volume.voxels {
            let f = v.floatValue
            guard f.isFinite else { continue }
            counts[Swift.min(bins - 1, Swift.max(0, Int((f - lo) * scale)))] += 1
        }
        self.counts = counts
    }

    public init(lower: Float, upper: Float, counts: [Int]) {
        self.lower = lower
        self.upper = upper
        self.counts = counts
    }

    /// Grey level of the boundary below bin `i` (i in 0...bins).
    public func edge(_ i: Int) -> Float { lower + (upper - lower) * Float(i) / Float(counts.count) }
    public func center(_ i: Int) -> Float { lower + (upper - lower) * (Float(i) + 0.5) / Float(counts.count) }
}

/// Multi-level Otsu: the `levels` bin boundaries (1...3) maximising the between-class
/// variance, returned as bin indices k (class boundary below bin k), ascending.
public func multiOtsu(_ h: Histogram, levels: Int) -> [Int] {
    let n = h.counts.count
    precondition((1...3).contains(levels) && n > levels)
    // Prefix sums of weight and first moment: class [a, b) has w = W[b] − W[a].
    var w = [Double](repeating: 0, count: n + 1), m = [Double](repeating: 0, count: n + 1)
    for i in 0..<n {
        w[i + 1] = w[i] + Double(h.counts[i])
        m[i + 1] = m[i] + Double(h.counts[i]) * Double(i)
    }
    func term(_ a: Int, _ b: Int) -> Double {
        let ww = w[b] - w[a]
        guard ww > 0 else { return 0 }
        let mm = m[b] - m[a]
        return mm * mm / ww
    }
    var best = -1.0
    var result = [Int](repeating: 0, count: levels)
    switch levels {
    case 1:
        for k1 in 1..<n { let s = term(0, k1) + term(k1, n); if s > best { best = s; result = [k1] } }
    case 2:
        for k1 in 1..<(n - 1) {
            let t1 = term(0, k1)
            for k2 in (k1 + 1)..<n {
                let s = t1 + term(k1, k2) + term(k2, n)
                if s > best { best = s; result = [k1, k2] }
            }
        }
    default:
        for k1 in 1..<(n - 2) {
            let t1 = term(0, k1)
            for k2 in (k1 + 1)..<(n - 1) {
                let t2 = t1 + term(k1, k2)
                for k3 in (k2 + 1)..<n {
                    let s = t2 + term(k2, k3) + term(k3, n)
                    if s > best { best = s; result = [k1, k2, k3] }
                }
            }
        }
    }
    return result
}

/// Thresholds chosen from the histogram, with the grey levels they were derived from.
public struct AutoThresholdReport: Sendable, Equatable {
    public var thresholds: SegmentationThresholds
    /// Modes of the lithium class and of the next brighter class (interphase, or LSPS).
    public var lithiumPeak: Float
    public var brighterPeak: Float
    /// The three multi-level Otsu boundaries (grey levels) the classes came from.
    public var otsu: [Float]
}

/// Chooses segmentation thresholds from a 256-bin histogram:
/// three-level Otsu splits dark+lithium | interphase | LSPS | steel; the mode below the
/// first boundary is the lithium peak, the mode between the first two the next brighter
/// phase. lithium_max is halfway between those peaks, interphase_min halfway between
/// lithium_max and the brighter peak, and void_max is the two-class Otsu boundary of the
/// histogram below lithium_max (voids vs lithium).
public func autoThresholds<Scalar: VoxelScalar>(_ volume: Volume<Scalar>) throws -> AutoThresholdReport {
    try autoThresholds(histogram: Histogram(volume, bins: 256))
}

public func autoThresholds(histogram h: Histogram) throws -> AutoThresholdReport {
    let n = h.counts.count
    let k = multiOtsu(h, levels: 3)
    func mode(_ a: Int, _ b: Int) -> Int {
        var best = a
        for i in a..<Swift.max(a + 1, b) where h.counts[i] > h.counts[best] { best = i }
        return best
    }
    let liBin = mode(0, k[0])
    let upperBin = mode(k[0], k[1])
    guard liBin < upperBin, h.counts[liBin] > 0, h.counts[upperBin] > 0 else {
        throw AutoThresholdError.noLithiumPeak(otsu: k.map { h.edge($0) })
    }
    let liPeak = h.center(liBin), upperPeak = h.center(upperBin)
    let lithiumMax = (liPeak + upperPeak) / 2
    let interphaseMin = (lithiumMax + upperPeak) / 2
    // Two-class Otsu of the bins below lithium_max: voids vs lithium.
    let cut = Swift.max(2, Swift.min(n, Int(((lithiumMax - h.lower) / (h.upper - h.lower) * Float(n)).rounded(.down))))
    let dark = Histogram(lower: h.lower, upper: h.edge(cut), counts: Array(h.counts[0..<cut]))
    let voidMax = Swift.min(dark.edge(multiOtsu(dark, levels: 1)[0]), liPeak)
    let t = SegmentationThresholds(voidMax: voidMax, lithiumMax: lithiumMax, interphaseMin: interphaseMin)
    try t.validate()
    return AutoThresholdReport(thresholds: t, lithiumPeak: liPeak, brighterPeak: upperPeak, otsu: k.map { h.edge($0) })
}

public enum AutoThresholdError: Error, Equatable, CustomStringConvertible {
    case noLithiumPeak(otsu: [Float])
    public var description: String {
        switch self {
        case let .noLithiumPeak(otsu): return "auto thresholds: no lithium peak below the first Otsu boundary (\(otsu))"
        }
    }
}
