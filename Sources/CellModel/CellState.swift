import Foundation

/// The evolving state of the cell; step it with `step(currentAmps:durationSeconds:)`.
public struct CellState: Sendable, Equatable {
    public let parameters: CellParameters
    /// Total time stepped, s.
    public private(set) var elapsedSeconds: Double = 0
    /// Net charge passed (top → bottom positive), C.
    public private(set) var chargeCoulombs: Double = 0
    /// Charge stripped so far through each interface, mAh/cm² of nominal area.
    public private(set) var topStrippedMilliampHoursPerSquareCentimetre: Double = 0
    public private(set) var bottomStrippedMilliampHoursPerSquareCentimetre: Double = 0
    /// Li metal thickness per electrode, µm.
    public private(set) var topLithiumThicknessMicrometres: Double
    public private(set) var bottomLithiumThicknessMicrometres: Double
    /// Fraction of the nominal area in contact at each Li/LSPS interface.
    public private(set) var topContactFraction: Double
    public private(set) var bottomContactFraction: Double
    /// Interphase thickness at each interface, µm.
    public private(set) var topInterphaseThicknessMicrometres: Double
    public private(set) var bottomInterphaseThicknessMicrometres: Double
    /// Change of the collector-to-collector stack thickness since assembly, µm (negative = thinner).
    public private(set) var stackThicknessChangeMicrometres: Double = 0

    public init(parameters: CellParameters = CellParameters()) {
        self.parameters = parameters
        topLithiumThicknessMicrometres = parameters.initialLithiumThicknessMicrometres
        bottomLithiumThicknessMicrometres = parameters.initialLithiumThicknessMicrometres
        topContactFraction = parameters.initialContactFraction
        bottomContactFraction = parameters.initialContactFraction
        topInterphaseThicknessMicrometres = parameters.initialInterphaseThicknessMicrometres
        bottomInterphaseThicknessMicrometres = parameters.initialInterphaseThicknessMicrometres
    }

    /// Collector-to-collector stack thickness at assembly, µm: two Li foils, the pellet and
    /// the two initial interphase layers.
    public var initialStackThicknessMicrometres: Double {
        2 * parameters.initialLithiumThicknessMicrometres + parameters.electrolyteThicknessCentimetres * 1e4
            + 2 * parameters.initialInterphaseThicknessMicrometres
    }

    /// Collector-to-collector stack thickness now, µm (from the molar volumes).
    public var stackThicknessMicrometres: Double { initialStackThicknessMicrometres + stackThicknessChangeMicrometres }

    /// Stack pressure, MPa: a stiff stack under fixed screws loses pressure as it gets thinner.
    public var stackPressureMegapascals: Double {
        max(0, parameters.initialStackPressureMegapascals
            + parameters.stackStiffnessMegapascalsPerMicrometre * stackThicknessChangeMicrometres)
    }

    /// Force on the stack, N (MPa × mm²), as a load cell under the cell would read it.
    public var stackForceNewtons: Double { stackPressureMegapascals * parameters.areaSquareMillimetres }

    /// Cell voltage (V) if `currentAmps` flows now. Zero current gives 0 V (symmetric cell).
    public func voltageVolts(currentAmps: Double) throws -> Double {
        try CellVoltage.breakdown(currentAmps: currentAmps, state: self, parameters: parameters).totalVolts
    }

    /// Advance by `durationSeconds` at a constant `currentAmps`. Sub-steps keep the contact
    /// law accurate when a caller passes long intervals.
    public mutating func step(currentAmps: Double, durationSeconds: Double) {
        guard durationSeconds > 0, durationSeconds.isFinite, currentAmps.isFinite else { return }
        let p = parameters
        // One sub-step per ≤ 0.01 mAh/cm² so the 1/θ contact law is integrated finely.
        let totalDensity = abs(currentAmps) * durationSeconds / 3.6 / p.areaSquareCentimetres // mAh/cm²
        let subSteps = max(1, min(100_000, Int((totalDensity / 0.01).rounded(.up))))
        let dt = durationSeconds / Double(subSteps)
        for _ in 0..<subSteps { subStep(currentAmps: currentAmps, durationSeconds: dt) }
    }

    private mutating func subStep(currentAmps: Double, durationSeconds dt: Double) {
        let p = parameters
        elapsedSeconds += dt
        let dq = currentAmps * dt
        chargeCoulombs += dq
        guard dq != 0 else { return }
        let dqAreal = abs(dq) / 3.6 / p.areaSquareCentimetres   // mAh/cm² (1 mAh = 3.6 C)
        let lithiumMoles = abs(dq) / PhysicalConstants.faradayCoulombsPerMole
        let metalMicrometres = lithiumMoles * p.lithiumMolarVolumeCubicCentimetresPerMole
            / p.areaSquareCentimetres * 1e4
        let f = p.interphaseFractionOfDepositedLithium
        let depositedMicrometres = lithiumMoles / p.areaSquareCentimetres * 1e4
            * (f * p.interphaseLithiumMolarVolumeCubicCentimetresPerMole
               + (1 - f) * p.lithiumMolarVolumeCubicCentimetresPerMole)
        let growth = f * p.interphaseGrowthMicrometresPerMilliampHourPerSquareCentimetre * dqAreal
        stackThicknessChangeMicrometres += depositedMicrometres - metalMicrometres
        let plateLoss = p.platingContactRelativeLossPerMilliampHourPerSquareCentimetre * dqAreal
        if dq > 0 {
            topStrippedMilliampHoursPerSquareCentimetre += dqAreal
            topLithiumThicknessMicrometres = max(0, topLithiumThicknessMicrometres - metalMicrometres)
            topContactFraction = Self.strip(topContactFraction, dqAreal, p)
            bottomContactFraction = max(p.minimumContactFraction, bottomContactFraction * (1 - plateLoss))
            bottomLithiumThicknessMicrometres += (1 - f) * metalMicrometres
            bottomInterphaseThicknessMicrometres += growth
        } else {
            bottomStrippedMilliampHoursPerSquareCentimetre += dqAreal
            bottomLithiumThicknessMicrometres = max(0, bottomLithiumThicknessMicrometres - metalMicrometres)
            bottomContactFraction = Self.strip(bottomContactFraction, dqAreal, p)
            topContactFraction = max(p.minimumContactFraction, topContactFraction * (1 - plateLoss))
            topLithiumThicknessMicrometres += (1 - f) * metalMicrometres
            topInterphaseThicknessMicrometres += growth
        }
    }

    /// dθ/dq = −k θ₀/θ integrated exactly over dq: θ² ← θ² − 2 k θ₀ dq.
    private static func strip(_ theta: Double, _ dqAreal: Double, _ p: CellParameters) -> Double {
        let squared = theta * theta - 2 * p.contactLossPerMilliampHourPerSquareCentimetre
            * p.initialContactFraction * dqAreal
        return max(p.minimumContactFraction, squared > 0 ? squared.squareRoot() : 0)
    }
}
