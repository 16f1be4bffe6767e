import Foundation

/// One tightening step: a screw brought to a torque.
public struct TighteningStep: Sendable, Equatable {
    /// 0-based screw index (printed 1-based).
    public var screwIndex: Int
    public var torqueNewtonMetres: Double
    public init(screwIndex: Int, torqueNewtonMetres: Double) {
        self.screwIndex = screwIndex
        self.torqueNewtonMetres = torqueNewtonMetres
    }
}

/// The screws of one assembly as it is tightened: each screw's current torque and the steps
/// taken. Pure state, no I/O. Screws are taken in turn (1, 2, 1, 2 …, the usual cross
/// pattern) unless a step names its screw, written `2=0.25`.
public struct TighteningState: Sendable, Equatable {
    public let clamp: ScrewClamp
    /// Current torque of each screw, N·m (0 = not tightened yet).
    public private(set) var torquesNewtonMetres: [Double]
    public private(set) var steps: [TighteningStep] = []

    public init(clamp: ScrewClamp) {
        self.clamp = clamp
        torquesNewtonMetres = Array(repeating: 0, count: clamp.screwCount)
    }

    /// The screw the next plain torque goes to: the one after the last tightened.
    public var nextScrewIndex: Int {
        guard let last = steps.last else { return 0 }
        return (last.screwIndex + 1) % clamp.screwCount
    }

    /// Parses `0.25` (next screw) or `2=0.25` (screw 2) and checks the torque against the
    /// screw size. Throws `AssemblyError.invalid` with the offending text.
    public func parse(_ text: String) throws -> TighteningStep {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var screw = nextScrewIndex
        var torqueText = Substring(trimmed)
        if let eq = trimmed.firstIndex(of: "=") {
            guard let n = Int(trimmed[..<eq].trimmingCharacters(in: .whitespaces)), (1...clamp.screwCount).contains(n) else {
                throw AssemblyError.invalid("'\(trimmed)': screw number must be 1…\(clamp.screwCount)")
            }
            screw = n - 1
            torqueText = trimmed[trimmed.index(after: eq)...]
        }
        guard let torque = Double(torqueText.trimmingCharacters(in: .whitespaces)) else {
            throw AssemblyError.invalid("'\(trimmed)' is not a torque in N·m (e.g. 0.25, or 2=0.25 for screw 2)")
        }
        try clamp.validate(torqueNewtonMetres: torque)
        return TighteningStep(screwIndex: screw, torqueNewtonMetres: torque)
    }

    /// Applies a step (validated again: a step built by hand gets the same checks).
    public mutating func apply(_ step: TighteningStep) throws {
        guard (0..<clamp.screwCount).contains(step.screwIndex) else {
            throw AssemblyError.invalid("screw \(step.screwIndex + 1) does not exist: the cell has \(clamp.screwCount)")
        }
        try clamp.validate(torqueNewtonMetres: step.torqueNewtonMetres)
        torquesNewtonMetres[step.screwIndex] = step.torqueNewtonMetres
        steps.append(step)
    }

    /// Parses and applies a whole comma-separated list (`--torques`), all or nothing.
    public static func applying(list: String, to state: TighteningState) throws -> (TighteningState, [TighteningStep]) {
        var copy = state
        var applied: [TighteningStep] = []
        for token in list.split(separator: ",", omittingEmptySubsequences: false) {
            let step = try copy.parse(String(token))
            try copy.apply(step)
            applied.append(step)
        }
        guard !applied.isEmpty else { throw AssemblyError.invalid("--torques is empty") }
        return (copy, applied)
    }

    /// Clamp force F = Σ T/(K·d) with the torques so far.
    public var estimatedForceNewtons: Double { clamp.totalForceNewtons(torquesNewtonMetres: torquesNewtonMetres) }

    /// Mean torque over the screws (the store keeps one torque per screw).
    public var meanTorqueNewtonMetres: Double { torquesNewtonMetres.reduce(0, +) / Double(clamp.screwCount) }

    /// Torque per screw that F = Σ T/(K·d) says reaches a force, all screws equal (K: the
    /// clamp's unless given).
    public func torquePerScrewNewtonMetres(forForceNewtons force: Double, nutFactor: Double? = nil) -> Double {
        force * (nutFactor ?? clamp.nutFactor) * clamp.diameterMetres / Double(clamp.screwCount)
    }

    /// The nut factor this assembly shows so far, K = Σ T / (d · F measured); nil without
    /// torque or force.
    public func observedNutFactor(measuredForceNewtons force: Double) -> Double? {
        let torque = torquesNewtonMetres.reduce(0, +)
        guard torque > 0, force.isFinite, force > 0 else { return nil }
        return torque / (clamp.diameterMetres * force)
    }
}
