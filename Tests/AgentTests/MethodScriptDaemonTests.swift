import Foundation
import XCTest
import Store

/// `cellpress run` driving a PalmSens-like instrument over TCP with MethodSCRIPT: a small
/// Python peer plays the instrument (echo, packets, abort on `Z`).
final class MethodScriptDaemonTests: XCTestCase {
    /// Listens on 127.0.0.1, prints its port, reads the script up to the blank line, then sends
    /// `packets` samples one per 0.1 s; on `Z` it prints ABORTED and ends the script.
    static let fakeInstrument = #"""
    import socket, sys, select, time
    packets = int(sys.argv[1])
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
    print(s.getsockname()[1], flush=True)
    c, _ = s.accept()
    buf = b""
    while not buf.endswith(b"\n\n"):
        chunk = c.recv(4096)
        if not chunk: sys.exit(1)
        buf += chunk
    print("SCRIPT", buf.count(b"\n"), "lines", flush=True)
    def v(code, value, prefix): return "%s%07X%s" % (code, int(round(value)) + 2**27, prefix)
    c.sendall(b"e\nM0007\n")
    for i in range(1, packets + 1):
        r, _, _ = select.select([c], [], [], 0.1)
        if r:
            data = c.recv(64)
            if b"Z" in data:
                print("ABORTED", flush=True)
                c.sendall(b"*\n\n"); c.close(); sys.exit(0)
        line = "P" + ";".join([v("eb", i * 1000, "m"), v("ja", 1, "i"), v("ab", 387000 + i, "u"), v("ba", 31400, "n")]) + "\n"
        c.sendall(line.encode())
    c.sendall(b"*\n\n")
    print("FINISHED", flush=True)
    time.sleep(0.5)
    """#

    private func startInstrument(packets: Int) throws -> (Process, Pipe, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.fakeInstrument, "\(packets)"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = ""
        while !line.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        let port = try XCTUnwrap(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)), "fake instrument said: \(line)")
        return (process, out, port)
    }

    private func config(_ dir: ScratchDirectory, port: Int) throws -> String {
        try "[cell]\ndiameter_mm = 2.0\n[[step]]\nkind = \"cc\"\ncurrent_ma_cm2 = 1.0\nduration_s = 3600\n[limits]\nvoltage_abs_max_v = 4.0\n"
            .write(toFile: dir.file("p.toml"), atomically: true, encoding: .utf8)
        try """
            [database]
            path = "\(dir.file("ms.sqlite"))"
            commit_interval_s = 0.2
            [[rig]]
            name = "ps"
            protocol = "p.toml"
            [rig.cell]
            name = "PS-1"
            diameter_mm = 2
            [rig.instrument]
            kind = "methodscript"
            host = "127.0.0.1"
            port = \(port)
            sample_interval_s = 1
            """.write(toFile: dir.file("c.toml"), atomically: true, encoding: .utf8)
        return dir.file("c.toml")
    }

    func testAFinishedScriptIsStoredAsACompletedRun() throws {
        let dir = try ScratchDirectory()
        let (instrument, out, port) = try startInstrument(packets: 5)
        let (agent, _) = try CommandLineRunner.start(["run", "--config", try config(dir, port: port), "--start"])
        instrument.waitUntilExit()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(said.contains("FINISHED"), said)
        let deadline = Date().addingTimeInterval(10)
        var run: Run?
        while Date() < deadline {
            run = try? AppDatabase.openReadOnly(path: dir.file("ms.sqlite")).run(id: 1)
            if run?.status == .completed { break }
            usleep(100_000)
        }
        kill(agent.processIdentifier, SIGTERM)
        agent.waitUntilExit()
        XCTAssertEqual(run?.status, .completed, run?.endReason ?? "no run")
        let samples = try AppDatabase.openReadOnly(path: dir.file("ms.sqlite")).echemSamples(runId: 1)
        XCTAssertEqual(samples.count, 5)
        XCTAssertEqual(samples.last!.voltageVolts, 0.387005, accuracy: 1e-9)
        XCTAssertEqual(samples.last!.chargeCoulombs, 31.4e-6 * 4, accuracy: 1e-9, "charge integrated over 4 s")
    }

    func testSIGTERMAbortsTheScriptOnTheInstrument() throws {
        let dir = try ScratchDirectory()
        let (instrument, out, port) = try startInstrument(packets: 600)
        let (agent, _) = try CommandLineRunner.start(["run", "--config", try config(dir, port: port), "--start"])
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, ((try? AppDatabase.openReadOnly(path: dir.file("ms.sqlite")).count(table: "echem_sample")) ?? 0) < 3 {
            usleep(100_000)
        }
        kill(agent.processIdentifier, SIGTERM)
        agent.waitUntilExit()
        XCTAssertEqual(agent.terminationStatus, 0)
        instrument.waitUntilExit()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(said.contains("ABORTED"), "the instrument received Z: \(said)")
        let run = try XCTUnwrap(try AppDatabase.openReadOnly(path: dir.file("ms.sqlite")).run(id: 1))
        XCTAssertEqual(run.status, .aborted)
        XCTAssertTrue(run.endReason.contains("cancelled"), run.endReason)
    }
}
