import Foundation
import GRDB
import XCTest
@testable import AgentKit
import Store

final class CommandLineTests: XCTestCase {
    func testHelpListsEverySubcommand() throws {
        let output = try CommandLineRunner.run(["--help"])
        XCTAssertEqual(output.status, 0)
        for name in ["demo", "run", "status", "export", "sensor", "calibrate", "torque", "emulate",
                     "methodscript", "import", "analyze", "synth", "correlate", "report", "config", "gpio"] {
            XCTAssertTrue(output.stdout.contains("  \(name) "), "--help lacks \(name)")
        }
        XCTAssertFalse(output.stdout.contains("write-load"), "testing commands stay hidden")
    }

    func testATorqueRecordShowsUpInStatus() throws {
        let dir = try ScratchDirectory()
        let torque = try CommandLineRunner.run(["torque", "--db", "t.sqlite", "--cell", "LSPS-07", "--nm", "0.25", "--screws", "2",
                                                "--force-n", "31.4"], currentDirectory: dir.path)
        XCTAssertEqual(torque.status, 0, torque.stderr)
        XCTAssertTrue(torque.stdout.contains("0.250 N·m × 2 M3 screws; estimate 833 N = 265 MPa (K 0.20); measured 31.40 N = 9.99 MPa"), torque.stdout)
        let status = try CommandLineRunner.run(["status", "--db", "t.sqlite"], currentDirectory: dir.path)
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("cell LSPS-07  (2.00 mm, 0.0314 cm²)"), status.stdout)
        XCTAssertTrue(status.stdout.contains("0.250 N·m × 2 M3 screws, estimated 833 N = 265 MPa, measured 31.40 N = 9.99 MPa"), status.stdout)
    }

    func testBadTorqueIsRefusedBeforeTheDatabaseIsCreated() throws {
        let dir = try ScratchDirectory()
        let output = try CommandLineRunner.run(["torque", "--db", "t.sqlite", "--cell", "A", "--nm=-0.25"], currentDirectory: dir.path)
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("--nm must be a positive torque"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("t.sqlite")))
    }

    func testATorqueAboveWhatTheScrewTakesIsRefusedAndNothingStored() throws {
        let dir = try ScratchDirectory()
        _ = try CommandLineRunner.run(["torque", "--db", "t.sqlite", "--cell", "A", "--nm", "0.2"], currentDirectory: dir.path)
        let output = try CommandLineRunner.run(["torque", "--db", "t.sqlite", "--cell", "A", "--nm", "0.5", "--screw", "M2"], currentDirectory: dir.path)
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("0.500 N·m is above the 0.35 N·m an M2 screw takes"), output.stderr)
        let status = try CommandLineRunner.run(["status", "--db", "t.sqlite"], currentDirectory: dir.path)
        XCTAssertEqual(status.stdout.components(separatedBy: "assembled ").count - 1, 1, status.stdout)
    }

    func testStatusOnAMissingDatabaseSaysSoAndCreatesNothing() throws {
        let dir = try ScratchDirectory()
        let output = try CommandLineRunner.run(["status", "--db", "none.sqlite"], currentDirectory: dir.path)
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "cellpress: none.sqlite: no such database\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("none.sqlite")))
    }

    func testADatabaseUnderARegularFileIsAOneLineError() throws {
        let dir = try ScratchDirectory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.file("plain")))
        let output = try CommandLineRunner.run(["torque", "--db", dir.file("plain/db.sqlite"), "--cell", "A", "--nm", "0.2"])
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "cellpress: \(dir.file("plain/db.sqlite")): cannot create database: \(dir.file("plain")) is not a directory\n")
    }

    func testANewerSchemaIsRefusedByEveryCommandAndTheFileIsUntouched() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("future.sqlite")
        _ = try CommandLineRunner.run(["torque", "--db", path, "--cell", "A", "--nm", "0.2"])
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v2: from a newer cellpress')") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for arguments in [["torque", "--db", path, "--cell", "B", "--nm", "0.2"], ["status", "--db", path]] {
            let output = try CommandLineRunner.run(arguments)
            XCTAssertEqual(output.status, 1)
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains("\(path): database was written by a newer cellpress"), output.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    func testConfigCheckReportsEveryProblemAndFailsNonZero() throws {
        let dir = try ScratchDirectory()
        try "[database]\npath = 3\nbogus = 1\n".write(toFile: dir.file("c.toml"), atomically: true, encoding: .utf8)
        let output = try CommandLineRunner.run(["config", "check", dir.file("c.toml")])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("\(dir.file("c.toml")): database.path: expected a string, found integer"), output.stderr)
        XCTAssertTrue(output.stderr.contains("database.bogus: unknown key"), output.stderr)
        XCTAssertTrue(output.stderr.contains("rig: missing"), output.stderr)
    }

    func testCommandGroupsWithoutASubcommandListTheirSubcommands() throws {
        // `sensor` was the last command that said "not built yet"; the groups now show their parts.
        for (group, subcommands) in [("sensor", ["scan", "read"]), ("gpio", ["watch", "set", "get"])] {
            let output = try CommandLineRunner.run([group])
            XCTAssertEqual(output.status, 0, output.stderr)
            for name in subcommands { XCTAssertTrue(output.stdout.contains("\n  \(name) "), "\(group) lacks \(name): \(output.stdout)") }
        }
    }
}

