import Foundation
import XCTest
import Potentiostat
import Store

/// `cellpress run` as a child process, the way systemd runs it.
final class DaemonTests: XCTestCase {
    private func writeConfig(_ dir: ScratchDirectory, instrument: String, extraDatabase: String = "", sensorRate: Double = 20) throws -> String {
        let protocolText = "[cell]\ndiameter_mm = 2.0\n[[step]]\nkind = \"cc\"\ncurrent_ma_cm2 = 1.0\nduration_s = 36000\n[limits]\nvoltage_abs_max_v = 4.0\n"
        try protocolText.write(toFile: dir.file("p.toml"), atomically: true, encoding: .utf8)
        let config = """
            [database]
            path = "\(dir.file("agent.sqlite"))"
            commit_interval_s = 0.2
            \(extraDatabase)
            [[rig]]
            name = "rig-1"
            protocol = "p.toml"
            [rig.cell]
            name = "LSPS-T"
            diameter_mm = 2
            [rig.sensor]
            chip = "simulated"
            rate_hz = \(sensorRate)
            id = "force-1"
            [rig.instrument]
            \(instrument)
            sample_interval_s = 0.05
            """
        try config.write(toFile: dir.file("c.toml"), atomically: true, encoding: .utf8)
        return dir.file("c.toml")
    }

    private func waitForRows(_ path: String, table: String, atLeast: Int, timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path),
               let count = try? AppDatabase.openReadOnly(path: path).count(table: table), count >= atLeast { return }
            usleep(100_000)
        }
        XCTFail("\(table) never reached \(atLeast) rows")
    }

    func testSIGTERMSwitchesTheInstrumentOffFlushesAndExitsZeroWithinTwoSeconds() throws {
        let dir = try ScratchDirectory()
        // The emulator keeps sourcing when its client disconnects, like a real 2450: only the
        // agent can have switched it off.
        let (emulator, port) = try CommandLineRunner.startEmulator(extraArguments: ["--no-off-on-disconnect"])
        defer { emulator.terminate(); emulator.waitUntilExit() }
        let config = try writeConfig(dir, instrument: "kind = \"keithley2450\"\nhost = \"127.0.0.1\"\nport = \(port)")
        let (agent, _) = try CommandLineRunner.start(["run", "--config", config, "--start"])
        try waitForRows(dir.file("agent.sqlite"), table: "echem_sample", atLeast: 10)

        // status and export work while the daemon writes.
        let status = try CommandLineRunner.run(["status", "--db", dir.file("agent.sqlite")])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("run 1 running"), status.stdout)
        let export = try CommandLineRunner.run(["export", "--db", dir.file("agent.sqlite"), "--run", "1", "--out", dir.file("live.csv")])
        XCTAssertEqual(export.status, 0, export.stderr)

        let signalled = Date()
        kill(agent.processIdentifier, SIGTERM)
        agent.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 2.0, "graceful stop within 2 s")
        XCTAssertEqual(agent.terminationReason, .exit)
        XCTAssertEqual(agent.terminationStatus, 0)

        let channel = SCPIChannel(transport: try TCPTransport(host: "127.0.0.1", port: port))
        XCTAssertEqual(try channel.query(":OUTP?"), "0", "the agent switched the output off")

        let database = try AppDatabase.openReadOnly(path: dir.file("agent.sqlite"))
        XCTAssertEqual(try database.integrityCheck(), "ok")
        let run = try XCTUnwrap(try database.run(id: 1))
        XCTAssertEqual(run.status, .aborted)
        XCTAssertTrue(run.endReason.contains("cancelled"), run.endReason)
        let last = try database.echemSamples(runId: 1).last!
        XCTAssertEqual(last.currentAmps, 31.4e-6, accuracy: 1e-6, "samples up to the end were flushed")
    }

    func testAfterSIGKILLTheDatabaseIsSoundAndTheRestartLeavesTheOutputOff() throws {
        let dir = try ScratchDirectory()
        let config = try writeConfig(dir, instrument: "kind = \"simulated\"", sensorRate: 100)
        var rng = SystemRandomNumberGenerator()
        var stored = 0
        for round in 0..<50 {
            let (agent, _) = try CommandLineRunner.start(["run", "--config", config] + (round == 0 ? ["--start"] : []))
            try waitForRows(dir.file("agent.sqlite"), table: "force_sample", atLeast: stored + 5)
            usleep(UInt32.random(in: 0...300_000, using: &rng))
            let committedBefore = try AppDatabase.openReadOnly(path: dir.file("agent.sqlite")).count(table: "force_sample")
            kill(agent.processIdentifier, SIGKILL)
            let killed = Date().timeIntervalSince1970
            agent.waitUntilExit()
            let database = try AppDatabase.openReadOnly(path: dir.file("agent.sqlite"))
            XCTAssertEqual(try database.integrityCheck(), "ok", "round \(round)")
            stored = try database.count(table: "force_sample")
            XCTAssertGreaterThanOrEqual(stored, committedBefore, "round \(round): a committed row vanished")
            // At most the last batch is lost: commits are 0.2 s apart in this configuration.
            let newest = try XCTUnwrap(try database.writer.read { try Double.fetchOne($0, sql: "SELECT MAX(unix_time_s) FROM force_sample") })
            XCTAssertLessThan(killed - newest, 1.0, "round \(round): more than the last batch is missing")
        }
        // The restart closed the run the first kill interrupted, and started none of its own.
        let resume = try CommandLineRunner.run(["run", "--config", config, "--resume"])
        XCTAssertEqual(resume.status, 0, resume.stderr)
        XCTAssertTrue(resume.stdout.contains("no interrupted runs"), resume.stdout)
        let runs = try AppDatabase.openReadOnly(path: dir.file("agent.sqlite")).runs()
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].status, .interrupted)
    }

    func testAFullDatabaseStopsTheAgentWithTheOutputOffAndNoCorruption() throws {
        let dir = try ScratchDirectory()
        let config = try writeConfig(dir, instrument: "kind = \"simulated\"", extraDatabase: "max_size_mb = 0.3", sensorRate: 300)
        let (agent, _) = try CommandLineRunner.start(["run", "--config", config, "--start"])
        let deadline = Date().addingTimeInterval(60)
        while agent.isRunning && Date() < deadline { usleep(100_000) }
        XCTAssertFalse(agent.isRunning, "the agent stops on a full database")
        if agent.isRunning { agent.terminate() }
        agent.waitUntilExit()
        XCTAssertEqual(agent.terminationStatus, 3)
        let database = try AppDatabase.openReadOnly(path: dir.file("agent.sqlite"))
        XCTAssertEqual(try database.integrityCheck(), "ok")
        XCTAssertGreaterThan(try database.count(table: "force_sample"), 100, "what was stored is kept")
    }
}
