import Foundation

/// One scan with the log summarised over its window and the derived per-scan numbers.
public struct ScanPoint: Codable, Sendable, Equatable {
    public var scanID: Int
    public var label: String
    public var paired: PairedScan
    /// Cumulative |charge| passed at the scan's mid-time.
    public var chargePassedCoulombs: Double?
    /// Interface being stripped at the scan's mid-time (from the current's sign), if any.
    public var strippingSide: InterfaceSide?
    /// |I| ÷ (contact fraction of the stripping interface × electrode area), mA/cm².
    public var effectiveCurrentDensityMilliampsPerSquareCentimetre: Double?
    public var topContactAreaSquareMicrometres: Double?
    public var bottomContactAreaSquareMicrometres: Double?
    public var topLithiumVolumeCubicMicrometres: Double?
    public var bottomLithiumVolumeCubicMicrometres: Double?
    public var stackThicknessMicrometres: Double?
}

/// One row of the per-half-cycle table.
public struct HalfCycleRow: Codable, Sendable, Equatable {
    /// 1-based.
    public var index: Int
    public var startUnixSeconds: Double
    public var endUnixSeconds: Double
    /// Duration = time to cut-off when `reachedCutoff` is true.
    public var durationSeconds: Double
    public var strippingSide: InterfaceSide
    public var chargeCoulombs: Double?
    public var chargeMilliampHoursPerSquareCentimetre: Double?
    /// Mean and final |cell voltage| (a symmetric cell: the voltage is all overpotential).
    public var meanOverpotentialVolts: Double?
    public var endOverpotentialVolts: Double?
    public var reachedCutoff: Bool?
    public var pressureChangeMegapascals: Double?
    /// Scans used for the volume/contact/thickness changes (nearest before/after the half cycle).
    public var startScanID: Int?
    public var endScanID: Int?
    public var topContactChangePercent: Double?
    public var bottomContactChangePercent: Double?
    /// Contact change at the interface being stripped.
    public var strippingContactChangePercent: Double?
    public var stackThicknessChangeMicrometres: Double?
    public var lithiumVolumeLostCubicMicrometres: Double?
    /// Charge passed between the two scans (what the volume change is compared with).
    public var chargeBetweenScansCoulombs: Double?
    public var lithiumCurrentFraction: Double?
    public var interphasePartialMolarVolumeCubicCentimetresPerMole: Double?
    /// The same two quantities from a least-squares line through *every* scan between the
    /// bracketing scans (Li volume or stack thickness vs charge passed), with standard errors
    /// from the fit's scatter. Needs ≥ 3 scans for an uncertainty.
    /// First time in the half cycle |V| reached the voltage bound (the voltage "running away").
    public var runawayUnixSeconds: Double?
    /// Contact change at the stripping interface from the start scan to the last scan before
    /// the runaway ("contact fell 47 % before the voltage ran away").
    public var strippingContactChangeBeforeRunawayPercent: Double?
    public var lithiumCurrentFractionFit: Estimate?
    public var interphasePartialMolarVolumeFit: Estimate?
}

/// A value with its standard error and the number of points behind it.
public struct Estimate: Codable, Sendable, Equatable {
    public var value: Double
    public var standardError: Double?
    public var pointCount: Int
}

/// Δpressure vs Δstack thickness across scans.
public struct StiffnessResult: Codable, Sendable, Equatable {
    /// x: stack thickness − first scan's (µm); y: mean pressure in window − first scan's (MPa).
    public var deltaThicknessMicrometres: [Double]
    public var deltaPressureMegapascals: [Double]
    /// slope in MPa/µm = effective stack stiffness; standard errors and r included.
    public var fit: LinearFit?
    /// Lag of pressure after thickness that maximises |r| (searched ±1 h in 60 s steps).
    public var lag: LagResult?
}

/// |V| against effective current density, fitted below the voltage bound.
public struct EffectiveCurrentDensityResult: Codable, Sendable, Equatable {
    public var voltageBoundVolts: Double
    public var effectiveCurrentDensityMilliampsPerSquareCentimetre: [Double]
    public var absoluteVoltageVolts: [Double]
    /// Slope in V per mA/cm² (an area-specific resistance, kΩ·cm²) on points below the bound.
    public var fit: LinearFit?
    /// Effective ÷ nominal current density at the first scan (the paper: 4–5×).
    public var firstScanConcentrationFactor: Double?
}

/// Everything `correlate` computes (`cellpress correlate --format json`). Whatever could not
/// be computed is nil/empty and explained in `missing`.
public struct CorrelationSummary: Codable, Sendable {
    public var electrodeAreaSquareMillimetres: Double
    public var clockOffsetSeconds: Double
    public var scans: [ScanPoint]
    public var halfCycles: [HalfCycleRow]
    public var stiffness: StiffnessResult?
    public var effectiveCurrentDensity: EffectiveCurrentDensityResult?
    /// First → last scan contact change per interface, percent.
    public var totalTopContactChangePercent: Double?
    public var totalBottomContactChangePercent: Double?
    public var totalStackThicknessChangeMicrometres: Double?
    public var totalPressureChangeMegapascals: Double?
    public var totalChargeCoulombs: Double?
    /// The cell model fitted to the voltage with the measured contact areas.
    public var modelFit: ModelFitResult?
    /// One-sentence findings, e.g. "Stack thickness fell 6.0 µm while stack pressure fell 1.1 MPa."
    public var headlines: [String] = []
    /// Human-readable statements of what is missing and what therefore was not computed.
    public var missing: [String]
    /// Caveats and assumptions.
    public var notes: [String]
}
