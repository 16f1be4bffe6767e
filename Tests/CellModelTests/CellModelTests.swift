import XCTest
@testable import CellModel

final class CellModelTests: XCTestCase {
    let p = CellParameters()

    func testAreaAndCurrentDensityConversion() {
        XCTAssertEqual(p.areaSquareCentimetres, 0.031_415_9, accuracy: 1e-6)
        XCTAssertEqual(p.currentAmps(milliampsPerSquareCentimetre: 1), 31.4159e-6, accuracy: 1e-9)
    }

    /// Hand: 31.4e-6 A × 0.1 cm / (2.1e-3 S/cm × 0.0314159 cm²) = 0.047595 V.
    func testElectrolyteOhmicDropIs48mV() {
        let v = CellVoltage.electrolyteOhmicDropVolts(currentAmps: 31.4e-6, parameters: p)
        XCTAssertEqual(v, 0.047595, accuracy: 2e-5)
    }

    /// Hand: RT/F = 0.025262 V; i = 1 mA/cm² / 0.22 = 4.545 mA/cm²; asinh(2.2727) = 1.5593;
    /// η = 0.025262 / 0.5 × 1.5593 = 0.07878 V.
    func testSymmetricButlerVolmerClosedForm() throws {
        XCTAssertEqual(p.thermalVoltageVolts, 0.025262, accuracy: 1e-6)
        let eta = try ButlerVolmer.overpotential(currentDensity: 1e-3 / 0.22, exchangeCurrentDensity: 1e-3,
                                                 anodicAlpha: 0.5, cathodicAlpha: 0.5, thermalVoltageVolts: 0.025262)
        XCTAssertEqual(eta, 0.07878, accuracy: 5e-5)
        let back = ButlerVolmer.currentDensity(overpotentialVolts: eta, exchangeCurrentDensity: 1e-3,
                                               anodicAlpha: 0.5, cathodicAlpha: 0.5, thermalVoltageVolts: 0.025262)
        XCTAssertEqual(back, 1e-3 / 0.22, accuracy: 1e-9)
    }

    func testAsymmetricButlerVolmerNewtonRoundTrips() throws {
        for i in [-5e-2, -1e-3, -1e-6, 0, 2e-6, 4.5e-3, 0.3] {
            let eta = try ButlerVolmer.overpotential(currentDensity: i, exchangeCurrentDensity: 1e-3,
                                                     anodicAlpha: 0.3, cathodicAlpha: 0.7, thermalVoltageVolts: 0.025262)
            let back = ButlerVolmer.currentDensity(overpotentialVolts: eta, exchangeCurrentDensity: 1e-3,
                                                   anodicAlpha: 0.3, cathodicAlpha: 0.7, thermalVoltageVolts: 0.025262)
            XCTAssertEqual(back, i, accuracy: 1e-9 + abs(i) * 1e-9, "i=\(i)")
            XCTAssertEqual(eta.sign, i.sign == .minus && i != 0 ? .minus : .plus)
        }
        // Small-signal: η ≈ RT i / ((αa+αc) F i0) (linear region).
        let eta = try ButlerVolmer.overpotential(currentDensity: 1e-6, exchangeCurrentDensity: 1e-3,
                                                 anodicAlpha: 0.3, cathodicAlpha: 0.7, thermalVoltageVolts: 0.025262)
        XCTAssertEqual(eta, 0.025262 * 1e-3, accuracy: 1e-7)
    }

    func testInvalidExchangeCurrentThrows() {
        XCTAssertThrowsError(try ButlerVolmer.overpotential(currentDensity: 1, exchangeCurrentDensity: 0,
                                                            anodicAlpha: 0.5, cathodicAlpha: 0.5, thermalVoltageVolts: 0.025))
    }

