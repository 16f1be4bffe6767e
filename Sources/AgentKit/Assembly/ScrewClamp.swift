import Foundation

/// Torque → clamp force for the screws that close a pressure cell.
///
/// The short-form screw relation F = T / (K · d): T the tightening torque, d the nominal
/// screw diameter, K the "nut factor" that lumps thread and head friction (≈ 0.2 for dry
/// steel). The paper's cells: 0.25 N·m on M3 screws, K 0.2 → 417 N per screw, 833 N for two,
/// 265 MPa over a 2 mm cell — more than the 225 MPa the pellet was pressed at, which is why
/// the measured force matters: friction in the cell body and seals takes much of it, and the
/// useful number is the rig's effective K fitted from its own assemblies.
public struct ScrewClamp: Sendable, Equatable {
    /// ISO metric coarse screws with the largest tightening torque cellpress accepts for each
    /// (typical values for property class 8.8 steel, rounded down: beyond these the screw
    /// yields or the thread in a PEEK body strips long before).
    public static let maximumTorqueNewtonMetres: [String: Double] = [
        "M2": 0.35, "M2.5": 0.7, "M3": 1.2, "M4": 2.8, "M5": 5.5, "M6": 9.5,
    ]
    public static let nominalDiameterMillimetres: [String: Double] = [
        "M2": 2, "M2.5": 2.5, "M3": 3, "M4": 4, "M5": 5, "M6": 6,
    ]

    public var screwSize: String
    public var screwCount: Int
    public var nutFactor: Double

    public init(screwSize: String = "M3", screwCount: Int = 2, nutFactor: Double = 0.2) throws {
        guard Self.nominalDiameterMillimetres[screwSize] != nil else {
            throw AssemblyError.unknownScrew(screwSize, known: Self.nominalDiameterMillimetres.keys.sorted())
        }
        guard screwCount > 0 else { throw AssemblyError.invalid("screw count must be at least 1, got \(screwCount)") }
        guard nutFactor > 0, nutFactor < 1 else { throw AssemblyError.invalid("nut factor K must be in (0, 1), got \(nutFactor)") }
        self.screwSize = screwSize
        self.screwCount = screwCount
        self.nutFactor = nutFactor
    }

    public var diameterMetres: Double { Self.nominalDiameterMillimetres[screwSize]! / 1000 }

    /// Checks a torque for this screw size: positive, finite, not above the size's maximum.
    public func validate(torqueNewtonMetres: Double) throws {
        guard torqueNewtonMetres.isFinite, torqueNewtonMetres > 0 else {
            throw AssemblyError.invalid("torque must be a positive number of N·m, got \(torqueNewtonMetres)")
        }
        let maximum = Self.maximumTorqueNewtonMetres[screwSize]!
        guard torqueNewtonMetres <= maximum else {
            throw AssemblyError.invalid(String(format: "%.3f N·m is above the %.2f N·m an %@ screw takes", torqueNewtonMetres, maximum, screwSize))
        }
    }

    /// Clamp force of one screw, F = T / (K d), in newtons.
    public func forcePerScrewNewtons(torqueNewtonMetres: Double) -> Double {
        torqueNewtonMetres / (nutFactor * diameterMetres)
    }

    /// Total clamp force with every screw at its own torque.
    public func totalForceNewtons(torquesNewtonMetres: [Double]) -> Double {
        torquesNewtonMetres.reduce(0) { $0 + forcePerScrewNewtons(torqueNewtonMetres: $1) }
    }

    /// Stack pressure if all of the clamp force reached a cell of the given area.
    public static func pressureMegapascals(forceNewtons: Double, cellAreaSquareMetres: Double) -> Double {
        forceNewtons / cellAreaSquareMetres / 1e6
    }

    /// The rig's effective nut factor from past assemblies: each pairs the sum over screws of
    /// T/d with the force measured after tightening. F = (1/K) · Σ T/d is a line through the
    /// origin; least squares gives 1/K = Σ xF / Σ x². Returns nil with fewer than one usable
    /// assembly (no measured force, or no torque).
    public static func fitNutFactor(_ assemblies: [(torquesNewtonMetres: [Double], screwDiameterMetres: Double, measuredForceNewtons: Double)]) -> NutFactorFit? {
        let points = assemblies.compactMap { a -> (x: Double, f: Double)? in
            let x = a.torquesNewtonMetres.reduce(0, +) / a.screwDiameterMetres
            return x > 0 && a.measuredForceNewtons.isFinite ? (x, a.measuredForceNewtons) : nil
        }
        guard !points.isEmpty else { return nil }
        let sxx = points.reduce(0) { $0 + $1.x * $1.x }
        let sxf = points.reduce(0) { $0 + $1.x * $1.f }
        guard sxf > 0 else { return nil }
        let inverseK = sxf / sxx
        let residuals = points.map { $0.f - inverseK * $0.x }
        let rms = (residuals.reduce(0) { $0 + $1 * $1 } / Double(points.count)).squareRoot()
        return NutFactorFit(nutFactor: 1 / inverseK, assemblies: points.count, residualRMSNewtons: rms)
    }
}

public struct NutFactorFit: Sendable, Equatable {
    public var nutFactor: Double
    public var assemblies: Int
    public var residualRMSNewtons: Double
}

public enum AssemblyError: Error, CustomStringConvertible, Equatable {
    case unknownScrew(String, known: [String])
    case invalid(String)
    public var description: String {
        switch self {
        case let .unknownScrew(size, known): return "unknown screw size \(size) (known: \(known.joined(separator: ", ")))"
        case let .invalid(message): return message
        }
    }
}
