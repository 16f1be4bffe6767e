import Foundation
import Store

/// `cellpress torque`: store an assembly torque against a cell.
public enum TorqueRecording {
    /// Records the assembly and returns a one-line confirmation.
    public static func record(database: AppDatabase, cellName: String, diameterMillimetres: Double,
                              torqueNewtonMetresPerScrew: Double, screwCount: Int,
                              measuredForceNewtons: Double?, note: String) throws -> String {
        let cell = try database.findOrCreateCell(named: cellName, diameterMillimetres: diameterMillimetres)
        let assembly = try database.record(Assembly(cellId: cell.id!, torqueNewtonMetresPerScrew: torqueNewtonMetresPerScrew,
                                                    screwCount: screwCount, measuredForceNewtons: measuredForceNewtons,
                                                    operatorNote: note))
        var line = String(format: "recorded assembly %lld of cell %@: %.3f N·m × %d screws", assembly.id!, cell.name,
                          torqueNewtonMetresPerScrew, screwCount)
        if let force = measuredForceNewtons {
            line += String(format: ", %.2f N = %.2f MPa over %.4f cm²", force, force / (cell.areaSquareMetres * 1e6), cell.areaSquareCentimetres)
        }
        return line
    }
}
