/// All trees of a forest in one contiguous node array, for classifying many voxels: one
/// 16-byte node per step, leaves pointing into one probability array.
struct PackedForest: Sendable {
    struct Node: Sendable {
        var feature: Int32      // < 0: leaf
        var threshold: Float
        var left: Int32         // node index, or probability offset for a leaf
        var right: Int32
    }
    let nodes: [Node]
    let roots: [Int32]
    let probabilities: [Float]
    let classCount: Int

    init(_ forest: RandomForest) {
        var nodes: [Node] = [], roots: [Int32] = [], probabilities: [Float] = []
        for tree in forest.trees {
            let base = Int32(nodes.count), probabilityBase = Int32(probabilities.count)
            roots.append(base)
            for n in 0..<tree.nodeCount {
                if tree.feature[n] < 0 {
                    nodes.append(Node(feature: -1, threshold: 0, left: probabilityBase + tree.left[n], right: -1))
                } else {
                    nodes.append(Node(feature: tree.feature[n], threshold: tree.threshold[n],
                                      left: base + tree.left[n], right: base + tree.right[n]))
                }
            }
            probabilities += tree.probabilities
        }
        self.nodes = nodes
        self.roots = roots
        self.probabilities = probabilities
        self.classCount = forest.classCount
    }

    /// Voxels classified together: each tree walks the whole block before the next tree, so
    /// its nodes stay in cache and neighbouring (similar) voxels repeat the same branches,
    /// which the branch predictor learns.
    static let block = 256

    /// Writes the most probable class + 1 (labels 1...K) for `count` samples whose feature f
    /// of sample i is `features[f * stride + i]`.
    func classify(features: UnsafePointer<Float>, stride: Int, count: Int, into output: UnsafeMutablePointer<UInt8>) {
        let K = classCount, B = Self.block
        nodes.withUnsafeBufferPointer { nodeBuffer in
        roots.withUnsafeBufferPointer { rootBuffer in
        probabilities.withUnsafeBufferPointer { probabilityBuffer in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: B * K) { sums in
                let nodes = nodeBuffer.baseAddress!, p = probabilityBuffer.baseAddress!
                var start = 0
                while start < count {
                    let n = Swift.min(B, count - start)
                    let samples = features + start
                    for j in 0..<(n * K) { sums[j] = 0 }
                    for root in rootBuffer {
                        for j in 0..<n {
                            var node = Int(root)
                            while true {
                                let v = nodes[node]
                                if v.feature < 0 { node = Int(v.left); break }
                                node = samples[Int(v.feature) * stride + j] < v.threshold ? Int(v.left) : Int(v.right)
                            }
                            let leaf = p + node, sum = sums.baseAddress! + j * K
                            for k in 0..<K { sum[k] += leaf[k] }
                        }
                    }
                    for j in 0..<n {
                        let sum = sums.baseAddress! + j * K
                        var best = 0
                        for k in 1..<K where sum[k] > sum[best] { best = k }
                        output[start + j] = UInt8(best + 1)
                    }
                    start += n
                }
            }
        }}}
    }
}
