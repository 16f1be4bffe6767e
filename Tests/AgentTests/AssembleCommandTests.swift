import Foundation
import XCTest
import Store

/// `cellpress assemble` scripted (--torques) on the simulated rig, whose true nut factor is
/// 0.9 on M3 screws: F = Σ T / (0.9 · 0.003 m).
final class AssembleCommandTests: XCTestCase {
    private func simulatedForce(_ torqueSum: Double) -> Double { torqueSum / (0.9 * 0.003) }

    func testScriptedStepsAreStoredWithTheForceReachedAndTheAssemblyAtTheEnd() throws {
        let dir = try ScratchDirectory()
        let db = dir.file("a.sqlite")
        let out = try CommandLineRunner.run(["assemble", "--db", db, "--cell", "LSPS-01", "--simulate",
                                             "--torques=0.02,0.02,0.045,0.045", "--note", "glovebox 2"])
        XCTAssertEqual(out.status, 0, out.stderr + out.stdout)
        // 0.09 N·m in total → 33.3 N = 10.6 MPa on the 2 mm cell: past the 10 MPa target, not an overshoot.
        XCTAssertTrue(out.stdout.contains("target reached"), out.stdout)
        XCTAssertFalse(out.stdout.contains("overshoot"), out.stdout)
        // After the first step the rig's response (K 0.9) says how far to go: 31.4 N · 0.9 · 0.003 / 2.
        let guidance = try XCTUnwrap(Self.number(after: "for 10.0 MPa: about ", in: out.stdout), out.stdout)
        XCTAssertEqual(guidance, 0.0424, accuracy: 0.0015)

        let database = try AppDatabase.openReadOnly(path: db)
        let cell = try XCTUnwrap(try database.cell(named: "LSPS-01"))
        let events = try database.events(cellId: cell.id!, kinds: ["torque"])
        let steps = events.filter { $0.message.hasPrefix("tightening step") }
        XCTAssertEqual(steps.count, 4)
        let torqueSums = [0.02, 0.04, 0.065, 0.09]
        for (event, sum) in zip(steps, torqueSums) {
            XCTAssertEqual(try XCTUnwrap(event.value), simulatedForce(sum), accuracy: 0.02 * simulatedForce(sum) + 0.05, event.message)
            XCTAssertNotNil(event.dataJSON)
        }
        let assemblies = try database.assemblies(cellId: cell.id!)
        XCTAssertEqual(assemblies.count, 1)
        let assembly = assemblies[0]
        XCTAssertEqual(assembly.torqueNewtonMetresPerScrew, 0.045, accuracy: 1e-9)
        XCTAssertEqual(assembly.screwCount, 2)
        XCTAssertEqual(assembly.screwSize, "M3")
        // First assembly on this rig: nominal K 0.2 for the estimate, far above what is measured.
        XCTAssertEqual(try XCTUnwrap(assembly.estimatedForceNewtons), 0.09 / (0.2 * 0.003), accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(assembly.measuredForceNewtons), simulatedForce(0.09), accuracy: 0.5)
        XCTAssertTrue(assembly.operatorNote.contains("glovebox 2"))
    }

