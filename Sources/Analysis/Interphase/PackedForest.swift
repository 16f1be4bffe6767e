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

    /// Writes the most probable class + 1 (labels 1...K) for `count` samples whose feature f
    /// of sample i is `features[f * stride + i]`.
    func classify(features: UnsafePointer<Float>, stride: Int, count: Int, into output: UnsafeMutablePointer<UInt8>) {
        let K = classCount
        nodes.withUnsafeBufferPointer { nodeBuffer in
        roots.withUnsafeBufferPointer { rootBuffer in
        probabilities.withUnsafeBufferPointer { probabilityBuffer in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: K) { sums in
                let nodes = nodeBuffer.baseAddress!, p = probabilityBuffer.baseAddress!
                for i in 0..<count {
                    for k in 0..<K { sums[k] = 0 }
                    let sample = features + i
                    for root in rootBuffer {
                        var n = Int(root)
                        while true {
                            let node = nodes[n]
                            if node.feature < 0 { n = Int(node.left); break }
                            n = sample[Int(node.feature) * stride] < node.threshold ? Int(node.left) : Int(node.right)
                        }
                        for k in 0..<K { sums[k] += p[n + k] }
                    }
                    var best = 0
                    for k in 1..<K where sums[k] > sums[best] { best = k }
                    output[i] = UInt8(best + 1)
                }
            }
        }}}
    }
}
