import Foundation
import Sensors

/// A simulated pressure cell on its load cell, for `assemble --simulate`.
///
/// Tightening: the force follows the screws' torques through the rig's *effective* nut
/// factor, F = Σ T/(K_eff·d), with K_eff larger than the nominal 0.2 because friction in the
/// cell body and seals takes much of the torque — so fitting K from assemblies means something.
/// Relaxation: once started, lithium creep lets the force decay exponentially towards a
/// plateau, F(t) = F₀·(1 − loss·(1 − e^(−t/τ))), in *simulated* time t = real elapsed × timeScale
/// (so a 12 h relaxation can be watched in seconds).
public final class SimulatedClampRig: @unchecked Sendable {
    public let effectiveNutFactor: Double
    public let screwDiameterMetres: Double
    public let relaxationTimeConstantSeconds: Double
    /// Fraction of the force lost at the plateau (0.2 = 20 %).
    public let relaxationFractionLost: Double
    public let timeScale: Double
    private let monotonicSeconds: @Sendable () -> Double

    private let lock = NSLock()
    private var torqueSumNewtonMetres = 0.0
    /// (force when relaxation started, real monotonic start).
    private var relaxation: (startForceNewtons: Double, startMonotonicSeconds: Double)?

    public init(effectiveNutFactor: Double, screwDiameterMetres: Double, relaxationTimeConstantSeconds: Double,
                relaxationFractionLost: Double, timeScale: Double = 1,
                monotonicSeconds: @escaping @Sendable () -> Double = SampleTimeSource.system.monotonicSeconds) {
        self.effectiveNutFactor = effectiveNutFactor
        self.screwDiameterMetres = screwDiameterMetres
        self.relaxationTimeConstantSeconds = relaxationTimeConstantSeconds
        self.relaxationFractionLost = relaxationFractionLost
        self.timeScale = timeScale
        self.monotonicSeconds = monotonicSeconds
    }

    /// The screws now carry these torques (tightening ends any relaxation in progress).
    public func set(torquesNewtonMetres: [Double]) {
        lock.withLock {
            torqueSumNewtonMetres = torquesNewtonMetres.reduce(0, +)
            relaxation = nil
        }
    }

    /// Clamp force from the torques alone, before any relaxation.
    public var clampForceNewtons: Double {
        lock.withLock { torqueSumNewtonMetres / (effectiveNutFactor * screwDiameterMetres) }
    }

    /// Starts the creep clock now.
    public func startRelaxation() {
        let now = monotonicSeconds()
        lock.withLock {
            relaxation = (torqueSumNewtonMetres / (effectiveNutFactor * screwDiameterMetres), now)
        }
    }

    /// Force on the load cell now.
    public func forceNewtons() -> Double {
        let now = monotonicSeconds()
        return lock.withLock {
            let clamped = torqueSumNewtonMetres / (effectiveNutFactor * screwDiameterMetres)
            guard let r = relaxation else { return clamped }
            let t = max(0, now - r.startMonotonicSeconds) * timeScale
            return r.startForceNewtons * (1 - relaxationFractionLost * (1 - exp(-t / relaxationTimeConstantSeconds)))
        }
    }

    /// A force source for the simulated sensor part: it ignores the bus's own time and asks the rig.
    public func makeForceSource() -> ForceSource {
        ForceSource { [self] _ in self.forceNewtons() }
    }
}
