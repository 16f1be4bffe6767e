import Foundation

/// Contributions to the cell voltage, V (signed like the current).
public struct VoltageBreakdown: Sendable, Equatable {
    public var topOverpotentialVolts: Double
    public var bottomOverpotentialVolts: Double
    public var electrolyteOhmicVolts: Double
    public var interphaseOhmicVolts: Double
    /// Cell voltage, top minus bottom, V.
    public var totalVolts: Double {
        topOverpotentialVolts + bottomOverpotentialVolts + electrolyteOhmicVolts + interphaseOhmicVolts
    }
}

/// Pure voltage functions of the model.
public enum CellVoltage {
    /// Ohmic drop through the electrolyte: Δφ = I·l / (κ·A) (e.g. 48 mV at 31.4 µA).
    public static func electrolyteOhmicDropVolts(currentAmps: Double, parameters p: CellParameters) -> Double {
        currentAmps * p.electrolyteThicknessCentimetres
            / (p.electrolyteConductivitySiemensPerCentimetre * p.areaSquareCentimetres)
    }

    /// Ohmic drop through one interphase layer crossed through its contact area.
    public static func interphaseOhmicDropVolts(currentAmps: Double, thicknessMicrometres: Double,
                                                contactFraction: Double, parameters p: CellParameters) -> Double {
        let areaCm2 = p.areaSquareCentimetres * max(contactFraction, p.minimumContactFraction)
        return currentAmps * thicknessMicrometres * 1e-4
            / (p.interphaseConductivitySiemensPerCentimetre * areaCm2)
    }

    /// Butler–Volmer overpotential for a current (A, anodic positive) through a contact area.
    public static func interfaceOverpotentialVolts(currentAmps: Double, contactFraction: Double,
                                                   parameters p: CellParameters) throws -> Double {
        let areaCm2 = p.areaSquareCentimetres * max(contactFraction, p.minimumContactFraction)
        return try ButlerVolmer.overpotential(
            currentDensity: currentAmps / areaCm2,
            exchangeCurrentDensity: p.exchangeCurrentDensityAmpsPerSquareCentimetre,
            anodicAlpha: p.anodicTransferCoefficient, cathodicAlpha: p.cathodicTransferCoefficient,
            thermalVoltageVolts: p.thermalVoltageVolts)
    }

    /// Cell voltage for a current in a state. At the top electrode the current is anodic (+I);
    /// at the bottom it is cathodic (−I), whose (negative) overpotential subtracts.
    public static func breakdown(currentAmps: Double, state s: CellState,
                                 parameters p: CellParameters) throws -> VoltageBreakdown {
        let top = try interfaceOverpotentialVolts(currentAmps: currentAmps,
                                                  contactFraction: s.topContactFraction, parameters: p)
        let bottom = -(try interfaceOverpotentialVolts(currentAmps: -currentAmps,
                                                       contactFraction: s.bottomContactFraction, parameters: p))
        let interphase = interphaseOhmicDropVolts(currentAmps: currentAmps,
                                                  thicknessMicrometres: s.topInterphaseThicknessMicrometres,
                                                  contactFraction: s.topContactFraction, parameters: p)
            + interphaseOhmicDropVolts(currentAmps: currentAmps,
                                       thicknessMicrometres: s.bottomInterphaseThicknessMicrometres,
                                       contactFraction: s.bottomContactFraction, parameters: p)
        return VoltageBreakdown(topOverpotentialVolts: top, bottomOverpotentialVolts: bottom,
                                electrolyteOhmicVolts: electrolyteOhmicDropVolts(currentAmps: currentAmps, parameters: p),
                                interphaseOhmicVolts: interphase)
    }
}
