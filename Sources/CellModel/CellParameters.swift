import Foundation

/// Physical constants used by the cell model (SI unless the name says otherwise).
public enum PhysicalConstants {
    /// Faraday constant, C/mol.
    public static let faradayCoulombsPerMole = 96_485.332_12
    /// Molar gas constant, J/(mol·K).
    public static let gasConstantJoulesPerMoleKelvin = 8.314_462_618
}

/// Parameters of the Li | Li10SnP2S12 | Li symmetric cell, defaulting to the paper's cell
/// (2 mm diameter, ~1 mm LSPS at 2.1 mS/cm, ~22 % initial contact, > 10 MPa stack pressure).
///
/// Sign convention: a positive current strips Li from the *top* electrode and deposits it at
/// the *bottom* one; the cell voltage (top minus bottom) is then positive.
public struct CellParameters: Sendable, Equatable, Codable {
    /// Inner diameter of the cell, mm (area = π d²/4).
    public var diameterMillimetres: Double = 2.0
    /// Solid-electrolyte pellet thickness, cm.
    public var electrolyteThicknessCentimetres: Double = 0.1
    /// Ionic conductivity of LSPS at 20 °C, S/cm.
    public var electrolyteConductivitySiemensPerCentimetre: Double = 2.1e-3
    /// Exchange current density at a Li/LSPS contact, A/cm² (of contact area).
    public var exchangeCurrentDensityAmpsPerSquareCentimetre: Double = 1.0e-3
    /// Anodic and cathodic transfer coefficients of Butler–Volmer.
    public var anodicTransferCoefficient: Double = 0.5
    public var cathodicTransferCoefficient: Double = 0.5
    /// Temperature, K (20 °C).
    public var temperatureKelvin: Double = 293.15
    /// Fraction of the nominal area in contact at assembly (paper: 20–25 %).
    public var initialContactFraction: Double = 0.22
    /// Contact-loss law at the stripping interface: dθ/dq = −k·θ₀/θ, with q the charge
    /// stripped through that interface in mAh/cm² (nominal area). Loss speeds up as contact
    /// shrinks; contact vanishes at q* = θ₀/(2k). k = 0.22/18 puts q* at 9 mAh/cm², i.e.
    /// the voltage runs away near 9 h at 1 mA/cm².
    public var contactLossPerMilliampHourPerSquareCentimetre: Double = 0.22 / 18.0
    /// Relative contact loss at the *plating* interface per mAh/cm² (paper: −8.9 % in 4 h).
    public var platingContactRelativeLossPerMilliampHourPerSquareCentimetre: Double = 0.089 / 4.0
    /// Contact never drops below this fraction (keeps the model finite; voltage is huge there).
    public var minimumContactFraction: Double = 1e-4
    /// Interphase present at each Li/LSPS interface at assembly (LSPS is reduced by Li), µm.
    public var initialInterphaseThicknessMicrometres: Double = 2.0
    /// Interphase thickness added at the plating interface per mAh/cm² passed, µm.
    public var interphaseGrowthMicrometresPerMilliampHourPerSquareCentimetre: Double = 2.0
    /// Electronic/ionic conductivity of the interphase, S/cm (the paper's fitted parameter).
    /// Current crosses it through the contact area only, which makes the voltage linear in
    /// effective current density (I / contact area) as observed below ~0.8 V.
    public var interphaseConductivitySiemensPerCentimetre: Double = 1.0e-5
    /// Fraction of the Li arriving at the plating interface that becomes interphase rather than
    /// Li metal (the paper: Li stripped at one side forms interphase at the other).
    public var interphaseFractionOfDepositedLithium: Double = 1.0
    /// Partial molar volume of Li in Li metal, cm³/mol.
    public var lithiumMolarVolumeCubicCentimetresPerMole: Double = 13.0
    /// Partial molar volume of Li in the interphase, cm³/mol (smaller than in Li metal).
    public var interphaseLithiumMolarVolumeCubicCentimetresPerMole: Double = 9.0
    /// Initial Li foil thickness per electrode, µm.
    public var initialLithiumThicknessMicrometres: Double = 100.0
    /// Stack stiffness: stack-pressure change per µm of stack thickness change, MPa/µm.
    public var stackStiffnessMegapascalsPerMicrometre: Double = 0.5
    /// Stack pressure at assembly, MPa.
    public var initialStackPressureMegapascals: Double = 12.0

    public init() {}

    /// Nominal (geometric) cell area, cm².
    public var areaSquareCentimetres: Double {
        let radiusCentimetres = diameterMillimetres / 20.0
        return Double.pi * radiusCentimetres * radiusCentimetres
    }

    /// Nominal area, mm² (for force ↔ pressure: N = MPa × mm²).
    public var areaSquareMillimetres: Double { areaSquareCentimetres * 100.0 }

    /// Thermal voltage RT/F, V.
    public var thermalVoltageVolts: Double {
        PhysicalConstants.gasConstantJoulesPerMoleKelvin * temperatureKelvin
            / PhysicalConstants.faradayCoulombsPerMole
    }

    /// Current for a current density on the nominal area: mA/cm² → A.
    public func currentAmps(milliampsPerSquareCentimetre: Double) -> Double {
        milliampsPerSquareCentimetre * 1e-3 * areaSquareCentimetres
    }
}
