import XCTest
@testable import Potentiostat

/// PyMeasure's own `Keithley2450` class (pyvisa-py, raw TCP socket) drives the emulator.
/// Needs `pip install pymeasure pyvisa-py`; skipped with a message when they are absent.
final class PyMeasureInteropTests: XCTestCase {
    static let script = """
    import sys
    from pymeasure.instruments.keithley import Keithley2450
    port = int(sys.argv[1])
    k = Keithley2450(f"TCPIP::127.0.0.1::{port}::SOCKET", visa_library="@py",
                     read_termination="\\n", write_termination="\\n", timeout=5000)
    print("IDN", k.id)
    k.reset()
    k.apply_current(compliance_voltage=4.5)
    k.measure_voltage()
    k.source_current = 31.4e-6
    k.enable_source()
    print("ENABLED", k.source_enabled)
    print("VPOS", k.voltage)
    k.source_current = -31.4e-6
    print("VNEG", k.voltage)
    print("ERRORS", len(k.check_errors()))
    k.disable_source()
    print("DISABLED", k.source_enabled)
    k.shutdown()
    print("DONE")
    """

    func runPython(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [ProcessInfo.processInfo.environment["CELLPRESS_PYTHON"] ?? "python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testPyMeasureKeithley2450AgainstEmulator() throws {
        guard let probe = try? runPython(["-c", "import pymeasure, pyvisa, pyvisa_py"]), probe.status == 0 else {
            throw XCTSkip("pymeasure/pyvisa-py not installed (pip install pymeasure pyvisa-py)")
        }
        let emulator = SMUEmulator(cell: SimulatedCell(voltageNoiseVolts: 1e-4), port: 0)
        let port = try emulator.start()
        defer { emulator.stop() }
        let scriptURL = FileManager.default.temporaryDirectory.appendingPathComponent("cellpress-pymeasure-\(getpid()).py")
        try Self.script.write(to: scriptURL, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: scriptURL) }
        let (status, output) = try runPython([scriptURL.path, String(port)])
        XCTAssertEqual(status, 0, output)
        func value(_ key: String) -> String? {
            output.split(separator: "\n").first { $0.hasPrefix(key + " ") }.map { String($0.dropFirst(key.count + 1)) }
        }
        XCTAssertTrue(value("IDN")?.contains("2450") ?? false, output)
        XCTAssertEqual(value("ENABLED"), "True", output)
        XCTAssertEqual(value("DISABLED"), "False", output)
        XCTAssertEqual(value("ERRORS"), "0", output)
        let vPos = try XCTUnwrap(value("VPOS").flatMap(Double.init), output)
        let vNeg = try XCTUnwrap(value("VNEG").flatMap(Double.init), output)
        // Fresh cell at ±1 mA/cm²: ±0.387 V (CellModelTests).
        XCTAssertEqual(vPos, 0.387, accuracy: 0.05)
        XCTAssertEqual(vNeg, -0.387, accuracy: 0.05)
        XCTAssertTrue(output.split(separator: "\n").contains("DONE"), output)
        XCTAssertFalse(emulator.isOutputOn)
        XCTAssertEqual(emulator.emulation.voltageLimit, 4.5)
    }
}
