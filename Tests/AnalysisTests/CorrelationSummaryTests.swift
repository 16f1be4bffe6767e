import XCTest
@testable import Analysis

/// A synthetic run with known physics (used by the summary and report tests):
/// +126 µA (4 mA/cm²) for 4 h strips the top, −126 µA for 4 h strips the bottom, then rest.
/// Li lost at the stripping electrode = fraction × charge (0.72, then 0.51); the stack
/// shrinks as an interphase of V̄ = 11 cm³/mol forms, plus a 0.3 µm wobble (period 1.5 h);
/// pressure = 12 MPa + stiffness × Δthickness (lagged by `pressureLagSeconds`) + noise;
/// |V| = 0.05 V + 0.025 V/(mA/cm²) × I/(contact fraction × area). Scans: 7 min every 15 min
/// on a beamline clock 1000 s behind the logger.
struct CorrelationSyntheticRun {
    static let currentAmps = 126e-6
    static let halfCycleSeconds = 14400.0
    static let electrodeAreaSquareMicrometres = 3.14e6
    static let analysedAreaSquareMicrometres = 340.0 * 340.0
    static let stiffnessMegapascalsPerMicrometre = 0.5
    static let fractions = (first: 0.72, second: 0.51)
    static let interphaseMolarVolume = 11.0
    static let asrVoltsPerMilliampPerSquareCentimetre = 0.025
    static let clockOffsetSeconds = 1000.0
    static let faraday = 96485.33212

    var pressureLagSeconds = 0.0
    var includeScans = true
    var includePressure = true

    static func current(_ t: Double) -> Double {
        if t >= 0 && t < halfCycleSeconds { return currentAmps }
        if t >= halfCycleSeconds && t < 2 * halfCycleSeconds { return -currentAmps }
        return 0
    }
    /// Charge passed in the first (top-stripping) and second (bottom-stripping) half cycles so far.
    static func chargeTop(_ t: Double) -> Double { currentAmps * min(max(t, 0), halfCycleSeconds) }
    static func chargeBottom(_ t: Double) -> Double { currentAmps * min(max(t - halfCycleSeconds, 0), halfCycleSeconds) }
    static func chargeTotal(_ t: Double) -> Double { chargeTop(t) + chargeBottom(t) }

    static func lithiumMicrometres3PerCoulomb(_ fraction: Double) -> Double {
        fraction * analysedAreaSquareMicrometres / electrodeAreaSquareMicrometres / faraday * 13.0 * 1e12
    }
    static func topVolume(_ t: Double) -> Double { 1.0e7 - lithiumMicrometres3PerCoulomb(fractions.first) * chargeTop(t) }
    static func bottomVolume(_ t: Double) -> Double { 1.0e7 - lithiumMicrometres3PerCoulomb(fractions.second) * chargeBottom(t) }

    static func ramp(_ t: Double, _ a: Double, _ b: Double, from t0: Double, to t1: Double) -> Double {
        a + (b - a) * min(max((t - t0) / (t1 - t0), 0), 1)
    }
    static func topFraction(_ t: Double) -> Double { ramp(t, 0.25, 0.20, from: 0, to: halfCycleSeconds) }
    static func bottomFraction(_ t: Double) -> Double {
        let b1 = 0.24 * (1 - 0.089)
        return t < halfCycleSeconds ? ramp(t, 0.24, b1, from: 0, to: halfCycleSeconds)
                                    : ramp(t, b1, b1 * (1 - 0.471), from: halfCycleSeconds, to: 2 * halfCycleSeconds)
    }
    static func thickness(_ t: Double) -> Double {
        let micrometresPerCoulomb = (interphaseMolarVolume - 13.0) / (electrodeAreaSquareMicrometres * 1e-8 * faraday) * 1e4
        return 1100 + micrometresPerCoulomb * chargeTotal(t) + 0.3 * sin(2 * Double.pi * t / 5400)
    }
    static func voltage(_ t: Double) -> Double {
        let i = current(t)
        guard i != 0 else { return 0 }
        let f = i > 0 ? topFraction(t) : bottomFraction(t)
        let j = abs(i) * 1000 / (f * electrodeAreaSquareMicrometres * 1e-8)
        return (i > 0 ? 1 : -1) * (0.05 + asrVoltsPerMilliampPerSquareCentimetre * j)
    }