final class OperationsCommandTests: XCTestCase {
    func testEventsAlarmsAndBackupWorkOnARealDatabase() throws {
        let dir = try ScratchDirectory()
        let db = dir.file("o.sqlite")
        _ = try CommandLineRunner.run(["torque", "--db", db, "--cell", "A", "--nm", "0.25"])
        let database = try AppDatabase.openForWriting(path: db)
        let cell = try XCTUnwrap(try database.cell(named: "A"))
        try database.record(Event(cellId: cell.id, runId: nil, kind: Event.Kind.alarm, message: "pressure 3.2 MPa below window 5–40 MPa", value: 3.2))
        let events = try CommandLineRunner.run(["events", "--db", db])
        XCTAssertEqual(events.status, 0, events.stderr)
        XCTAssertEqual(events.stdout.split(separator: "\n").count, 2, events.stdout)
        XCTAssertTrue(events.stdout.contains("torque: assembled: 0.250 N·m × 2 screws"), events.stdout)
        let alarms = try CommandLineRunner.run(["alarms", "--db", db])
        XCTAssertEqual(alarms.stdout.split(separator: "\n").count, 1, alarms.stdout)
        XCTAssertTrue(alarms.stdout.contains("alarm: pressure 3.2 MPa below window 5–40 MPa (3.2)"), alarms.stdout)
        let backup = try CommandLineRunner.run(["backup", "--db", db, "--out", dir.file("copy.sqlite")])
        XCTAssertEqual(backup.status, 0, backup.stderr)
        XCTAssertEqual(try AppDatabase.openReadOnly(path: dir.file("copy.sqlite")).events().count, 2)
        let again = try CommandLineRunner.run(["backup", "--db", db, "--out", dir.file("copy.sqlite")])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("refusing to overwrite"), again.stderr)
    }
}

final class WatchCommandTests: XCTestCase {
    func testOneFrameShowsTheNewestRunIn80By24() throws {
        let dir = try ScratchDirectory()
        let database = try AppDatabase.openForWriting(path: dir.file("w.sqlite"))
        let cell = try database.findOrCreateCell(named: "W", diameterMillimetres: 2)
        let run = try database.startRun(Run(cellId: cell.id!, startedUnixTimeSeconds: 100))
        let writer = SampleWriter(database: database)
        for i in 0..<30 {
            writer.append(EchemSample(runId: run.id!, unixTimeSeconds: 100 + Double(i), runTimeSeconds: Double(i),
                                      voltageVolts: 0.1 + 0.01 * Double(i), currentAmps: 31.4e-6, chargeCoulombs: 0, stepIndex: 2, cycle: 1))
            writer.append(ForceSample(cellId: cell.id!, runId: run.id!, sensorId: "s", unixTimeSeconds: 100 + Double(i), monotonicSeconds: 0,
                                      rawCounts: nil, forceNewtons: 31.4, pressureMegapascals: 10 - 0.1 * Double(i), temperatureCelsius: nil))
        }
        try writer.flush()
        let output = try CommandLineRunner.run(["watch", "--db", dir.file("w.sqlite"), "--once", "--ascii"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let text = output.stdout.replacingOccurrences(of: "\u{1B}[K", with: "").replacingOccurrences(of: "\u{1B}[H", with: "")
            .replacingOccurrences(of: "\u{1B}[J", with: "").replacingOccurrences(of: "\u{1B}[?25h", with: "")
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty || true }
        XCTAssertGreaterThanOrEqual(lines.count, 24)
        XCTAssertTrue(lines.allSatisfy { $0.count <= 80 })
        XCTAssertTrue(text.contains("run \(run.id!)"), text)
        XCTAssertTrue(text.contains("0.390 V") || text.contains("0.39 V"), text)
        XCTAssertTrue(text.contains("7.1") && text.contains("MPa"), text)
    }
}
