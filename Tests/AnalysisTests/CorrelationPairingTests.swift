import XCTest
@testable import Analysis

final class CorrelationPairingTests: XCTestCase {
    /// A ramp p(t) = 10 + 0.01·t sampled every 60 s.
    private func ramp() -> TimeSeries {
        let t = stride(from: 0.0, through: 3600, by: 60).map { $0 }
        return TimeSeries(timeUnixSeconds: t, values: t.map { 10 + 0.01 * $0 })
    }

    func testWindowStatsOnRampAreExact() throws {
        let s = try XCTUnwrap(ramp().stats(from: 630, to: 1050))
        XCTAssertEqual(s.mean, 10 + 0.01 * 840, accuracy: 1e-9)
        XCTAssertEqual(s.atMid, 10 + 0.01 * 840, accuracy: 1e-9)
        XCTAssertEqual(s.min, 10 + 0.01 * 630, accuracy: 1e-9)
        XCTAssertEqual(s.max, 10 + 0.01 * 1050, accuracy: 1e-9)
        XCTAssertEqual(s.sampleCount, 7) // 660…1020
        XCTAssertEqual(s.coverage, 1, accuracy: 1e-12)
    }

    func testSparseSamplesAreInterpolated() throws {
        // Two samples 1 h apart; a 7-minute scan between them has no sample inside.
        let s = TimeSeries(timeUnixSeconds: [0, 3600], values: [2, 5.6])
        let w = try XCTUnwrap(s.stats(from: 1000, to: 1420))
        XCTAssertEqual(w.sampleCount, 0)
        XCTAssertEqual(w.atMid, 2 + 3.6 * 1210 / 3600, accuracy: 1e-9)
        XCTAssertEqual(w.mean, w.atMid, accuracy: 1e-9)
        XCTAssertEqual(w.min, 2 + 3.6 * 1000 / 3600, accuracy: 1e-9)
        XCTAssertEqual(w.max, 2 + 3.6 * 1420 / 3600, accuracy: 1e-9)
    }

    func testStepInsideWindowUsesTimeWeightedMean() throws {
        // 0 until t=100, 1 from t=101: the interpolant over [0, 200] has mean ≈ 0.4975.
        let s = TimeSeries(timeUnixSeconds: [0, 100, 101, 200], values: [0, 0, 1, 1])
        let w = try XCTUnwrap(s.stats(from: 0, to: 200))
        XCTAssertEqual(w.mean, (0.5 + 99) / 200, accuracy: 1e-12)
        XCTAssertEqual(w.min, 0); XCTAssertEqual(w.max, 1)
    }

    func testWindowOutsideLogIsNil() {
        XCTAssertNil(ramp().stats(from: 5000, to: 5400))
        XCTAssertNil(TimeSeries().stats(from: 0, to: 1))
    }

    func testClockOffsetShiftsScanIntoLogWindow() throws {
        // Beamline clock is 1000 s behind the logger: scan at 0…420 beamline = 1000…1420 log.
        let scan = ScanRecord(id: 7, startUnixSeconds: 0, endUnixSeconds: 420)
        let p = ScanPairing.pair(scans: [scan], clockOffsetSeconds: 1000, voltageVolts: TimeSeries(),
                                 currentAmps: TimeSeries(), chargeCoulombs: TimeSeries(),
                                 forceNewtons: TimeSeries(), pressureMegapascals: ramp())
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0].scanID, 7)
        XCTAssertEqual(p[0].midUnixSeconds, 1210)
        XCTAssertEqual(try XCTUnwrap(p[0].pressureMegapascals).atMid, 10 + 12.1, accuracy: 1e-9)
        XCTAssertNil(p[0].voltageVolts)
    }

    func testCumulativeChargeFromCurrent() {
        // +1 mA for 100 s then −1 mA for 100 s → 0.2 C of |charge| (trapezoid across the flip).
        let t: [Double] = [0, 100, 100.0001, 200]
        let q = ScanPairing.cumulativeAbsoluteCharge(currentAmps: TimeSeries(timeUnixSeconds: t, values: [1e-3, 1e-3, -1e-3, -1e-3]))
        XCTAssertEqual(q.values.last!, 0.2, accuracy: 1e-6)
        XCTAssertEqual(q.values.first!, 0)
    }
}
