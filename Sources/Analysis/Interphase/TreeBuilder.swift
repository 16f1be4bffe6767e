/// Training samples quantised per feature into ≤ 256 bins (column-major, one byte each), so a
/// split search is one histogram pass over the node's samples instead of a sort.
struct BinnedSamples: @unchecked Sendable {
    let count: Int
    let featureCount: Int
    /// bins[f * count + i]
    let bins: [UInt8]
    /// cuts[f]: ascending edges; bin(v) = number of edges ≤ v, so "bin ≤ b" ⇔ v < cuts[f][b].
    let cuts: [[Float]]

    init(samples: [Float], count: Int, featureCount: Int, bins binCount: Int) {
        self.count = count
        self.featureCount = featureCount
        var cuts: [[Float]] = []
        var bins = [UInt8](repeating: 0, count: count * featureCount)
        // Quantiles from at most 65 536 evenly strided samples: plenty for ≤ 256 bins.
        let step = Swift.max(1, count / 65_536)
        for f in 0..<featureCount {
            var column: [Float] = []
            column.reserveCapacity(count / step + 1)
            var i = 0
            while i < count { let v = samples[i * featureCount + f]; if !v.isNaN { column.append(v) }; i += step }
            column.sort()
            var edges: [Float] = []
            if column.count > 1 {
                for b in 1..<binCount {
                    let j = b * column.count / binCount
                    guard j > 0, j < column.count, column[j] > column[j - 1] else { continue }
                    let edge = column[j - 1] + (column[j] - column[j - 1]) / 2
                    if edge > column[j - 1], edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
                }
            }
            cuts.append(edges)
            for i in 0..<count {
                let v = samples[i * featureCount + f]
                // Upper bound: number of edges ≤ v (NaN compares false → sorts past every edge).
                var lo = 0, hi = edges.count
                if v.isNaN { lo = edges.count } else {
                    while lo < hi { let mid = (lo + hi) / 2; if edges[mid] <= v { lo = mid + 1 } else { hi = mid } }
                }
                bins[f * count + i] = UInt8(lo)
            }
        }
        self.cuts = cuts
        self.bins = bins
    }
}

/// Grows one tree on a bootstrap sample. Reuses its buffers from tree to tree.
struct TreeBuilder {
    let binned: BinnedSamples
    let labels: UnsafePointer<UInt8>
    let classCount: Int
    let parameters: ForestParameters
    let tryFeatures: Int
    private var order: [Int32]
    private var histogram: [Int32]
    private var featurePool: [Int]

    init(binned: BinnedSamples, labels: UnsafePointer<UInt8>, classCount: Int, parameters: ForestParameters) {
        self.binned = binned
        self.labels = labels
        self.classCount = classCount
        self.parameters = parameters
        let f = binned.featureCount
        tryFeatures = parameters.featuresPerSplit ?? Swift.max(1, Int(Double(f).squareRoot().rounded(.up)))
        order = Array(repeating: 0, count: binned.count)
        histogram = Array(repeating: 0, count: 256 * classCount)
        featurePool = Array(0..<f)
    }

