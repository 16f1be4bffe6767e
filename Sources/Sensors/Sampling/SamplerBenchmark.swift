import Foundation

/// What `runSamplerBenchmark` measured.
public struct SamplerBenchmarkResult: Sendable, CustomStringConvertible {
    public struct Stream: Sendable {
        public var chip: String
        public var rateHz: Double
        /// rate × duration.
        public var expectedSamples: Int
        /// Samples the sink received.
        public var deliveredSamples: Int
        public var missedDeadlines: Int
        public var gaps: Int
        public var phaseAdjustments: Int
        /// Conversions the simulated part completed that were never read (nil: not tracked).
        public var overwrittenConversions: Int?
    }
    public var wallSeconds: Double
    public var streams: [Stream]
    /// User + system CPU seconds of the whole process per wall second (1.0 = one core).
    public var cpuSecondsPerWallSecond: Double
    /// Peak resident set size of the process (VmHWM), MB.
    public var peakRSSMegabytes: Double

    public var description: String {
        var lines = ["sampler benchmark: \(String(format: "%.2f", wallSeconds)) s wall"]
        for s in streams {
            let lost = max(0, s.expectedSamples - s.deliveredSamples)
            var line = "  \(s.chip) @ \(Int(s.rateHz)) SPS: expected \(s.expectedSamples), delivered \(s.deliveredSamples), lost \(lost), missed deadlines \(s.missedDeadlines), gaps \(s.gaps), phase adjustments \(s.phaseAdjustments)"
            if let o = s.overwrittenConversions { line += ", conversions overwritten unread \(o)" }
            lines.append(line)
        }
        lines.append("  CPU: \(String(format: "%.4f", cpuSecondsPerWallSecond)) s per wall s (\(String(format: "%.2f", cpuSecondsPerWallSecond * 100)) % of a core)")
        lines.append("  peak RSS: \(String(format: "%.1f", peakRSSMegabytes)) MB")
        return lines.joined(separator: "\n")
    }
}

/// Counts samples on their way to the real sink.
private final class CountingSink: ForceSampleSink, Sendable {
    let next: (any ForceSampleSink)?
    let samples = Locked(0)
    init(next: (any ForceSampleSink)?) { self.next = next }
    func record(_ sample: ForceSample) async {
        samples.withLock { $0 += 1 }
        await next?.record(sample)
    }
    func record(_ event: SamplerEvent) async { await next?.record(event) }
}

/// Drives a simulated NAU7802 at 320 SPS and a simulated ADS1115 at 860 SPS (real time, over
/// simulated buses) through two `Sampler`s, each on its own thread (`startOnDedicatedThread`),
/// for `durationSeconds`, into `nau7802Sink` and
/// `ads1115Sink` (e.g. the store's batched writer; nil: count only). Prints nothing: the caller
/// prints `description`.
///
/// `realtimePriority` (e.g. 10) asks for SCHED_FIFO sampler threads (root or CAP_SYS_NICE).
public func runSamplerBenchmark(durationSeconds: Double = 10, nau7802Sink: (any ForceSampleSink)? = nil,
                                ads1115Sink: (any ForceSampleSink)? = nil,
                                realtimePriority: Int32? = nil) async throws -> SamplerBenchmarkResult {
    let nauBus = SimulatedI2CBus(name: "sim-nau", time: .realTime(), supportsPlainI2C: false, traceLimit: 0)
    let adsBus = SimulatedI2CBus(name: "sim-ads", time: .realTime(), supportsPlainI2C: false, traceLimit: 0)
    let force = ForceSource { t in 31.4 + 2 * Foundation.sin(t) }
    let nauDevice = SimulatedNAU7802(force: force, noiseCounts: 40)
    nauBus.attach(nauDevice, at: 0x2A)
    adsBus.attach(SimulatedADS1115(force: force, noiseCounts: 1), at: 0x48)
    let nau = NAU7802ForceSensor(
        driver: NAU7802(bus: nauBus, configuration: .init(gain: .x128, rate: .sps320), delay: nauBus.time.delay),
        calibration: Calibration(offsetCounts: 0, newtonsPerCount: NAU7802Conversion.newtonsPerCount(
            capacityNewtons: 50, sensitivityMillivoltsPerVolt: 2, gain: 128)))
    let ads = ADS1115ForceSensor(driver: ADS1115(bus: adsBus, configuration: .init(range: .fs0_256, rate: .sps860),
                                                 delay: adsBus.time.delay), calibration: .identity)
    try nau.probe()
    try ads.probe()

    let nauCount = CountingSink(next: nau7802Sink)
    let adsCount = CountingSink(next: ads1115Sink)
    let clock = BlockingMonotonicClock()
    let nauSampler = try Sampler(sensor: nau, sink: nauCount, configuration: .init(rateHz: 320), clock: clock)
    let adsSampler = try Sampler(sensor: ads, sink: adsCount, configuration: .init(rateHz: 860), clock: clock)

    let cpuStart = processCPUSeconds()
    let wallStart = clock.now
    let nauTask = nauSampler.startOnDedicatedThread(name: "sampler-nau7802", realtimePriority: realtimePriority)
    let adsTask = adsSampler.startOnDedicatedThread(name: "sampler-ads1115", realtimePriority: realtimePriority)
    try await Task.sleep(for: .seconds(durationSeconds))
    nauTask.cancel()
    adsTask.cancel()
    let nauSummary = await nauTask.value
    let adsSummary = await adsTask.value
    let wall = wallStart.duration(to: clock.now)
    let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
    let cpu = processCPUSeconds() - cpuStart

    return SamplerBenchmarkResult(
        wallSeconds: wallSeconds,
        streams: [
            .init(chip: "nau7802", rateHz: 320, expectedSamples: Int(durationSeconds * 320),
                  deliveredSamples: nauCount.samples.current, missedDeadlines: nauSummary.missedDeadlines, gaps: nauSummary.gaps,
                  phaseAdjustments: nauSummary.phaseAdjustments, overwrittenConversions: nauDevice.overwrittenConversions),
            .init(chip: "ads1115", rateHz: 860, expectedSamples: Int(durationSeconds * 860),
                  deliveredSamples: adsCount.samples.current, missedDeadlines: adsSummary.missedDeadlines, gaps: adsSummary.gaps,
                  phaseAdjustments: adsSummary.phaseAdjustments, overwrittenConversions: nil),
        ],
        cpuSecondsPerWallSecond: cpu / wallSeconds,
        peakRSSMegabytes: peakRSSMegabytes())
}

func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
}

/// VmHWM from /proc/self/status (falls back to ru_maxrss).
func peakRSSMegabytes() -> Double {
    if let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
       let kb = Double(line.split(separator: " ").dropFirst().first ?? "") {
        return kb / 1024
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