    func input() -> CorrelationInput {
        var noise = CorrelationTestNoise(seed: 11)
        let t = stride(from: -1000.0, through: 30000, by: 10).map { $0 }
        var input = CorrelationInput()
        input.voltageVolts = TimeSeries(timeUnixSeconds: t, values: t.map(Self.voltage))
        input.currentAmps = TimeSeries(timeUnixSeconds: t, values: t.map(Self.current))
        if includePressure {
            input.pressureMegapascals = TimeSeries(timeUnixSeconds: t, values: t.map {
                12 + Self.stiffnessMegapascalsPerMicrometre * (Self.thickness($0 - pressureLagSeconds) - 1100) + noise.gaussian(sigma: 0.01)
            })
            input.forceNewtons = input.pressureMegapascals.mapValues { $0 * 3.14 }
        }
        if includeScans {
            input.scans = (0..<34).map { k in
                let start = -900 + 900 * Double(k), mid = start + 210
                let top = InterfaceMeasurement(lithiumVolumeCubicMicrometres: Self.topVolume(mid),
                                               contactAreaSquareMicrometres: Self.topFraction(mid) * Self.analysedAreaSquareMicrometres,
                                               contactFraction: Self.topFraction(mid),
                                               contactMap: Self.map(fraction: Self.topFraction(mid)))
                let bottom = InterfaceMeasurement(lithiumVolumeCubicMicrometres: Self.bottomVolume(mid),
                                                  contactAreaSquareMicrometres: Self.bottomFraction(mid) * Self.analysedAreaSquareMicrometres,
                                                  contactFraction: Self.bottomFraction(mid))
                return ScanRecord(id: k + 1, label: "scan \(k + 1)",
                                  startUnixSeconds: start - Self.clockOffsetSeconds,
                                  endUnixSeconds: start + 420 - Self.clockOffsetSeconds,
                                  top: top, bottom: bottom, stackThicknessMicrometres: Self.thickness(mid),
                                  analysedAreaSquareMicrometres: Self.analysedAreaSquareMicrometres)
            }
        }
        input.clockOffsetSeconds = Self.clockOffsetSeconds
        input.cutoffVolts = 4
        input.metadata = [MetadataItem("Cell", "Li/LSPS/Li, 2 mm"), MetadataItem("Torque", "0.25 N·m <per screw>")]
        return input
    }

    /// A 40×20 contact map with the left `fraction` of each row in contact.
    static func map(fraction: Double) -> ContactMap {
        let w = 40, h = 20
        var px = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<Int((fraction * Double(w) * 2).rounded()) where x < w { px[y * w + x] = 1 } }
        return ContactMap(width: w, height: h, pixels: px)
    }
}

