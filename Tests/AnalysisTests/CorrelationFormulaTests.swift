import XCTest
@testable import Analysis

/// Hand-computed cases from SCIENCE.md's numbers (2 mm cell = 0.0314 cm², 4 mA/cm² for 1 h,
/// 340 µm analysis cube, Li 13.0 cm³/mol).
final class CorrelationFormulaTests: XCTestCase {
    let electrodeAreaSquareMicrometres = 3.14e6
    let analysedAreaSquareMicrometres = 340.0 * 340.0

    func testLithiumCurrentFractionHandComputed() throws {
        // Q = 4 mAh/cm² × 0.0314 cm² = 0.45216 C; in 340×340 µm²: Q × 115600/3.14e6 = 0.0166464 C.
        // 1.6e6 µm³ = 1.6e-6 cm³ → /13.0 = 1.230769e-7 mol → ×F = 0.0118751 C → 0.71337.
        let f = try XCTUnwrap(Electrochemistry.lithiumCurrentFraction(
            lithiumVolumeLostCubicMicrometres: 1.6e6, chargeCoulombs: 0.45216,
            analysedAreaSquareMicrometres: analysedAreaSquareMicrometres,
            electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres))
        XCTAssertEqual(f, 0.71337, accuracy: 5e-5)
        // 1.1e6 µm³ lost for the same charge → 0.49044 (the paper's second half cycle: 0.51).
        let f2 = try XCTUnwrap(Electrochemistry.lithiumCurrentFraction(
            lithiumVolumeLostCubicMicrometres: 1.1e6, chargeCoulombs: 0.45216,
            analysedAreaSquareMicrometres: analysedAreaSquareMicrometres,
            electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres))
        XCTAssertEqual(f2, 0.49044, accuracy: 5e-5)
    }

    func testFullStrippingOf4mAhIsAbout19Micrometres() throws {
        // 4 mAh/cm² of Li is ≈ 19.4 µm (SCIENCE.md: "≈ 20 µm"); losing exactly that
        // thickness over the analysed area must give a fraction of 1.
        let thicknessMicrometres = 4 * 3.6 / 96485.33212 * 13.0 * 1e4 // cm → µm
        XCTAssertEqual(thicknessMicrometres, 19.40, accuracy: 0.01)
        let f = try XCTUnwrap(Electrochemistry.lithiumCurrentFraction(
            lithiumVolumeLostCubicMicrometres: thicknessMicrometres * analysedAreaSquareMicrometres,
            chargeCoulombs: 0.45216, analysedAreaSquareMicrometres: analysedAreaSquareMicrometres,
            electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres))
        XCTAssertEqual(f, 1, accuracy: 1e-9)
    }

    func testPartialMolarVolumeHandComputed() throws {
        // 1 mAh/cm² over 0.0314 cm² = 0.11304 C = 1.17157e-6 mol. The stack shrinks 1 µm:
        // ΔV = −1e-4 cm × 0.0314 cm² = −3.14e-6 cm³ → V̄ = 13.0 − 2.6801 = 10.3199 cm³/mol.
        let v = try XCTUnwrap(Electrochemistry.interphasePartialMolarVolume(
            stackThicknessChangeMicrometres: -1, chargeCoulombs: 0.11304,
            electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres))
        XCTAssertEqual(v, 10.3199, accuracy: 1e-4)
        // No thickness change: interphase Li takes exactly the metal's volume.
        XCTAssertEqual(try XCTUnwrap(Electrochemistry.interphasePartialMolarVolume(
            stackThicknessChangeMicrometres: 0, chargeCoulombs: 0.11304,
            electrodeAreaSquareMicrometres: electrodeAreaSquareMicrometres)), 13.0, accuracy: 1e-12)
    }

    func testEffectiveCurrentDensityAndPercentChange() throws {
        // 126 µA over 25 % of 0.0314 cm² = 16.05 mA/cm² (4× the nominal 4 mA/cm²).
        let j = try XCTUnwrap(Electrochemistry.effectiveCurrentDensityMilliampsPerSquareCentimetre(
            currentAmps: -126e-6, contactAreaSquareMicrometres: 0.25 * 3.14e6))
        XCTAssertEqual(j, 0.126 / (0.25 * 0.0314), accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(Electrochemistry.percentChange(from: 1000, to: 911)), -8.9, accuracy: 1e-9)
        XCTAssertNil(Electrochemistry.percentChange(from: 0, to: 1))
    }

    func testBadInputsGiveNil() {
        XCTAssertNil(Electrochemistry.lithiumCurrentFraction(lithiumVolumeLostCubicMicrometres: 1, chargeCoulombs: 0,
                                                             analysedAreaSquareMicrometres: 1, electrodeAreaSquareMicrometres: 1))
        XCTAssertNil(Electrochemistry.interphasePartialMolarVolume(stackThicknessChangeMicrometres: 1, chargeCoulombs: -1,
                                                                   electrodeAreaSquareMicrometres: 1))
        XCTAssertNil(Electrochemistry.effectiveCurrentDensityMilliampsPerSquareCentimetre(currentAmps: 1, contactAreaSquareMicrometres: 0))
    }
}
