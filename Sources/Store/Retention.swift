import Foundation
import GRDB

/// SD-card care: raw samples are kept for a retention period; older ones are summarised
/// into per-second and per-minute min/mean/max rows (appended) and then deleted, in one
/// transaction, so that a crash in the middle leaves either both or neither.
extension AppDatabase {
    public struct RetentionResult: Sendable, Equatable {
        public var cutoffUnixTimeSeconds: Double
        public var forceRowsSummarised: Int
        public var echemRowsSummarised: Int
    }

    /// Summarises and deletes raw samples older than `retentionSeconds` before `now`. The
    /// cut-off is aligned down to a whole minute so no summary bucket straddles it.
    @discardableResult
    public func applyRetention(retentionSeconds: Double, now: Double = Date().timeIntervalSince1970) throws -> RetentionResult {
        let cutoff = ((now - retentionSeconds) / 60).rounded(.down) * 60
        return try writer.write { db in
            let forceRows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM force_sample WHERE unix_time_s < ?", arguments: [cutoff]) ?? 0
            let echemRows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM echem_sample WHERE unix_time_s < ?", arguments: [cutoff]) ?? 0
            for (suffix, seconds) in [("1s", 1.0), ("1min", 60.0)] {
                try db.execute(sql: """
                    INSERT INTO force_summary_\(suffix) (cell_id, run_id, sensor_id, bucket_unix_time_s, samples,
                        force_min_n, force_mean_n, force_max_n, pressure_min_mpa, pressure_mean_mpa, pressure_max_mpa)
                    SELECT cell_id, run_id, sensor_id, floor(unix_time_s / ?1) * ?1 AS bucket, COUNT(*),
                        MIN(force_n), AVG(force_n), MAX(force_n), MIN(pressure_mpa), AVG(pressure_mpa), MAX(pressure_mpa)
                    FROM force_sample WHERE unix_time_s < ?2
                    GROUP BY cell_id, run_id, sensor_id, bucket ORDER BY bucket
                    """, arguments: [seconds, cutoff])
                // charge_last_c: the charge of the bucket's last sample (SQLite's bare-column
                // rule: with MAX(id) in the select, charge_c comes from that row).
                try db.execute(sql: """
                    INSERT INTO echem_summary_\(suffix) (run_id, bucket_unix_time_s, samples,
                        voltage_min_v, voltage_mean_v, voltage_max_v, current_min_a, current_mean_a, current_max_a, charge_last_c)
                    SELECT run_id, bucket, n, vmin, vmean, vmax, imin, imean, imax, charge_c FROM (
                        SELECT run_id, floor(unix_time_s / ?1) * ?1 AS bucket, COUNT(*) AS n,
                            MIN(voltage_v) AS vmin, AVG(voltage_v) AS vmean, MAX(voltage_v) AS vmax,
                            MIN(current_a) AS imin, AVG(current_a) AS imean, MAX(current_a) AS imax, MAX(id), charge_c
                        FROM echem_sample WHERE unix_time_s < ?2
                        GROUP BY run_id, bucket ORDER BY bucket)
                    """, arguments: [seconds, cutoff])
            }
            try db.execute(sql: "DELETE FROM force_sample WHERE unix_time_s < ?", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM echem_sample WHERE unix_time_s < ?", arguments: [cutoff])
            return RetentionResult(cutoffUnixTimeSeconds: cutoff, forceRowsSummarised: forceRows, echemRowsSummarised: echemRows)
        }
    }

    /// A consistent copy of the database, taken while it may be written (SQLite's online
    /// backup through GRDB). The destination must not exist.
    public func backup(to destinationPath: String) throws {
        guard !FileManager.default.fileExists(atPath: destinationPath) else {
            throw StoreError.cannotCreate(path: destinationPath, reason: "file exists; refusing to overwrite")
        }
        do {
            let destination = try DatabaseQueue(path: destinationPath)
            try writer.backup(to: destination)
            try destination.close()
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(atPath: destinationPath)
            throw StoreError.writeFailed(path: destinationPath, reason: error.message ?? "\(error.resultCode)")
        }
    }
}
