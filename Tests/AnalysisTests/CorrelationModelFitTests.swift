import CellModel
import XCTest
@testable import Analysis

final class CorrelationModelFitTests: XCTestCase {
    /// A run simulated by the cell model with a known interphase conductivity; the fit, given
    /// only the voltage, the current and scans' contact fractions, recovers it.
    func testTheInterphaseConductivityOfASimulatedRunIsRecovered() {
        for kappa in [5e-6, 2e-5] {
            var parameters = CellParameters()
            parameters.interphaseConductivitySiemensPerCentimetre = kappa
            var state = CellState(parameters: parameters)
            let amps = parameters.currentAmps(milliampsPerSquareCentimetre: 1)
            var times: [Double] = [], volts: [Double] = [], currents: [Double] = []
            var scans: [ScanRecord] = []
            let t0 = 1.7e9
            for minute in 0..<(8 * 60) {
                let t = Double(minute) * 60
                let i = minute < 4 * 60 ? amps : -amps
                if minute % 5 == 0 {
                    scans.append(ScanRecord(id: scans.count + 1, startUnixSeconds: t0 + t, endUnixSeconds: t0 + t,
                                            top: InterfaceMeasurement(contactFraction: state.topContactFraction),
                                            bottom: InterfaceMeasurement(contactFraction: state.bottomContactFraction)))
                }
                guard let v = try? state.voltageVolts(currentAmps: i) else { continue }
                times.append(t0 + t); volts.append(v); currents.append(i)
                state.step(currentAmps: i, durationSeconds: 60)
            }
            let fit = ModelFit.fit(voltage: TimeSeries(timeUnixSeconds: times, values: volts),
                                   current: TimeSeries(timeUnixSeconds: times, values: currents),
                                   scans: scans, clockOffsetSeconds: 0, cutoffVolts: 4, positiveCurrentStrips: .top)
            let result = try! XCTUnwrap(fit)
            XCTAssertEqual(result.interphaseConductivitySiemensPerCentimetre, kappa, accuracy: 0.1 * kappa)
            XCTAssertLessThan(result.residualRMSVolts, 0.05)
            XCTAssertGreaterThan(result.samplesUsed, 100)
        }
    }

    func testWithoutScansThereIsNoFit() {
        let series = TimeSeries(timeUnixSeconds: [0, 1, 2, 3], values: [0.1, 0.1, 0.1, 0.1])
        XCTAssertNil(ModelFit.fit(voltage: series, current: series, scans: [], clockOffsetSeconds: 0, cutoffVolts: nil, positiveCurrentStrips: .top))
    }
}