    /// The tree and, per sample, how many times the bootstrap drew it (0 = out of bag).
    mutating func build(rng: inout Xoshiro256StarStar) -> (DecisionTree, [UInt8]) {
        let n = binned.count, K = classCount
        // The feature shuffle starts afresh per tree, so a tree never depends on which trees
        // this worker built before (determinism whatever the thread count).
        for f in featurePool.indices { featurePool[f] = f }
        var inBag = [UInt8](repeating: 0, count: n)
        for i in 0..<n {
            let j = rng.below(n)
            order[i] = Int32(j)
            if inBag[j] < 255 { inBag[j] += 1 }
        }
        var tree = DecisionTree(feature: [0], threshold: [0], left: [0], right: [0], probabilities: [], classCount: K)
        // (node, start, end, depth)
        var pending: [(Int, Int, Int, Int)] = [(0, 0, n, 0)]
        var totals = [Int32](repeating: 0, count: K)
        var leftCounts = [Int32](repeating: 0, count: K)
        while let (node, start, end, depth) = pending.popLast() {
            for k in 0..<K { totals[k] = 0 }
            for i in start..<end { totals[Int(labels[Int(order[i])])] += 1 }
            let size = end - start
            let pure = totals.filter { $0 > 0 }.count <= 1
            var split: (feature: Int, bin: Int)? = nil
            if !pure, depth < parameters.maxDepth, size >= 2 * parameters.minSamplesLeaf {
                split = bestSplit(start: start, end: end, totals: totals, leftCounts: &leftCounts, rng: &rng)
            }
            guard let split else {
                tree.feature[node] = -1
                tree.left[node] = Int32(tree.probabilities.count)
                tree.right[node] = -1
                tree.threshold[node] = 0
                let scale = 1 / Float(size)
                for k in 0..<K { tree.probabilities.append(Float(totals[k]) * scale) }
                continue
            }
            // Partition [start, end) so that samples with bin ≤ split.bin come first.
            let column = split.feature * n
            var lo = start, hi = end - 1
            binned.bins.withUnsafeBufferPointer { bins in
                while lo <= hi {
                    if Int(bins[column + Int(order[lo])]) <= split.bin { lo += 1 } else { order.swapAt(lo, hi); hi -= 1 }
                }
            }
            let l = tree.feature.count, r = l + 1
            tree.feature[node] = Int32(split.feature)
            tree.threshold[node] = binned.cuts[split.feature][split.bin]
            tree.left[node] = Int32(l)
            tree.right[node] = Int32(r)
            tree.feature += [0, 0]; tree.threshold += [0, 0]; tree.left += [0, 0]; tree.right += [0, 0]
            pending.append((r, lo, end, depth + 1))
            pending.append((l, start, lo, depth + 1))
        }
        return (tree, inBag)
    }

    /// Best Gini split over a random subset of features, or nil when none separates anything.
    private mutating func bestSplit(start: Int, end: Int, totals: [Int32], leftCounts: inout [Int32],
                                    rng: inout Xoshiro256StarStar) -> (feature: Int, bin: Int)? {
        let n = binned.count, K = classCount, size = end - start
        let minLeaf = parameters.minSamplesLeaf
        // Σ n_k² / N is the quantity to maximise (weighted Gini = N − Σ n_k²/N per side).
        var parentScore = 0.0
        for k in 0..<K { parentScore += Double(totals[k]) * Double(totals[k]) }
        parentScore /= Double(size)
        var best: (feature: Int, bin: Int)? = nil
        var bestScore = parentScore + 1e-9
        let F = featurePool.count
        for j in 0..<tryFeatures {
            let pick = j + rng.below(F - j)
            featurePool.swapAt(j, pick)
            let f = featurePool[j]
            let edgeCount = binned.cuts[f].count
            guard edgeCount > 0 else { continue }
            let binCount = edgeCount + 1
            histogram.withUnsafeMutableBufferPointer { h in
                for i in 0..<(binCount * K) { h[i] = 0 }
                binned.bins.withUnsafeBufferPointer { bins in
                    order.withUnsafeBufferPointer { o in
                        let column = f * n
                        for i in start..<end {
                            let s = Int(o[i])
                            h[Int(bins[column + s]) * K + Int(labels[s])] += 1
                        }
                    }
                }
                for k in 0..<K { leftCounts[k] = 0 }
                var leftN = 0
                for b in 0..<(binCount - 1) {
                    var added = 0
                    for k in 0..<K { let c = h[b * K + k]; leftCounts[k] += c; added += Int(c) }
                    guard added > 0 else { continue }
                    leftN += added
                    let rightN = size - leftN
                    if leftN < minLeaf { continue }
                    if rightN < minLeaf { break }
                    var sl = 0.0, sr = 0.0
                    for k in 0..<K {
                        let a = Double(leftCounts[k]), c = Double(totals[k] - leftCounts[k])
                        sl += a * a; sr += c * c
                    }
                    let score = sl / Double(leftN) + sr / Double(rightN)
                    if score > bestScore { bestScore = score; best = (f, b) }
                }
            }
        }
        return best
    }
}
