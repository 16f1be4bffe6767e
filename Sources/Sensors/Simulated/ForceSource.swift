import Foundation

/// Where a simulated sensor's force comes from: a settable value, or a function of time.
public final class ForceSource: Sendable {
    private let state: Locked<(value: Double, function: (@Sendable (Double) -> Double)?)>

    /// A constant force (change it with `set`).
    public init(newtons: Double = 0) { state = Locked((newtons, nil)) }

    /// Force as a function of simulation time in seconds.
    public init(_ function: @escaping @Sendable (_ timeSeconds: Double) -> Double) {
        state = Locked((0, function))
    }

    /// Sets a constant force (replacing any function).
    public func set(newtons: Double) { state.withLock { $0 = (newtons, nil) } }

    /// The force at a simulation time.
    public func forceNewtons(atSeconds t: Double) -> Double {
        let s = state.current
        return s.function?(t) ?? s.value
    }
}

/// A strain-gauge load cell: ratiometric output `sensitivity` mV/V at `capacity` N.
public struct BridgeModel: Sendable, Equatable, Codable {
    public var capacityNewtons: Double
    public var sensitivityMillivoltsPerVolt: Double
    /// Output at zero force, in mV/V (real bridges are not perfectly balanced).
    public var zeroBalanceMillivoltsPerVolt: Double

    public init(capacityNewtons: Double = 50, sensitivityMillivoltsPerVolt: Double = 2.0,
                zeroBalanceMillivoltsPerVolt: Double = 0.05) {
        self.capacityNewtons = capacityNewtons
        self.sensitivityMillivoltsPerVolt = sensitivityMillivoltsPerVolt
        self.zeroBalanceMillivoltsPerVolt = zeroBalanceMillivoltsPerVolt
    }

    /// Differential output volts at a force and excitation.
    public func outputVolts(forceNewtons: Double, excitationVolts: Double) -> Double {
        NAU7802Conversion.bridgeVolts(forceNewtons: forceNewtons, capacityNewtons: capacityNewtons,
                                      sensitivityMillivoltsPerVolt: sensitivityMillivoltsPerVolt,
                                      excitationVolts: excitationVolts)
            + zeroBalanceMillivoltsPerVolt * 1e-3 * excitationVolts
    }
}

/// Deterministic Gaussian noise (xorshift64* + Box–Muller), so simulated runs repeat exactly.
struct NoiseGenerator: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func nextUniform() -> Double {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        let x = state &* 2_685_821_657_736_338_717
        return (Double(x >> 11) + 0.5) / 9_007_199_254_740_992  // (0, 1)
    }

    mutating func nextGaussian(sigma: Double) -> Double {
        guard sigma > 0 else { return 0 }
        let u1 = nextUniform(), u2 = nextUniform()
        return sigma * (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}
