import XCTest
import Foundation
@testable import Sensors

final class CalibrationTests: XCTestCase {
    func testCellAreaAndPressure() {
        let cell = CellGeometry(diameterMillimetres: 2)
        XCTAssertEqual(cell.areaSquareMillimetres, 3.14159, accuracy: 1e-5)
        XCTAssertEqual(cell.forceNewtons(pressureMegapascals: 10), 31.4159, accuracy: 1e-4)
        XCTAssertEqual(cell.pressureMegapascals(forceNewtons: 31.4159), 10, accuracy: 1e-4)
    }

    func testTwoPointAndTare() throws {
        let cal = try Calibration.twoPoint(zeroCounts: 1000, loadCounts: 21000, loadNewtons: 10)
        XCTAssertEqual(cal.newtonsPerCount, 0.0005, accuracy: 1e-15)
        XCTAssertEqual(cal.forceNewtons(counts: 11000), 5, accuracy: 1e-12)
        XCTAssertEqual(cal.counts(forceNewtons: 5), 11000, accuracy: 1e-9)
        let tared = cal.tared(zeroCounts: 1200)
        XCTAssertEqual(tared.forceNewtons(counts: 1200), 0)
        XCTAssertEqual(tared.forceNewtons(counts: 21200), 10, accuracy: 1e-12)
        XCTAssertEqual(tared.method, "two-point+tare")
        XCTAssertThrowsError(try Calibration.twoPoint(zeroCounts: 5, loadCounts: 5, loadNewtons: 1))
    }

    func testLeastSquaresRecoversLineAndReportsResiduals() throws {
        // force = 2e-6·counts − 0.5 with one point 0.01 N off.
        var points = (0..<5).map { i -> CalibrationPoint in
            let counts = 250_000.0 + Double(i) * 1_000_000
            return CalibrationPoint(counts: counts, forceNewtons: 2e-6 * counts - 0.5)
        }
        let exact = try Calibration.leastSquares(points)
        XCTAssertEqual(exact.newtonsPerCount, 2e-6, accuracy: 1e-15)
        XCTAssertEqual(exact.offsetCounts, 250_000, accuracy: 1e-6)
        XCTAssertEqual(exact.rmsResidualNewtons, 0, accuracy: 1e-9)
        points[2].forceNewtons += 0.01
        let bumped = try Calibration.leastSquares(points)
        XCTAssertEqual(bumped.residualsNewtons.count, 5)
        // Residuals of a least-squares line sum to zero; the bumped point has the largest one.
        XCTAssertEqual(bumped.residualsNewtons.reduce(0, +), 0, accuracy: 1e-9)
        XCTAssertEqual(bumped.residualsNewtons.indices.max { abs(bumped.residualsNewtons[$0]) < abs(bumped.residualsNewtons[$1]) }, 2)
        XCTAssertEqual(bumped.residualsNewtons[2], 0.008, accuracy: 1e-9)  // 0.01·(1 − 1/5) at the centre point
        XCTAssertThrowsError(try Calibration.leastSquares([points[0]]))
        XCTAssertThrowsError(try Calibration.leastSquares([points[0], points[0]]))
    }

    func testCodableRoundTrip() throws {
        let cal = Calibration(offsetCounts: 12.5, newtonsPerCount: 3e-6, method: "least-squares", residualsNewtons: [0.1, -0.1])
        let data = try JSONEncoder().encode(cal)
        XCTAssertEqual(try JSONDecoder().decode(Calibration.self, from: data), cal)
    }
}
