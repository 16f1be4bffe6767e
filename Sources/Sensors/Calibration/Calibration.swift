/// Counts → newtons for one sensor: `forceNewtons = (counts − offsetCounts) × newtonsPerCount`.
///
/// Codable so the store can keep it (with history) as JSON. Pure value, no I/O.
public struct Calibration: Codable, Sendable, Equatable {
    /// Counts read at zero force (the tare point).
    public var offsetCounts: Double
    /// Newtons per count (the span). Negative when the bridge is wired in reverse.
    public var newtonsPerCount: Double
    /// How it was obtained: "identity", "two-point", "least-squares", or with "+tare".
    public var method: String
    /// Per-point residuals (measured − fitted) in newtons, in the order the points were given.
    public var residualsNewtons: [Double]

    public init(offsetCounts: Double, newtonsPerCount: Double, method: String = "manual",
                residualsNewtons: [Double] = []) {
        self.offsetCounts = offsetCounts
        self.newtonsPerCount = newtonsPerCount
        self.method = method
        self.residualsNewtons = residualsNewtons
    }

    /// Counts pass through unchanged as "newtons" (for parts with no calibration yet).
    public static let identity = Calibration(offsetCounts: 0, newtonsPerCount: 1, method: "identity")

    /// Force for raw counts.
    public func forceNewtons(counts: Double) -> Double { (counts - offsetCounts) * newtonsPerCount }

    /// Raw counts expected at a force (inverse of `forceNewtons`).
    public func counts(forceNewtons: Double) -> Double { forceNewtons / newtonsPerCount + offsetCounts }

    /// The same span with the zero moved to counts read with no load (tare).
    public func tared(zeroCounts: Double) -> Calibration {
        var c = self
        c.offsetCounts = zeroCounts
        if !c.method.hasSuffix("+tare") { c.method += "+tare" }
        return c
    }

    /// Root-mean-square of the residuals in newtons (0 when there are none).
    public var rmsResidualNewtons: Double {
        guard !residualsNewtons.isEmpty else { return 0 }
        return (residualsNewtons.reduce(0) { $0 + $1 * $1 } / Double(residualsNewtons.count)).squareRoot()
    }
}

/// One calibration point: counts read under a known load.
public struct CalibrationPoint: Codable, Sendable, Equatable {
    public var counts: Double
    public var forceNewtons: Double
    public init(counts: Double, forceNewtons: Double) {
        self.counts = counts
        self.forceNewtons = forceNewtons
    }
}

public enum CalibrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer points than the method needs.
    case tooFewPoints(needed: Int, got: Int)
    /// The points do not span any counts (all at the same reading) so no slope exists.
    case degenerate(String)

    public var description: String {
        switch self {
        case let .tooFewPoints(needed, got): return "calibration needs at least \(needed) points, got \(got)"
        case let .degenerate(why): return "calibration is degenerate: \(why)"
        }
    }
}

extension Calibration {
    /// Two-point: counts at zero load and counts under one known load.
    public static func twoPoint(zeroCounts: Double, loadCounts: Double, loadNewtons: Double) throws -> Calibration {
        guard loadCounts != zeroCounts else {
            throw CalibrationError.degenerate("zero and load readings are both \(zeroCounts) counts")
        }
        guard loadNewtons != 0 else { throw CalibrationError.degenerate("the known load is 0 N") }
        return Calibration(offsetCounts: zeroCounts, newtonsPerCount: loadNewtons / (loadCounts - zeroCounts),
                           method: "two-point", residualsNewtons: [0, 0])
    }

    /// Least squares straight line `force = slope × counts + intercept` through ≥ 2 points,
    /// with residuals (measured − fitted) reported per point.
    public static func leastSquares(_ points: [CalibrationPoint]) throws -> Calibration {
        guard points.count >= 2 else { throw CalibrationError.tooFewPoints(needed: 2, got: points.count) }
        let n = Double(points.count)
        // Centre the data first: counts are ~10^6 and a naive Σx² loses digits.
        let meanX = points.reduce(0) { $0 + $1.counts } / n
        let meanY = points.reduce(0) { $0 + $1.forceNewtons } / n
        var sxx = 0.0, sxy = 0.0
        for p in points {
            let dx = p.counts - meanX
            sxx += dx * dx
            sxy += dx * (p.forceNewtons - meanY)
        }
        guard sxx > 0 else { throw CalibrationError.degenerate("all points read \(meanX) counts") }
        let slope = sxy / sxx
        guard slope != 0 else { throw CalibrationError.degenerate("force does not change with counts") }
        let intercept = meanY - slope * meanX
        let residuals = points.map { $0.forceNewtons - (slope * $0.counts + intercept) }
        return Calibration(offsetCounts: -intercept / slope, newtonsPerCount: slope,
                           method: "least-squares", residualsNewtons: residuals)
    }
}

/// The cell the force presses on: pressure = force / area. 1 N/mm² is exactly 1 MPa.
public struct CellGeometry: Codable, Sendable, Equatable {
    public var areaSquareMillimetres: Double

    public init(areaSquareMillimetres: Double) { self.areaSquareMillimetres = areaSquareMillimetres }

    /// A round cell of the given diameter (2 mm → 3.1416 mm²).
    public init(diameterMillimetres: Double) {
        areaSquareMillimetres = Double.pi * diameterMillimetres * diameterMillimetres / 4
    }

    public func pressureMegapascals(forceNewtons: Double) -> Double { forceNewtons / areaSquareMillimetres }
    public func forceNewtons(pressureMegapascals: Double) -> Double { pressureMegapascals * areaSquareMillimetres }
}