    /// Initial voltage at 1 mA/cm²: 2 × 0.07878 (BV) + 0.04760 (LSPS) + 2 × interphase
    /// (31.4159e-6 × 2e-4 cm / (1e-5 S/cm × 0.0314159 × 0.22) = 0.09091 V each) = 0.3871 V.
    func testInitialCellVoltageAndAntisymmetry() throws {
        let s = CellState(parameters: p)
        let i = p.currentAmps(milliampsPerSquareCentimetre: 1)
        let v = try s.voltageVolts(currentAmps: i)
        XCTAssertEqual(v, 2 * 0.07878 + 0.047_60 + 2 * 0.090_91, accuracy: 5e-4)
        XCTAssertEqual(try s.voltageVolts(currentAmps: -i), -v, accuracy: 1e-12)
        XCTAssertEqual(try s.voltageVolts(currentAmps: 0), 0, accuracy: 1e-12)
    }

    /// 4 mAh/cm² = 14.4 C/cm² → 1.49245e-4 mol/cm² of Li; moved from metal (13.0) into
    /// interphase (9.0): −5.970 µm of stack; × 0.5 MPa/µm → 12 − 2.985 = 9.015 MPa.
    func testStackThinsAndPressureFallsWithCharge() {
        var s = CellState(parameters: p)
        let i = p.currentAmps(milliampsPerSquareCentimetre: 1)
        s.step(currentAmps: i, durationSeconds: 4 * 3600)
        XCTAssertEqual(s.topStrippedMilliampHoursPerSquareCentimetre, 4.0, accuracy: 1e-9)
        XCTAssertEqual(s.stackThicknessChangeMicrometres, -5.970, accuracy: 2e-3)
        // 2 × 100 µm Li + 1000 µm LSPS + 2 × 2 µm interphase = 1204 µm at assembly.
        XCTAssertEqual(s.stackThicknessMicrometres, 1204 - 5.970, accuracy: 2e-3)
        XCTAssertEqual(s.stackPressureMegapascals, 9.015, accuracy: 2e-3)
        XCTAssertEqual(s.stackForceNewtons, 9.015 * 3.14159, accuracy: 1e-2)
        // Li metal: 1.49245e-4 mol/cm² × 13.0 cm³/mol = 19.40 µm stripped from the top (paper ≈ 20 µm).
        XCTAssertEqual(s.topLithiumThicknessMicrometres, 100 - 19.40, accuracy: 0.02)
        XCTAssertEqual(s.bottomInterphaseThicknessMicrometres, 2 + 8, accuracy: 1e-6)
        XCTAssertEqual(s.chargeCoulombs, i * 4 * 3600, accuracy: 1e-12)
    }

    /// θ² = θ0² − 2kθ0 q: after 4.5 mAh/cm² with k = 0.22/18, θ = 0.22 × √(1 − 0.5) = 0.15556.
    func testContactLawAtStrippingInterface() {
        var s = CellState(parameters: p)
        s.step(currentAmps: p.currentAmps(milliampsPerSquareCentimetre: 1), durationSeconds: 4.5 * 3600)
        XCTAssertEqual(s.topContactFraction, 0.155_56, accuracy: 1e-4)
        // Plating side loses 8.9 %/4 mAh/cm² (compounded): 0.22 × exp(−0.02225 × 4.5) ≈ 0.19925.
        XCTAssertEqual(s.bottomContactFraction, 0.22 * exp(-0.02225 * 4.5), accuracy: 5e-4)
    }

    /// At 1 mA/cm² the voltage reaches the 4 V cut-off near 9 h (paper: ~9 h).
    func testVoltageRunsAwayNearNineHours() throws {
        var s = CellState(parameters: p)
        let i = p.currentAmps(milliampsPerSquareCentimetre: 1)
        var cutOffHours: Double?
        var voltageAtOneHour = 0.0
        for minute in 1...(12 * 60) {
            s.step(currentAmps: i, durationSeconds: 60)
            let v = try s.voltageVolts(currentAmps: i)
            if minute == 60 { voltageAtOneHour = v }
            if abs(v) >= 4 { cutOffHours = Double(minute) / 60; break }
        }
        let hours = try XCTUnwrap(cutOffHours, "no runaway within 12 h")
        XCTAssertGreaterThan(hours, 8.5)
        XCTAssertLessThan(hours, 9.5)
        XCTAssertLessThan(voltageAtOneHour, 0.8)
    }
}