final class CorrelationSummaryTests: XCTestCase {
    func testSyntheticRunRecoversKnownNumbers() throws {
        let s = Correlator.summarize(CorrelationSyntheticRun().input())
        XCTAssertEqual(s.scans.count, 34)
        XCTAssertEqual(s.halfCycles.count, 2)
        let h1 = s.halfCycles[0], h2 = s.halfCycles[1]
        XCTAssertEqual(h1.strippingSide, .top); XCTAssertEqual(h2.strippingSide, .bottom)
        XCTAssertEqual(h1.durationSeconds, 14400, accuracy: 10.5)
        XCTAssertEqual(try XCTUnwrap(h1.chargeCoulombs), 126e-6 * 14400, accuracy: 0.002 * 1.8144)
        // 4 mA/cm² for 4 h = 16 mAh/cm² (126 µA is 4.01 mA/cm² on 3.14 mm²).
        XCTAssertEqual(try XCTUnwrap(h1.chargeMilliampHoursPerSquareCentimetre), 0.126 * 4 / 0.0314, accuracy: 0.05)
        XCTAssertEqual(h1.reachedCutoff, false)
        // Scan mids are at −690 + 900k; the bracketing scans must be 1 (−690 s) and 17 (13 710 s),
        // then 18 (14 610 s) and 34 (29 010 s, after the second half cycle ends).
        XCTAssertEqual(h1.startScanID, 1); XCTAssertEqual(h1.endScanID, 16 + 1)
        XCTAssertEqual(h2.startScanID, 18); XCTAssertEqual(h2.endScanID, 34)
        // Current fractions: 0.72 and 0.51 within 0.5 % (trapezoidal charge at the current steps).
        XCTAssertEqual(try XCTUnwrap(h1.lithiumCurrentFraction), 0.72, accuracy: 0.0036)
        XCTAssertEqual(try XCTUnwrap(h2.lithiumCurrentFraction), 0.51, accuracy: 0.0026)
        // Partial molar volume: recompute from the synthetic functions at the bracketing scans.
        for (row, (m0, m1)) in zip([h1, h2], [(-690.0, 13710.0), (14610.0, 29010.0)]) {
            let dl = CorrelationSyntheticRun.thickness(m1) - CorrelationSyntheticRun.thickness(m0)
            let q = CorrelationSyntheticRun.chargeTotal(m1) - CorrelationSyntheticRun.chargeTotal(m0)
            let expected = 13.0 + dl * 3.14e6 * 1e-12 * CorrelationSyntheticRun.faraday / q
            XCTAssertEqual(try XCTUnwrap(row.interphasePartialMolarVolumeCubicCentimetresPerMole), expected, accuracy: 0.02)
            XCTAssertEqual(expected, 11.0, accuracy: 0.5) // the wobble only perturbs it
        }
        // The fits through every scan of the half cycle agree and carry an uncertainty.
        for (row, truth) in zip([h1, h2], [0.72, 0.51]) {
            let f = try XCTUnwrap(row.lithiumCurrentFractionFit)
            XCTAssertEqual(f.value, truth, accuracy: 0.005)
            XCTAssertGreaterThanOrEqual(f.pointCount, 15)
            let v = try XCTUnwrap(row.interphasePartialMolarVolumeFit), se = try XCTUnwrap(v.standardError)
            XCTAssertGreaterThan(se, 0)
            XCTAssertLessThan(abs(v.value - 11.0), 3 * se + 0.05, "V̄ fit \(v.value) ± \(se)")
        }
        // Contact change at the bottom: −8.9 % × 14400/14400 over scans 1→17 (ramp ends at 14400 s).
        let b0 = CorrelationSyntheticRun.bottomFraction(-690), b1 = CorrelationSyntheticRun.bottomFraction(13710)
        XCTAssertEqual(try XCTUnwrap(h1.bottomContactChangePercent), (b1 - b0) / b0 * 100, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(h2.strippingContactChangePercent), try XCTUnwrap(h2.bottomContactChangePercent))
        XCTAssertLessThan(try XCTUnwrap(h2.bottomContactChangePercent), -40)
        // Pressure falls with the stack.
        XCTAssertLessThan(try XCTUnwrap(h1.pressureChangeMegapascals), 0)

        // Runaway: |V| reaches 0.8 V in the second half cycle when the bottom contact fraction
        // falls to 0.025 × (0.126 mA / 0.0314 cm²) / 0.75 V.
        XCTAssertNil(h1.runawayUnixSeconds)
        let fRun = 0.025 * (0.126 / 0.0314) / 0.75
        let b1Start = CorrelationSyntheticRun.bottomFraction(14400), b1End = CorrelationSyntheticRun.bottomFraction(28800)
        let tRun = 14400 + (b1Start - fRun) / (b1Start - b1End) * 14400
        XCTAssertEqual(try XCTUnwrap(h2.runawayUnixSeconds), tRun, accuracy: 10)
        let lastBefore = -690 + 900 * ((tRun + 690) / 900).rounded(.down)
        let cBefore = (CorrelationSyntheticRun.bottomFraction(lastBefore) - CorrelationSyntheticRun.bottomFraction(14610)) / CorrelationSyntheticRun.bottomFraction(14610) * 100
        XCTAssertEqual(try XCTUnwrap(h2.strippingContactChangeBeforeRunawayPercent), cBefore, accuracy: 1e-9)
        XCTAssertTrue(s.headlines.contains { $0.hasPrefix("Half cycle 2: contact at the stripping (bottom) interface fell") }, "\(s.headlines)")
        XCTAssertTrue(s.headlines.contains { $0.hasPrefix("Stack thickness fell") && $0.contains("while stack pressure fell") })

        // Stiffness: slope 0.5 MPa/µm within 3 SE + 2 % (window means attenuate the wobble ~1 %).
        let st = try XCTUnwrap(s.stiffness), fit = try XCTUnwrap(st.fit)
        XCTAssertEqual(fit.slope, 0.5, accuracy: 3 * (fit.slopeStandardError ?? 0) + 0.01)
        XCTAssertGreaterThan(fit.r, 0.99)
        XCTAssertEqual(try XCTUnwrap(st.lag).lagSeconds, 0, accuracy: 60)

        // |V| vs effective current density: slope 0.025 V per mA/cm², intercept 0.05 V,
        // only points below 0.8 V used (the end of the second half cycle is above it).
        let e = try XCTUnwrap(s.effectiveCurrentDensity), ef = try XCTUnwrap(e.fit)
        XCTAssertEqual(ef.slope, 0.025, accuracy: 1e-6)
        XCTAssertEqual(ef.intercept, 0.05, accuracy: 1e-4)
        XCTAssertLessThan(ef.pointCount, e.absoluteVoltageVolts.count)
        XCTAssertEqual(try XCTUnwrap(e.firstScanConcentrationFactor), 1 / CorrelationSyntheticRun.topFraction(210), accuracy: 1e-6)

        XCTAssertEqual(try XCTUnwrap(s.totalChargeCoulombs), 2 * 1.8144, accuracy: 0.004)
        XCTAssertFalse(s.missing.contains { $0.contains("No scans") || $0.contains("No pressure") }, "\(s.missing)")
    }

