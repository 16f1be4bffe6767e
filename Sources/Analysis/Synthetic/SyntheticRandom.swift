import Foundation

/// Deterministic randomness for the generator: SplitMix64 steps and a hash per voxel, so
/// slices can be filled in parallel and the result depends only on the seed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }
}

@inline(__always) func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// 65 536 standard-normal samples (Box–Muller, clipped at ±4), indexed by a voxel hash.
let gaussianTable: [Float] = {
    var rng = SplitMix64(seed: 0x5EED_6A55)
    var table = [Float](repeating: 0, count: 65_536)
    var i = 0
    while i < table.count {
        let u1 = Swift.max(rng.unit(), 1e-300), u2 = rng.unit()
        let r = (-2 * _log(u1)).squareRoot()
        table[i] = Float(Swift.max(-4, Swift.min(4, r * _cos(2 * Double.pi * u2))))
        if i + 1 < table.count {
            table[i + 1] = Float(Swift.max(-4, Swift.min(4, r * _sin(2 * Double.pi * u2))))
        }
        i += 2
    }
    return table
}()

@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Foundation.sin(x) }

/// A smooth random height field over (x, y): a sum of sinusoids, scaled to peak ±1.
struct SmoothField {
    struct Wave { var kx: Double; var ky: Double; var phase: Double; var weight: Double }
    let waves: [Wave]

    init(rng: inout SplitMix64, width: Int, height: Int, count: Int = 8) {
        var waves: [Wave] = []
        var total = 0.0
        for k in 0..<count {
            // Wavelengths between ~1/6 and ~1 of the field size.
            let scale = 1.0 + Double(k % 6)
            let angle = rng.unit() * 2 * Double.pi
            let weight = 1.0 / scale
            waves.append(Wave(kx: 2 * Double.pi * scale * Foundation.cos(angle) / Double(Swift.max(width, 1)),
                              ky: 2 * Double.pi * scale * Foundation.sin(angle) / Double(Swift.max(height, 1)),
                              phase: rng.unit() * 2 * Double.pi, weight: weight))
            total += weight
        }
        self.waves = waves.map { Wave(kx: $0.kx, ky: $0.ky, phase: $0.phase, weight: $0.weight / total) }
    }

    func value(x: Int, y: Int) -> Double {
        var s = 0.0
        for w in waves { s += w.weight * Foundation.sin(w.kx * Double(x) + w.ky * Double(y) + w.phase) }
        return s
    }
}
