import Foundation
import Store

/// `cellpress torque`: store an assembly torque against a cell, with the clamp-force
/// estimate F = T/(K·d) beside the measured force when there is one.
public enum TorqueRecording {
    /// Validates, records the assembly and returns a one-line confirmation. Nothing is
    /// stored when the torque is not acceptable for the screw.
    public static func record(database: AppDatabase, cellName: String, diameterMillimetres: Double,
                              torqueNewtonMetresPerScrew: Double, clamp: ScrewClamp,
                              measuredForceNewtons: Double?, note: String) throws -> String {
        try clamp.validate(torqueNewtonMetres: torqueNewtonMetresPerScrew)
        let estimate = clamp.totalForceNewtons(torquesNewtonMetres: Array(repeating: torqueNewtonMetresPerScrew, count: clamp.screwCount))
        let cell = try database.findOrCreateCell(named: cellName, diameterMillimetres: diameterMillimetres)
        let assembly = try database.record(Assembly(cellId: cell.id!, torqueNewtonMetresPerScrew: torqueNewtonMetresPerScrew,
                                                    screwCount: clamp.screwCount, screwSize: clamp.screwSize,
                                                    estimatedForceNewtons: estimate, measuredForceNewtons: measuredForceNewtons,
                                                    operatorNote: note))
        let megapascals = { (force: Double) in ScrewClamp.pressureMegapascals(forceNewtons: force, cellAreaSquareMetres: cell.areaSquareMetres) }
        var line = String(format: "recorded assembly %lld of cell %@: %.3f N·m × %d %@ screws; estimate %.0f N = %.0f MPa (K %.2f)",
                          assembly.id!, cell.name, torqueNewtonMetresPerScrew, clamp.screwCount, clamp.screwSize,
                          estimate, megapascals(estimate), clamp.nutFactor)
        if let force = measuredForceNewtons {
            line += String(format: "; measured %.2f N = %.2f MPa over %.4f cm²", force, megapascals(force), cell.areaSquareCentimetres)
        }
        return line
    }
}
