import Foundation
import XCTest
import Potentiostat

final class InstrumentCommandTests: XCTestCase {
    func testMethodScriptIsPrintedForAProtocolFileAndHoldsAreRefused() throws {
        let dir = try ScratchDirectory()
        let protocolText = "[cell]\ndiameter_mm = 2.0\n[[step]]\nkind = \"cc\"\ncurrent_ma_cm2 = 1.0\ncharge_mah_cm2 = 4.0\n[limits]\nvoltage_abs_max_v = 4.0\n"
        try protocolText.write(toFile: dir.file("p.toml"), atomically: true, encoding: .utf8)
        let output = try CommandLineRunner.run(["methodscript", dir.file("p.toml")])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("e\n"))
        XCTAssertTrue(output.stdout.hasSuffix("\n\n"), "a blank line ends the script")
        // 4 mAh/cm² at 1 mA/cm² is 4 h.
        XCTAssertTrue(output.stdout.contains("meas_loop_cp p c 31415927p 10 14400"), output.stdout)
        XCTAssertTrue(output.stdout.contains("on_finished:\n    cell_off\n"), output.stdout)
        try (protocolText + "[[step]]\nkind = \"hold\"\nduration_s = 60\n").write(toFile: dir.file("h.toml"), atomically: true, encoding: .utf8)
        let hold = try CommandLineRunner.run(["methodscript", dir.file("h.toml")])
        XCTAssertEqual(hold.status, 1)
        XCTAssertTrue(hold.stderr.contains("step[1]: hold steps"), hold.stderr)
        try "[cell]\ndiameter_mm = 2\n[[step]]\nkind = \"cc\"\n".write(toFile: dir.file("bad.toml"), atomically: true, encoding: .utf8)
        let bad = try CommandLineRunner.run(["methodscript", dir.file("bad.toml")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains(dir.file("bad.toml")) && bad.stderr.contains("step[0]"), bad.stderr)
    }

    func testTheEmulatorServesSCPIOnTCPAndStopsOnSIGTERM() throws {
        let (process, port) = try CommandLineRunner.startEmulator()
        let smu = try KeithleySourceMeter(host: "127.0.0.1", port: port)
        XCTAssertTrue(try smu.identify().contains("2450"))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
