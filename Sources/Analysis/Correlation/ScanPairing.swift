import Foundation

/// A scan paired with the log window it covers (times on the logger's clock).
public struct PairedScan: Codable, Sendable, Equatable {
    public var scanID: Int
    public var startUnixSeconds: Double
    public var endUnixSeconds: Double
    public var midUnixSeconds: Double { 0.5 * (startUnixSeconds + endUnixSeconds) }
    public var voltageVolts: WindowStats?
    public var currentAmps: WindowStats?
    public var chargeCoulombs: WindowStats?
    public var forceNewtons: WindowStats?
    public var pressureMegapascals: WindowStats?
}

public enum ScanPairing {
    /// Pairs every scan with the log windows it covers. `clockOffsetSeconds` is added to
    /// the scan times. `chargeCoulombs` is the cumulative charge (already derived if the
    /// log had none).
    public static func pair(scans: [ScanRecord], clockOffsetSeconds: Double,
                            voltageVolts: TimeSeries, currentAmps: TimeSeries,
                            chargeCoulombs: TimeSeries, forceNewtons: TimeSeries,
                            pressureMegapascals: TimeSeries) -> [PairedScan] {
        scans.map { scan in
            let a = scan.startUnixSeconds + clockOffsetSeconds
            let b = Swift.max(a, scan.endUnixSeconds + clockOffsetSeconds)
            return PairedScan(scanID: scan.id, startUnixSeconds: a, endUnixSeconds: b,
                              voltageVolts: voltageVolts.stats(from: a, to: b),
                              currentAmps: currentAmps.stats(from: a, to: b),
                              chargeCoulombs: chargeCoulombs.stats(from: a, to: b),
                              forceNewtons: forceNewtons.stats(from: a, to: b),
                              pressureMegapascals: pressureMegapascals.stats(from: a, to: b))
        }
    }

    /// Cumulative |charge| passed, integrated trapezoidally from the current (starts at 0).
    /// Absolute value because a symmetric cell passes charge in both directions and the
    /// quantity of interest is how much lithium was moved.
    public static func cumulativeAbsoluteCharge(currentAmps: TimeSeries) -> TimeSeries {
        guard !currentAmps.isEmpty else { return TimeSeries() }
        var q = [0.0]
        q.reserveCapacity(currentAmps.count)
        let t = currentAmps.timeUnixSeconds, i = currentAmps.values
        for k in 1..<Swift.max(1, t.count) {
            q.append(q[k - 1] + 0.5 * (abs(i[k]) + abs(i[k - 1])) * (t[k] - t[k - 1]))
        }
        return TimeSeries(timeUnixSeconds: t, values: q)
    }
}
