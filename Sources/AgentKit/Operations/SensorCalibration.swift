import Foundation
import Sensors
import Store

/// `cellpress calibrate`: from raw counts at known loads to a stored calibration.
public enum SensorCalibration {
    /// Mean raw counts over `samples` reads (noise averages out; each read waits for a
    /// fresh conversion).
    public static func meanCounts(_ sensor: any ForceSensor, samples: Int) throws -> Double {
        var sum = 0.0
        for _ in 0..<samples { sum += Double(try sensor.read().rawCounts) }
        return sum / Double(samples)
    }

    /// Fits counts → N (two points exactly, more by least squares) and stores it, appended
    /// to the sensor's calibration history. Returns the stored record and the calibration.
    @discardableResult
    public static func fitAndStore(points: [CalibrationPoint], sensorId: String, database: AppDatabase) throws -> (CalibrationRecord, Calibration) {
        let calibration = try Calibration.leastSquares(points)
        let pointsJSON = String(decoding: try JSONEncoder().encode(points), as: UTF8.self)
        let record = try database.record(CalibrationRecord(
            sensorId: sensorId, method: points.count == 2 ? "two-point" : "least-squares (\(points.count) points)",
            countsPerNewton: 1 / calibration.newtonsPerCount, zeroCounts: calibration.offsetCounts,
            residualRMSNewtons: calibration.rmsResidualNewtons, pointsJSON: pointsJSON))
        return (record, calibration)
    }

    /// Re-zeroes the sensor's current calibration at `zeroCounts` (nothing on the sensor but
    /// what should read as zero), keeping its slope; stored as a new history entry.
    @discardableResult
    public static func tare(zeroCounts: Double, sensorId: String, database: AppDatabase) throws -> CalibrationRecord {
        guard let current = try database.currentCalibration(sensorId: sensorId) else {
            throw StoreError.notFound(what: "a calibration for sensor \(sensorId) to tare (calibrate with known loads first)")
        }
        return try database.record(CalibrationRecord(sensorId: sensorId, method: "tare", countsPerNewton: current.countsPerNewton,
                                                     zeroCounts: zeroCounts, residualRMSNewtons: current.residualRMSNewtons,
                                                     pointsJSON: current.pointsJSON))
    }

    /// The stored record as the Sensors module's calibration.
    public static func calibration(from record: CalibrationRecord) -> Calibration {
        Calibration(offsetCounts: record.zeroCounts, newtonsPerCount: 1 / record.countsPerNewton, method: record.method)
    }
}
