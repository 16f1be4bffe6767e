import Dispatch
import Foundation

/// How the forest is grown. Defaults: 32 trees of depth ≤ 12, √F features tried per split.
public struct ForestParameters: Sendable, Equatable, Codable {
    public var trees: Int
    public var maxDepth: Int
    /// Fewest (bootstrap) samples a leaf may hold.
    public var minSamplesLeaf: Int
    /// Features tried at each split; nil = ⌈√F⌉.
    public var featuresPerSplit: Int?
    /// Histogram bins per feature for split search (≤ 256); split thresholds are bin edges
    /// (midpoints between neighbouring training values at quantiles).
    public var bins: Int
    public var seed: UInt64

    public init(trees: Int = 32, maxDepth: Int = 12, minSamplesLeaf: Int = 1,
                featuresPerSplit: Int? = nil, bins: Int = 256, seed: UInt64 = 1) {
        self.trees = trees
        self.maxDepth = maxDepth
        self.minSamplesLeaf = minSamplesLeaf
        self.featuresPerSplit = featuresPerSplit
        self.bins = bins
        self.seed = seed
    }

    /// Throws `invalidSettings` naming the first parameter out of range.
    public func validate(featureCount: Int) throws {
        guard (1...4096).contains(trees) else { throw InterphaseError.invalidSettings("trees must be 1...4096, got \(trees)") }
        guard (1...30).contains(maxDepth) else { throw InterphaseError.invalidSettings("depth must be 1...30, got \(maxDepth)") }
        guard minSamplesLeaf >= 1 else { throw InterphaseError.invalidSettings("minimum leaf size must be ≥ 1") }
        guard (2...256).contains(bins) else { throw InterphaseError.invalidSettings("bins must be 2...256, got \(bins)") }
        if let m = featuresPerSplit, !(1...featureCount).contains(m) {
            throw InterphaseError.invalidSettings("features per split must be 1...\(featureCount), got \(m)")
        }
    }
}

/// A random forest of CART trees (Gini impurity, bootstrap samples, a random feature subset
/// per split). Training is deterministic given `parameters.seed`, whatever the thread count:
/// tree t draws from its own generator seeded with (seed, t).
public struct RandomForest: Sendable, Equatable, Codable {
    public var classCount: Int
    public var featureCount: Int
    public var parameters: ForestParameters
    public var trees: [DecisionTree]
    /// Fraction of training samples misclassified by the trees that did not see them
    /// (nil when no sample was ever out of bag).
    public var outOfBagError: Double?

    /// Trains on `samples` (row-major, `featureCount` values per sample) with `labels` in
    /// 0..<classCount.
    public static func train(samples: [Float], labels: [UInt8], featureCount: Int, classCount: Int,
                             parameters: ForestParameters = ForestParameters(),
                             threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> RandomForest {
        try parameters.validate(featureCount: featureCount)
        let n = labels.count
        guard n > 0, featureCount > 0, samples.count == n * featureCount else {
            throw InterphaseError.invalidSettings("training set: \(samples.count) values for \(n) samples × \(featureCount) features")
        }
        guard (1...255).contains(classCount) else { throw InterphaseError.invalidSettings("class count must be 1...255") }
        if let bad = labels.first(where: { Int($0) >= classCount }) {
            throw InterphaseError.invalidSettings("label \(bad) outside 0..<\(classCount)")
        }
        let binned = BinnedSamples(samples: samples, count: n, featureCount: featureCount, bins: parameters.bins)
        let box = TreeCollector(count: parameters.trees, samples: n)
        let workers = Swift.max(1, Swift.min(threads, parameters.trees))
        labels.withUnsafeBufferPointer { labelBuffer in
            let labelPointer = SharedPointer(labelBuffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var builder = TreeBuilder(binned: binned, labels: labelPointer.pointer, classCount: classCount,
                                          parameters: parameters)
                var t = worker
                while t < parameters.trees {
                    var rng = Xoshiro256StarStar(seed: parameters.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(t + 1))
                    let (tree, inBag) = builder.build(rng: &rng)
                    box.store(tree: tree, inBag: inBag, at: t)
                    t += workers
                }
            }
        }
        var forest = RandomForest(classCount: classCount, featureCount: featureCount, parameters: parameters,
                                  trees: box.trees(), outOfBagError: nil)
        forest.outOfBagError = forest.outOfBag(samples: samples, labels: labels, inBag: box.inBagMasks())
        return forest
    }

    /// Mean class probabilities over the trees for one sample (`featureCount` values).
    public func probabilities(_ sample: [Float]) -> [Float] {
        precondition(sample.count == featureCount, "sample has \(sample.count) features, forest expects \(featureCount)")
        var sums = [Float](repeating: 0, count: classCount)
        sample.withUnsafeBufferPointer { s in
            for tree in trees {
                let o = tree.leafOffset(s.baseAddress!, stride: 1)
                for k in 0..<classCount { sums[k] += tree.probabilities[o + k] }
            }
        }
        let scale = 1 / Float(Swift.max(1, trees.count))
        return sums.map { $0 * scale }
    }

    /// Most probable class (ties to the lower index).
    public func predict(_ sample: [Float]) -> Int {
        let p = probabilities(sample)
        var best = 0
        for k in 1..<p.count where p[k] > p[best] { best = k }
        return best
    }

    private func outOfBag(samples: [Float], labels: [UInt8], inBag: [[UInt8]]) -> Double? {
        let n = labels.count
        var wrong = 0, counted = 0
        var sums = [Float](repeating: 0, count: classCount)
        samples.withUnsafeBufferPointer { s in
            for i in 0..<n {
                for k in 0..<classCount { sums[k] = 0 }
                var any = false
                for (t, tree) in trees.enumerated() where inBag[t][i] == 0 {
                    any = true
                    let o = tree.leafOffset(s.baseAddress! + i * featureCount, stride: 1)
                    for k in 0..<classCount { sums[k] += tree.probabilities[o + k] }
                }
                guard any else { continue }
                counted += 1
                var best = 0
                for k in 1..<classCount where sums[k] > sums[best] { best = k }
                if best != Int(labels[i]) { wrong += 1 }
            }
        }
        return counted == 0 ? nil : Double(wrong) / Double(counted)
    }
}

/// Collects trees from the training workers.
private final class TreeCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var built: [DecisionTree?]
    private var masks: [[UInt8]]
    init(count: Int, samples: Int) {
        built = Array(repeating: nil, count: count)
        masks = Array(repeating: [], count: count)
    }
    func store(tree: DecisionTree, inBag: [UInt8], at index: Int) {
        lock.lock(); defer { lock.unlock() }
        built[index] = tree
        masks[index] = inBag
    }
    func trees() -> [DecisionTree] { lock.lock(); defer { lock.unlock() }; return built.map { $0! } }
    func inBagMasks() -> [[UInt8]] { lock.lock(); defer { lock.unlock() }; return masks }
}
