/// Reads a `ForceSensor` at a fixed rate and hands samples to a sink.
///
/// - Pacing: deadlines advance by exactly one period from the start (no drift). A loop that
///   wakes late catches up by reading back-to-back; only when it is more than
///   `maximumLatenessSeconds` behind does it resynchronise, counting the skipped deadlines.
/// - Phase: with a part that waits for its own conversions (NAU7802), the schedule moves to
///   just after each conversion it had to wait for, maximising the tolerance to late wake-ups.
/// - Averaging: each sample is the mean of `readsPerSample` consecutive reads (each read
///   waits for a fresh conversion), so `rateHz × readsPerSample` must not exceed the part.
/// - Faults: a failed read opens a gap (`SamplerEvent.gapStarted`, an alarm), is retried with
///   exponential backoff (initial…maximum), and the first good read closes the gap. The loop
///   never ends on a sensor error; only cancellation or `maximumSamples` end it.
/// - Sensor reads are synchronous and may block for up to ~2.5 conversion periods (a few ms
///   at the rates used here) on the task's thread.
public struct Sampler<C: Clock>: Sendable where C.Duration == Duration {
    public struct Configuration: Sendable, Equatable {
        public var rateHz: Double
        public var readsPerSample: Int
        public var initialBackoffSeconds: Double
        public var maximumBackoffSeconds: Double
        /// Stop after this many samples (nil: run until cancelled).
        public var maximumSamples: Int?
        /// How far behind schedule the loop may fall and still catch up (default 0.25 s).
        public var maximumLatenessSeconds: Double

        public init(rateHz: Double, readsPerSample: Int = 1, initialBackoffSeconds: Double = 0.05,
                    maximumBackoffSeconds: Double = 5, maximumSamples: Int? = nil, maximumLatenessSeconds: Double = 0.25) {
            self.rateHz = rateHz
            self.readsPerSample = readsPerSample
            self.initialBackoffSeconds = initialBackoffSeconds
            self.maximumBackoffSeconds = maximumBackoffSeconds
            self.maximumSamples = maximumSamples
            self.maximumLatenessSeconds = maximumLatenessSeconds
        }
    }

    public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// What a run did.
    public struct Summary: Sendable, Equatable {
        public var samplesDelivered = 0
        public var failedReads = 0
        public var gaps = 0
        /// Times the loop fell more than `maximumLatenessSeconds` behind and resynchronised.
        public var overruns = 0
        /// Sample deadlines skipped by those resynchronisations (samples never taken).
        public var missedDeadlines = 0
        /// Times the schedule was moved to follow a sensor that paces itself (waits for data).
        public var phaseAdjustments = 0
    }

    public let sensor: any ForceSensor
    public let sink: any ForceSampleSink
    public let configuration: Configuration
    public let clock: C
    public let time: SampleTimeSource

    /// Throws `ConfigurationError` for a rate ≤ 0, averaging < 1, or a read rate above the part's maximum.
    public init(sensor: any ForceSensor, sink: any ForceSampleSink, configuration: Configuration, clock: C,
                time: SampleTimeSource = .system) throws {
        guard configuration.rateHz > 0, configuration.rateHz.isFinite else {
            throw ConfigurationError(description: "sample rate must be > 0 Hz, got \(configuration.rateHz)")
        }
        guard configuration.readsPerSample >= 1 else {
            throw ConfigurationError(description: "readsPerSample must be ≥ 1, got \(configuration.readsPerSample)")
        }
        let readRate = configuration.rateHz * Double(configuration.readsPerSample)
        guard readRate <= sensor.maximumRateHz * 1.000001 else {
            throw ConfigurationError(description:
                "\(sensor.chip): \(configuration.rateHz) Hz × \(configuration.readsPerSample) reads = \(readRate) reads/s exceeds the part's \(sensor.maximumRateHz) Hz")
        }
        self.sensor = sensor
        self.sink = sink
        self.configuration = configuration
        self.clock = clock
        self.time = time
    }

    /// Runs until cancelled (or `maximumSamples`). Returns what happened.
    public func run() async -> Summary {
        var summary = Summary()
        let period = Duration.seconds(1 / configuration.rateHz)
        let maximumLateness = Duration.seconds(max(configuration.maximumLatenessSeconds, 1 / configuration.rateHz))
        var backoff = configuration.initialBackoffSeconds
        var gap: (startMonotonic: Double, error: String, attempts: Int)?
        var deadline = clock.now

        while !Task.isCancelled {
            if let max = configuration.maximumSamples, summary.samplesDelivered >= max { break }
            do {
                let readStart = clock.now
                let sample = try readSample()
                let readEnd = clock.now
                if let g = gap {
                    let now = time.monotonicSeconds()
                    await sink.record(SamplerEvent(kind: .gapEnded, chip: sensor.chip, monotonicSeconds: now,
                                                   unixSeconds: time.unixSeconds(), error: g.error,
                                                   failedAttempts: g.attempts, gapSeconds: now - g.startMonotonic))
                    gap = nil
                    backoff = configuration.initialBackoffSeconds
                }
                await sink.record(sample)
                summary.samplesDelivered += 1
                // Phase-lock to a sensor that paces its reads (it waited > 1/4 period for its own
                // conversion and finished within a period of the deadline): schedule from the
                // read's end, so the next read lands just after the next conversion and a late
                // wake-up has almost a whole period before that conversion is overwritten.
                let lateness = deadline.duration(to: readEnd)
                if readStart.duration(to: readEnd) > period / 4 && lateness > .zero && lateness < period {
                    deadline = readEnd
                    summary.phaseAdjustments += 1
                }
                deadline = deadline.advanced(by: period)
                let now = clock.now
                if now > deadline.advanced(by: maximumLateness) {
                    summary.overruns += 1
                    // Deadlines from `deadline` up to now are skipped; the next sample is one period on.
                    summary.missedDeadlines += Int((deadline.duration(to: now) / period).rounded(.down)) + 1
                    deadline = now.advanced(by: period)
                }
                try await clock.sleep(until: deadline, tolerance: nil)
            } catch is CancellationError {
                break
            } catch {
                summary.failedReads += 1
                let text = String(describing: error)
                if var g = gap {
                    g.attempts += 1
                    gap = g
                } else {
                    summary.gaps += 1
                    let now = time.monotonicSeconds()
                    gap = (now, text, 1)
                    await sink.record(SamplerEvent(kind: .gapStarted, chip: sensor.chip, monotonicSeconds: now,
                                                   unixSeconds: time.unixSeconds(), error: text,
                                                   failedAttempts: 1, gapSeconds: nil))
                }
                do {
                    try await clock.sleep(for: .seconds(backoff))
                } catch {
                    break
                }
                backoff = min(backoff * 2, configuration.maximumBackoffSeconds)
                deadline = clock.now
            }
        }
        return summary
    }

    private func readSample() throws -> ForceSample {
        var counts = 0.0, newtons = 0.0
        var temperature: Double?
        let n = configuration.readsPerSample
        for _ in 0..<n {
            let r = try sensor.read()
            counts += Double(r.rawCounts)
            newtons += r.forceNewtons
            if let t = r.temperatureCelsius { temperature = t }
        }
        return ForceSample(monotonicSeconds: time.monotonicSeconds(), unixSeconds: time.unixSeconds(),
                           rawCounts: counts / Double(n), forceNewtons: newtons / Double(n),
                           temperatureCelsius: temperature, readsAveraged: n)
    }
}
