import Foundation
import Sensors
import Store

/// What a relaxation log showed.
public struct RelaxationReport: Sendable {
    public var samples: Int
    /// Logged span in (simulated, when time-scaled) seconds.
    public var loggedSeconds: Double
    public var firstMegapascals: Double
    public var lastMegapascals: Double
    /// nil with fewer than 4 samples.
    public var fit: RelaxationFit?

    /// Fraction lost after `seconds` per the fit; nil when the log does not cover that time.
    public func fractionLost(afterSeconds seconds: Double) -> Double? {
        guard let fit, loggedSeconds >= seconds * 0.999 else { return nil }
        return fit.fractionLost(afterSeconds: seconds)
    }

    /// Human summary lines: decay at 1 h and 12 h (when covered), the fitted time constant.
    public var lines: [String] {
        var out = [String(format: "relaxation: %d samples over %@: %.2f → %.2f MPa (%.1f %% lost)",
                          samples, Self.duration(loggedSeconds), firstMegapascals, lastMegapascals,
                          firstMegapascals > 0 ? 100 * (1 - lastMegapascals / firstMegapascals) : 0)]
        guard let fit else {
            out.append("relaxation: too few samples to fit a time constant")
            return out
        }
        for hours in [1.0, 12.0] {
            if let lost = fractionLost(afterSeconds: hours * 3600) {
                out.append(String(format: "  lost after %.0f h: %.1f %%", hours, 100 * lost))
            } else {
                out.append(String(format: "  lost after %.0f h: not covered by the log (the fit extrapolates %.1f %%)",
                                  hours, 100 * fit.fractionLost(afterSeconds: hours * 3600)))
            }
        }
        out.append(String(format: "  fitted: P(t) = %.2f + (%.2f − %.2f)·e^(−t/τ) MPa, τ = %.1f min (%.0f s), rms residual %.3f MPa",
                          fit.plateauMegapascals, fit.initialMegapascals, fit.plateauMegapascals,
                          fit.timeConstantSeconds / 60, fit.timeConstantSeconds, fit.residualRMSMegapascals))
        return out
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 3600 ? String(format: "%.2f h", seconds / 3600) : String(format: "%.1f min", seconds / 60)
    }
}

/// Keeps logging force after assembly — through the `Sampler` and `StoreForceSink` into the
/// store's batched writer — then reads the samples back and fits the pressure decay.
public enum RelaxationLogging {
    /// Timestamps that run `timeScale` times faster than the board's clocks from now on, so a
    /// simulated relaxation is stored on the timeline it simulates (1: the real clocks).
    public static func scaledTime(timeScale: Double, base: SampleTimeSource = .system) -> SampleTimeSource {
        guard timeScale != 1 else { return base }
        let startMonotonic = base.monotonicSeconds(), startUnix = base.unixSeconds()
        return SampleTimeSource(
            monotonicSeconds: { startMonotonic + (base.monotonicSeconds() - startMonotonic) * timeScale },
            unixSeconds: { startUnix + (base.monotonicSeconds() - startMonotonic) * timeScale })
    }

    /// Sample rate for a log: about 200 samples over the real duration, 1…20 Hz, within the part.
    public static func rateHz(realDurationSeconds: Double, sensorMaximumHz: Double) -> Double {
        min(sensorMaximumHz, max(1, min(20, 200 / max(realDurationSeconds, 1))))
    }

    /// Logs for `durationSeconds` of (scaled) time, calling `progress` about 4 times a second
    /// with the scaled elapsed time and the latest sample; `progress` returning false stops early.
    public static func run(database: AppDatabase, cellId: Int64, sensorId: String, cellAreaSquareMillimetres: Double,
                           sensor: any ForceSensor, durationSeconds: Double, timeScale: Double,
                           progress: (_ elapsedSeconds: Double, _ latest: Sensors.ForceSample?) -> Bool) async throws -> RelaxationReport {
        let time = scaledTime(timeScale: timeScale)
        let startUnix = time.unixSeconds()
        let realDuration = durationSeconds / timeScale
        let writer = SampleWriter(database: database, options: .init(maxBatchRows: 1000, maxLatencySeconds: 1))
        writer.start()
        let sink = StoreForceSink(writer: writer, cellId: cellId, sensorId: sensorId, cellAreaSquareMillimetres: cellAreaSquareMillimetres)
        let sampler = try Sampler(sensor: sensor, sink: sink,
                                  configuration: .init(rateHz: rateHz(realDurationSeconds: realDuration, sensorMaximumHz: sensor.maximumRateHz)),
                                  clock: ContinuousClock(), time: time)
        let task = Task { await sampler.run() }
        let realStart = ContinuousClock.now
        while true {
            let elapsedReal = realStart.duration(to: .now)
            let elapsed = Double(elapsedReal.components.seconds) + Double(elapsedReal.components.attoseconds) * 1e-18
            if elapsed >= realDuration { break }
            guard progress(elapsed * timeScale, sink.latest) else { break }
            try? await Task.sleep(for: .seconds(min(0.25, realDuration - elapsed)))
        }
        task.cancel()
        _ = await task.value
        try writer.close()
        let endUnix = time.unixSeconds()
        let stored = try database.forceSamples(cellId: cellId, fromUnixTimeSeconds: startUnix, toUnixTimeSeconds: endUnix)
            .filter { $0.sensorId == sensorId }
        let times = stored.map { $0.unixTimeSeconds - startUnix }
        let pressures = stored.map(\.pressureMegapascals)
        return RelaxationReport(samples: stored.count, loggedSeconds: times.last ?? 0,
                                firstMegapascals: pressures.first ?? 0, lastMegapascals: pressures.last ?? 0,
                                fit: RelaxationFit.fit(timesSeconds: times, pressuresMegapascals: pressures))
    }
}
