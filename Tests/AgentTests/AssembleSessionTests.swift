import Foundation
import XCTest
import Store
@testable import AgentKit

/// The store side of a guided assembly, on an in-memory database.
final class AssembleSessionTests: XCTestCase {
    func testTheCellIsCreatedOnlyWithTheFirstStepAndAStepWithoutAReadingIsKept() throws {
        let db = try AppDatabase.inMemory()
        let session = try AssemblySession(database: db, cellName: "N1", diameterMillimetres: 2, existingCellOnly: false)
        var state = TighteningState(clamp: try ScrewClamp(screwSize: "M3", screwCount: 2, nutFactor: 0.2))
        XCTAssertThrowsError(try session.finish(state: state, measuredForceNewtons: 1, note: ""))
        XCTAssertEqual(try db.cells().count, 0, "nothing stored before the first step")

        let first = TighteningStep(screwIndex: 0, torqueNewtonMetres: 0.05)
        try state.apply(first)
        let stored = try session.recordStep(first, state: state, forceNewtons: 18.5)
        XCTAssertEqual(stored.value, 18.5)
        XCTAssertTrue(stored.message.contains("18.50 N = 5.89 MPa"), stored.message)   // 18.5 N over π mm²
        let second = TighteningStep(screwIndex: 1, torqueNewtonMetres: 0.05)
        try state.apply(second)
        let unread = try session.recordStep(second, state: state, forceNewtons: nil, readError: "nau7802 at 0x2a: no ACK")
        XCTAssertNil(unread.value)
        XCTAssertTrue(unread.message.contains("force not read: nau7802 at 0x2a: no ACK"), unread.message)
        XCTAssertTrue(unread.dataJSON!.contains("\"force_n\":null"), unread.dataJSON!)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(unread.dataJSON!.utf8)), "valid JSON")

        let assembly = try session.finish(state: state, measuredForceNewtons: 37.0, note: "n")
        XCTAssertEqual(assembly.torqueNewtonMetresPerScrew, 0.05, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(assembly.estimatedForceNewtons), 0.1 / (0.2 * 0.003), accuracy: 1e-9)
        // One assembly: K = Σ T / (d F) = 0.1 / (0.003 · 37).
        XCTAssertEqual(try XCTUnwrap(try AssemblySession.nutFactorFit(database: db)).nutFactor, 0.1 / (0.003 * 37), accuracy: 1e-9)
    }

    func testAnExistingCellIsRequiredWhenAsked() throws {
        let db = try AppDatabase.inMemory()
        XCTAssertThrowsError(try AssemblySession(database: db, cellName: "nope", diameterMillimetres: 2, existingCellOnly: true)) {
            XCTAssertTrue("\($0)".contains("no cell named 'nope'") && "\($0)".contains("it has no cells"), "\($0)")
        }
        try db.findOrCreateCell(named: "big", diameterMillimetres: 4)
        let session = try AssemblySession(database: db, cellName: "big", diameterMillimetres: 2, existingCellOnly: true)
        XCTAssertEqual(session.cellAreaSquareMillimetres, Double.pi * 4, accuracy: 1e-9, "the stored cell's diameter wins")
    }
}