    func testOvershootIsWarned() throws {
        let dir = try ScratchDirectory()
        // 0.14 N·m → 51.9 N = 16.5 MPa > 1.5 × 10 MPa.
        let out = try CommandLineRunner.run(["assemble", "--db", dir.file("a.sqlite"), "--cell", "c", "--simulate", "--torques=0.07,0.07"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("WARNING: overshoot"), out.stdout)
    }

    func testTheRigsNutFactorIsFittedAndImprovesTheNextEstimate() throws {
        let dir = try ScratchDirectory()
        let db = dir.file("k.sqlite")
        let first = try CommandLineRunner.run(["assemble", "--db", db, "--cell", "A", "--simulate", "--torques=0.03,0.03,0.05,0.05"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let fitted = try XCTUnwrap(Self.number(after: "rig's effective nut factor: K = ", in: first.stdout), first.stdout)
        XCTAssertEqual(fitted, 0.9, accuracy: 0.02)

        let second = try CommandLineRunner.run(["assemble", "--db", db, "--cell", "B", "--simulate", "--torques=0.04,0.04"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("fitted from 1 past assembly"), second.stdout)
        let database = try AppDatabase.openReadOnly(path: db)
        let b = try XCTUnwrap(try database.assemblies(cellId: try XCTUnwrap(try database.cell(named: "B")).id!).first)
        let estimate = try XCTUnwrap(b.estimatedForceNewtons), measured = try XCTUnwrap(b.measuredForceNewtons)
        XCTAssertEqual(estimate / measured, 1, accuracy: 0.03, "with the fitted K the estimate matches the measurement")
        let refit = try XCTUnwrap(Self.number(after: "rig's effective nut factor: K = ", in: second.stdout))
        XCTAssertEqual(refit, 0.9, accuracy: 0.02)
        XCTAssertTrue(second.stdout.contains("from 2 assemblies"), second.stdout)
    }

    func testRelaxationIsLoggedAndItsTimeConstantRecovered() throws {
        let dir = try ScratchDirectory()
        let db = dir.file("r.sqlite")
        // 10 simulated hours in 1.5 real seconds; τ 90 min.
        let out = try CommandLineRunner.run(["assemble", "--db", db, "--cell", "R", "--simulate", "--torques=0.045,0.045",
                                             "--relax-minutes", "600", "--time-scale", "24000", "--sim-tau-minutes", "90",
                                             "--sim-loss", "0.25"])
        XCTAssertEqual(out.status, 0, out.stderr + out.stdout)
        let tauSeconds = try XCTUnwrap(Self.number(after: "min (", in: out.stdout), out.stdout)
        XCTAssertEqual(tauSeconds, 5400, accuracy: 540, out.stdout)
        let lostAfterHour = try XCTUnwrap(Self.number(after: "lost after 1 h: ", in: out.stdout), out.stdout)
        XCTAssertEqual(lostAfterHour, 100 * 0.25 * (1 - exp(-60.0 / 90)), accuracy: 2, out.stdout)
        XCTAssertTrue(out.stdout.contains("lost after 12 h: not covered"), out.stdout)

        let database = try AppDatabase.openReadOnly(path: db)
        let cell = try XCTUnwrap(try database.cell(named: "R"))
        let samples = try database.forceSamples(cellId: cell.id!, fromUnixTimeSeconds: 0, toUnixTimeSeconds: .greatestFiniteMagnitude)
        XCTAssertGreaterThan(samples.count, 20, "the relaxation went through the sampler into the store")
        XCTAssertGreaterThan(samples.first!.pressureMegapascals, samples.last!.pressureMegapascals)
        XCTAssertEqual(samples.last!.pressureMegapascals / samples.first!.pressureMegapascals, 0.75, accuracy: 0.03)
        XCTAssertEqual(try database.events(cellId: cell.id!, kinds: ["note"]).filter { $0.message.hasPrefix("relaxation") }.count, 1)
    }

    func testBadInputIsRefusedAndNothingIsStored() throws {
        let dir = try ScratchDirectory()
        let db = dir.file("bad.sqlite")
        let cases: [(args: [String], message: String)] = [
            (["--simulate", "--torques=0.1,-0.05"], "torque must be a positive number"),
            (["--simulate", "--torques=1.5"], "above the 1.20 N·m an M3 screw takes"),
            (["--torques=0.1"], "no force sensor configured"),
            (["--simulate", "--torques=0.1", "--existing-cell"], "no database at"),
        ]
        for c in cases {
            let out = try CommandLineRunner.run(["assemble", "--db", db, "--cell", "X"] + c.args)
            XCTAssertNotEqual(out.status, 0, c.args.joined(separator: " "))
            XCTAssertTrue(out.stderr.contains(c.message), "\(c.args): \(out.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: db), "\(c.args) created the database")
        }
        // With a database holding another cell: the unknown cell is named, nothing is added.
        XCTAssertEqual(try CommandLineRunner.run(["assemble", "--db", db, "--cell", "Known", "--simulate", "--torques=0.02"]).status, 0)
        let unknown = try CommandLineRunner.run(["assemble", "--db", db, "--cell", "X", "--simulate", "--torques=0.02", "--existing-cell"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("no cell named 'X'") && unknown.stderr.contains("known: Known"), unknown.stderr)
        let database = try AppDatabase.openReadOnly(path: db)
        XCTAssertEqual(try database.cells().map(\.name), ["Known"])
        XCTAssertEqual(try database.count(table: "assembly"), 1)
        XCTAssertEqual(try database.count(table: "event"), 2, "one step and the assembly's own event")
    }

    /// The number printed right after `marker` (first occurrence from the end).
    static func number(after marker: String, in text: String) -> Double? {
        guard let range = text.range(of: marker, options: .backwards) else { return nil }
        let tail = text[range.upperBound...].prefix { "0123456789.+-eE".contains($0) }
        return Double(tail)
    }
}