    func testLaggedPressureLagRecovered() throws {
        var run = CorrelationSyntheticRun(); run.pressureLagSeconds = 600
        let lag = try XCTUnwrap(Correlator.summarize(run.input()).stiffness?.lag)
        XCTAssertEqual(lag.lagSeconds, 600, accuracy: 60)
        XCTAssertGreaterThan(lag.r, 0.99)
    }

    func testNoScansSaysSoAndStillReportsElectrochemistry() throws {
        var run = CorrelationSyntheticRun(); run.includeScans = false
        let s = Correlator.summarize(run.input())
        XCTAssertTrue(s.missing.contains { $0.hasPrefix("No scans") }, "\(s.missing)")
        XCTAssertNil(s.stiffness); XCTAssertNil(s.effectiveCurrentDensity)
        XCTAssertEqual(s.halfCycles.count, 2)
        XCTAssertNotNil(s.halfCycles[0].chargeCoulombs)
        XCTAssertNotNil(s.halfCycles[0].meanOverpotentialVolts)
        XCTAssertNotNil(s.halfCycles[0].pressureChangeMegapascals)
        XCTAssertNil(s.halfCycles[0].lithiumCurrentFraction)
    }

    func testNoPressureSaysSoAndStillReportsScans() throws {
        var run = CorrelationSyntheticRun(); run.includePressure = false
        let s = Correlator.summarize(run.input())
        XCTAssertTrue(s.missing.contains { $0.hasPrefix("No pressure") }, "\(s.missing)")
        XCTAssertNil(s.stiffness)
        XCTAssertNil(s.halfCycles[0].pressureChangeMegapascals)
        XCTAssertEqual(try XCTUnwrap(s.halfCycles[0].lithiumCurrentFraction), 0.72, accuracy: 0.0036)
        XCTAssertNotNil(s.effectiveCurrentDensity?.fit)
    }

    func testEmptyInputDoesNotCrashAndListsEverything() throws {
        let s = Correlator.summarize(CorrelationInput())
        for what in ["No voltage", "No current", "No pressure", "No scans"] {
            XCTAssertTrue(s.missing.contains { $0.hasPrefix(what) }, "\(what) not in \(s.missing)")
        }
        XCTAssertTrue(s.halfCycles.isEmpty)
        // The summary encodes to JSON (no NaN/inf) and decodes back.
        let data = try JSONEncoder().encode(s)
        XCTAssertEqual(try JSONDecoder().decode(CorrelationSummary.self, from: data).missing, s.missing)
    }

    func testScanOutsideLogIsReported() {
        var input = CorrelationSyntheticRun().input()
        input.clockOffsetSeconds = 1e6
        let s = Correlator.summarize(input)
        XCTAssertTrue(s.missing.contains { $0.contains("outside the logged time range") })
    }

    func testNonFiniteSamplesAreDroppedAndReported() throws {
        var input = CorrelationSyntheticRun().input()
        input.pressureMegapascals.values[500] = .nan
        input.voltageVolts.values[700] = .infinity
        let s = Correlator.summarize(input)
        XCTAssertTrue(s.missing.contains("1 non-finite sample(s) dropped from the pressure log."), "\(s.missing)")
        XCTAssertTrue(s.missing.contains("1 non-finite sample(s) dropped from the voltage log."))
        XCTAssertEqual(try XCTUnwrap(s.stiffness?.fit?.slope), 0.5, accuracy: 0.02)
        // A failed segmentation (NaN) counts as not measured.
        input.scans[3].stackThicknessMicrometres = .nan
        input.scans[4].top?.contactAreaSquareMicrometres = .nan
        let s2 = Correlator.summarize(input)
        XCTAssertTrue(s2.missing.contains("No stack thickness for scan(s) 4."), "\(s2.missing)")
        XCTAssertTrue(s2.missing.contains("No top contact area for scan(s) 5."))
        XCTAssertNoThrow(try JSONEncoder().encode(s2))
    }

    func testSummaryRoundTripsThroughJSON() throws {
        let s = Correlator.summarize(CorrelationSyntheticRun().input())
        let back = try JSONDecoder().decode(CorrelationSummary.self, from: JSONEncoder().encode(s))
        XCTAssertEqual(back.halfCycles, s.halfCycles)
        XCTAssertEqual(back.stiffness, s.stiffness)
    }
}
