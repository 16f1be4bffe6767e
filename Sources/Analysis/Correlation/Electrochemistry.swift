import Foundation

/// The paper's back-of-envelope formulas, with units in the argument names.
public enum Electrochemistry {
    /// Faraday constant, C/mol.
    public static let faradayCoulombsPerMole = 96485.33212
    /// Molar volume of lithium metal, cm³/mol (the paper's value).
    public static let lithiumMolarVolumeCubicCentimetresPerMole = 13.0

    static let cubicMicrometresPerCubicCentimetre = 1e12
    static let squareMicrometresPerSquareCentimetre = 1e8

    /// Fraction of the charge passed that came from stripping lithium metal:
    /// (V_lost / 13.0 cm³/mol) × F ÷ (Q × A_analysed / A_electrode). The scans cover only
    /// part of the electrode, so the charge is scaled to the analysed area (uniform current
    /// assumed). Nil if charge or areas are not positive.
    public static func lithiumCurrentFraction(lithiumVolumeLostCubicMicrometres: Double,
                                              chargeCoulombs: Double,
                                              analysedAreaSquareMicrometres: Double,
                                              electrodeAreaSquareMicrometres: Double) -> Double? {
        guard chargeCoulombs > 0, analysedAreaSquareMicrometres > 0, electrodeAreaSquareMicrometres > 0 else { return nil }
        let moles = lithiumVolumeLostCubicMicrometres / cubicMicrometresPerCubicCentimetre / lithiumMolarVolumeCubicCentimetresPerMole
        let chargeInRegion = chargeCoulombs * analysedAreaSquareMicrometres / electrodeAreaSquareMicrometres
        return moles * faradayCoulombsPerMole / chargeInRegion
    }

    /// Partial molar volume of Li in the interphase, cm³/mol, from the change in stack
    /// thickness over a half cycle. Assumes every electron moved one Li from metal at the
    /// stripping electrode (−13.0 cm³/mol) into interphase at the other (+V̄), over the
    /// whole electrode area: ΔL·A = (Q/F)(V̄ − V_Li) ⇒ V̄ = V_Li + ΔL·A·F/Q.
    /// A shrinking stack (ΔL < 0) gives V̄ below lithium metal's 13.0.
    public static func interphasePartialMolarVolume(stackThicknessChangeMicrometres: Double,
                                                    chargeCoulombs: Double,
                                                    electrodeAreaSquareMicrometres: Double) -> Double? {
        guard chargeCoulombs > 0, electrodeAreaSquareMicrometres > 0 else { return nil }
        let deltaVolumeCubicCentimetres = stackThicknessChangeMicrometres * electrodeAreaSquareMicrometres / cubicMicrometresPerCubicCentimetre
        let moles = chargeCoulombs / faradayCoulombsPerMole
        return lithiumMolarVolumeCubicCentimetresPerMole + deltaVolumeCubicCentimetres / moles
    }

    /// Effective current density in mA/cm²: current over the *contact* area.
    public static func effectiveCurrentDensityMilliampsPerSquareCentimetre(currentAmps: Double,
                                                                           contactAreaSquareMicrometres: Double) -> Double? {
        guard contactAreaSquareMicrometres > 0 else { return nil }
        return abs(currentAmps) * 1000 / (contactAreaSquareMicrometres / squareMicrometresPerSquareCentimetre)
    }

    /// Relative change in percent, (end − start)/start × 100 (the paper's −8.9 %, −47.1 %).
    public static func percentChange(from start: Double, to end: Double) -> Double? {
        guard start != 0, start.isFinite, end.isFinite else { return nil }
        return (end - start) / start * 100
    }
}
