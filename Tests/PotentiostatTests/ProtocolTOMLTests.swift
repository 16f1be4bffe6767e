import XCTest
@testable import Potentiostat

final class ProtocolTOMLTests: XCTestCase {
    let paperProtocol = """
    [cell]
    diameter_mm = 2.0

    [[step]]
    kind = "cc"
    current_ma_cm2 = 1.0
    charge_mah_cm2 = 4.0
    voltage_v = 3.5

    [[step]]
    kind = "rest"
    duration_s = 600

    [[step]]
    kind = "cc"
    current_a = -31.4e-6
    charge_mah_cm2 = 4

    [[step]]
    kind = "hold"

    [loop]
    repeat = 3

    [limits]
    voltage_abs_max_v = 4.0
    pressure_min_mpa = 5
    pressure_max_mpa = 20.0
    pressure_action = "abort"
    max_duration_h = 48
    soft_short_v = 0.005
    """

    func testParsesPaperProtocol() throws {
        let p = try GalvanostaticProtocol.parse(toml: paperProtocol)
        XCTAssertEqual(p.areaSquareCentimetres, 0.031_415_9, accuracy: 1e-6)
        XCTAssertEqual(p.steps.count, 4)
        XCTAssertEqual(p.steps[0].currentAmps, 31.4159e-6, accuracy: 1e-10)   // 1 mA/cm² × 0.0314 cm²
        XCTAssertEqual(p.steps[0].chargeMilliampHoursPerSquareCentimetre, 4)
        XCTAssertEqual(p.steps[0].endVoltageVolts, 3.5)
        XCTAssertEqual(p.steps[1], ProtocolStep(kind: .rest, durationSeconds: 600))
        XCTAssertEqual(p.steps[2].kind, .constantCurrent(amps: -31.4e-6))
        XCTAssertEqual(p.steps[3].kind, .hold)
        XCTAssertEqual(p.repeatCount, 3)
        XCTAssertEqual(p.limits, ProtocolLimits(voltageAbsoluteMaximumVolts: 4,
                                                pressureWindow: PressureWindow(minimumMegapascals: 5, maximumMegapascals: 20, action: .abort),
                                                maximumDurationHours: 48, softShortVolts: 0.005))
    }

    func testAreaAndDefaults() throws {
        let p = try GalvanostaticProtocol.parse(toml: "[cell]\narea_cm2 = 0.5\n[[step]]\nkind = \"cc\"\ncurrent_ma_cm2 = 2\nduration_s = 10\n")
        XCTAssertEqual(p.steps[0].currentAmps, 1e-3, accuracy: 1e-12)
        XCTAssertEqual(p.repeatCount, 1)
        XCTAssertEqual(p.limits.voltageAbsoluteMaximumVolts, 4)
        XCTAssertNil(p.limits.pressureWindow)
    }

    func assertInvalid(_ toml: String, keyPath: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try GalvanostaticProtocol.parse(toml: toml), file: file, line: line) { error in
            guard case .invalid(let k, _)? = error as? ProtocolError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(k, keyPath, file: file, line: line)
        }
    }

    func testErrorsNameTheKeyPath() {
        let cell = "[cell]\ndiameter_mm = 2\n"
        assertInvalid("[[step]]\nkind = \"rest\"\nduration_s = 1\n", keyPath: "cell")
        assertInvalid(cell + "[[step]]\nkind = \"rest\"\nduration_s = 1\n[[step]]\nkind = \"cc\"\ncurrent_ma_cm2 = \"one\"\nduration_s = 1\n",
                      keyPath: "step[1].current_ma_cm2")
        assertInvalid(cell + "[[step]]\nkind = \"cv\"\n", keyPath: "step[0].kind")
        assertInvalid(cell + "[[step]]\nkind = \"cc\"\ncurrent_a = 1e-6\n", keyPath: "step[0]")
        assertInvalid(cell + "[[step]]\nkind = \"rest\"\nduration_s = -5\n", keyPath: "step[0].duration_s")
        assertInvalid(cell + "[[step]]\nkind = \"rest\"\ncharge_mah_cm2 = 1\n", keyPath: "step[0].charge_mah_cm2")
        assertInvalid(cell + "[[step]]\nkind = \"rest\"\nduration_s = 5\ncolour = 1\n", keyPath: "step[0].colour")
        assertInvalid(cell + "[[step]]\nkind = \"rest\"\nduration_s = 5\n[loop]\nrepeat = 0\n", keyPath: "loop.repeat")
        assertInvalid(cell + "[[step]]\nkind = \"rest\"\nduration_s = 5\n[limits]\npressure_action = \"panic\"\n", keyPath: "limits.pressure_action")
        assertInvalid(cell + "[[step]]\nkind = \"rest\"\nduration_s = 5\n[limits]\npressure_min_mpa = 20\npressure_max_mpa = 5\n",
                      keyPath: "limits.pressure_min_mpa")
        assertInvalid(cell, keyPath: "step")
    }

    func testSyntaxErrorHasLine() {
        XCTAssertThrowsError(try GalvanostaticProtocol.parse(toml: "[cell]\ndiameter_mm = = 2\n")) { error in
            guard case .syntax(let line, _, _)? = error as? ProtocolError else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 2)
        }
    }
}
