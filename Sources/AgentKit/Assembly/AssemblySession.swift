import Foundation
import Store

/// The store side of one guided assembly: finds the cell, records each tightening step as a
/// `torque` event with the force it reached, and the final `Assembly`. The cell is created
/// (when new) only with the first step, so an assembly abandoned before any torque leaves
/// nothing behind.
public final class AssemblySession {
    public let database: AppDatabase
    public let cellName: String
    public let diameterMillimetres: Double
    public private(set) var cell: Cell?

    /// `existingCellOnly`: the cell must already be in the database (else `AssemblyError.invalid`
    /// naming the known cells); nothing is written by this initialiser.
    public init(database: AppDatabase, cellName: String, diameterMillimetres: Double, existingCellOnly: Bool) throws {
        guard !cellName.isEmpty else { throw AssemblyError.invalid("the cell name must not be empty") }
        self.database = database
        self.cellName = cellName
        cell = try database.cell(named: cellName)
        if existingCellOnly && cell == nil {
            let known = try database.cells().map(\.name)
            throw AssemblyError.invalid("no cell named '\(cellName)' in \(database.path)"
                + (known.isEmpty ? " (it has no cells)" : " (known: \(known.prefix(10).joined(separator: ", ")))"))
        }
        self.diameterMillimetres = cell?.diameterMillimetres ?? diameterMillimetres
    }

    /// Cell area in mm² (the existing cell's own diameter wins over the option).
    public var cellAreaSquareMillimetres: Double { Double.pi * diameterMillimetres * diameterMillimetres / 4 }

    public func pressureMegapascals(forceNewtons: Double) -> Double { forceNewtons / cellAreaSquareMillimetres }

    /// The rig's effective nut factor from every stored assembly with a measured force and a
    /// known screw size (all cells: the friction belongs to the rig, not to one cell).
    public static func nutFactorFit(database: AppDatabase) throws -> NutFactorFit? {
        var points: [(torquesNewtonMetres: [Double], screwDiameterMetres: Double, measuredForceNewtons: Double)] = []
        for cell in try database.cells() {
            for a in try database.assemblies(cellId: cell.id!) {
                guard let force = a.measuredForceNewtons, let dmm = ScrewClamp.nominalDiameterMillimetres[a.screwSize] else { continue }
                points.append((Array(repeating: a.torqueNewtonMetresPerScrew, count: a.screwCount), dmm / 1000, force))
            }
        }
        return ScrewClamp.fitNutFactor(points)
    }

    private func ensureCell() throws -> Cell {
        if let cell { return cell }
        let created = try database.findOrCreateCell(named: cellName, diameterMillimetres: diameterMillimetres)
        cell = created
        return created
    }

    /// Stores one step: a `torque` event whose value is the force reached (N; nil when the
    /// sensor could not be read, with `readError` in the message); the message and JSON carry
    /// the screw, its torque, every screw's torque and the pressure.
    @discardableResult
    public func recordStep(_ step: TighteningStep, state: TighteningState, forceNewtons: Double?, readError: String? = nil) throws -> Event {
        let cellId = try ensureCell().id!
        let pressure = forceNewtons.map(pressureMegapascals(forceNewtons:))
        let torques = state.torquesNewtonMetres.map { String(format: "%.4f", $0) }.joined(separator: ",")
        let number = { (x: Double?) in x.map { String(format: "%.4f", $0) } ?? "null" }
        let json = String(format: "{\"screw\":%d,\"torque_nm\":%.4f,\"torques_nm\":[%@],\"force_n\":%@,\"pressure_mpa\":%@,\"estimated_force_n\":%.4f}",
                          step.screwIndex + 1, step.torqueNewtonMetres, torques, number(forceNewtons), number(pressure), state.estimatedForceNewtons)
        let reached = forceNewtons.map { String(format: "%.2f N = %.2f MPa", $0, pressure!) } ?? "force not read: \(readError ?? "no reading")"
        return try database.record(Event(cellId: cellId, runId: nil, kind: Event.Kind.torque,
                                         message: String(format: "tightening step %d: screw %d to %.3f N·m → %@",
                                                         state.steps.count, step.screwIndex + 1, step.torqueNewtonMetres, reached),
                                         value: forceNewtons, dataJSON: json))
    }

    /// Stores the finished assembly (mean torque per screw, the estimate with the K in use, the
    /// measured force). Requires at least one step.
    @discardableResult
    public func finish(state: TighteningState, measuredForceNewtons: Double?, note: String) throws -> Assembly {
        guard !state.steps.isEmpty else { throw AssemblyError.invalid("no torque was entered: nothing to record") }
        let cellId = try ensureCell().id!
        let perScrew = state.torquesNewtonMetres.map { String(format: "%.3f", $0) }.joined(separator: ", ")
        let fullNote = ["torques per screw (N·m): \(perScrew); K \(String(format: "%.3f", state.clamp.nutFactor)) for the estimate", note]
            .filter { !$0.isEmpty }.joined(separator: "; ")
        return try database.record(Assembly(cellId: cellId, torqueNewtonMetresPerScrew: state.meanTorqueNewtonMetres,
                                            screwCount: state.clamp.screwCount, screwSize: state.clamp.screwSize,
                                            estimatedForceNewtons: state.estimatedForceNewtons,
                                            measuredForceNewtons: measuredForceNewtons, operatorNote: fullNote))
    }
}
