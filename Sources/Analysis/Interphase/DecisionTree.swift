/// One CART tree stored as parallel arrays (compact, Codable, cache-friendly).
/// Node n is a leaf when `feature[n] < 0`; then `left[n]` is the offset of its class
/// probabilities in `probabilities`. Otherwise a sample goes left when
/// `value[feature] < threshold[n]`, else right (NaN goes right).
public struct DecisionTree: Sendable, Equatable, Codable {
    public var feature: [Int32]
    public var threshold: [Float]
    public var left: [Int32]
    public var right: [Int32]
    public var probabilities: [Float]
    public var classCount: Int

    /// Index into `probabilities` of the leaf reached by the sample whose feature f is
    /// `values[f * stride]`.
    @inline(__always)
    func leafOffset(_ values: UnsafePointer<Float>, stride: Int) -> Int {
        feature.withUnsafeBufferPointer { f in
            threshold.withUnsafeBufferPointer { t in
                left.withUnsafeBufferPointer { l in
                    right.withUnsafeBufferPointer { r in
                        var n = 0
                        while true {
                            let k = Int(f[n])
                            if k < 0 { return Int(l[n]) }
                            n = values[k * stride] < t[n] ? Int(l[n]) : Int(r[n])
                        }
                    }
                }
            }
        }
    }

    /// Number of nodes (internal and leaves).
    public var nodeCount: Int { feature.count }

    /// Depth of the deepest leaf (a lone root is depth 0).
    public var depth: Int {
        guard !feature.isEmpty else { return 0 }
        var deepest = 0
        var stack = [(0, 0)]
        while let (n, d) = stack.popLast() {
            if feature[n] < 0 { deepest = Swift.max(deepest, d); continue }
            stack.append((Int(left[n]), d + 1)); stack.append((Int(right[n]), d + 1))
        }
        return deepest
    }
}
