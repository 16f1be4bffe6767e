import XCTest
@testable import Sensors

actor CollectingSink: ForceSampleSink {
    var samples: [ForceSample] = []
    var events: [SamplerEvent] = []
    func record(_ sample: ForceSample) { samples.append(sample) }
    func record(_ event: SamplerEvent) { events.append(event) }
}

/// A sensor whose reads follow a script: read n returns counts n, or fails if n is in `failing`.
final class ScriptedSensor: ForceSensor, Sendable {
    struct Boom: Error, CustomStringConvertible { var description: String { "scripted failure" } }
    let failing: Set<Int>
    let maximumRateHz: Double
    private let reads = Locked(0)
    init(failing: Set<Int> = [], maximumRateHz: Double = 1000) {
        self.failing = failing
        self.maximumRateHz = maximumRateHz
    }
    var chip: String { "scripted" }
    var readCount: Int { reads.current }
    func probe() throws {}
    func read() throws -> ForceReading {
        let n = reads.withLock { $0 += 1; return $0 }
        if failing.contains(n) { throw Boom() }
        return ForceReading(rawCounts: Int32(n), forceNewtons: Double(n) / 10, temperatureCelsius: 25)
    }
}

final class SamplerTests: XCTestCase {
    func testPacedSamplesWithBothTimestamps() async throws {
        let clock = VirtualClock()
        let sink = CollectingSink()
        let sampler = try Sampler(sensor: ScriptedSensor(), sink: sink,
                                  configuration: .init(rateHz: 100, maximumSamples: 10), clock: clock, time: clock.time)
        let summary = await sampler.run()
        XCTAssertEqual(summary.samplesDelivered, 10)
        let samples = await sink.samples
        XCTAssertEqual(samples.map(\.rawCounts), (1...10).map(Double.init))
        for (i, s) in samples.enumerated() {
            XCTAssertEqual(s.monotonicSeconds, Double(i) * 0.01, accuracy: 1e-9)
            XCTAssertEqual(s.unixSeconds - s.monotonicSeconds, clock.unixEpochSeconds, accuracy: 1e-6)
        }
    }

    func testAveraging() async throws {
        let clock = VirtualClock()
        let sink = CollectingSink()
        let sampler = try Sampler(sensor: ScriptedSensor(), sink: sink,
                                  configuration: .init(rateHz: 50, readsPerSample: 4, maximumSamples: 3), clock: clock,
                                  time: clock.time)
        _ = await sampler.run()
        let samples = await sink.samples
        XCTAssertEqual(samples.map(\.rawCounts), [2.5, 6.5, 10.5])
        XCTAssertEqual(samples[0].forceNewtons, 0.25, accuracy: 1e-12)
        XCTAssertEqual(samples[0].readsAveraged, 4)
        XCTAssertEqual(samples[0].temperatureCelsius, 25)
    }

    func testFaultsOpenOneGapWithBackoffAndNeverStopTheLoop() async throws {
        let clock = VirtualClock()
        let sink = CollectingSink()
        let sensor = ScriptedSensor(failing: [3, 4, 5, 6])
        let sampler = try Sampler(sensor: sensor, sink: sink,
                                  configuration: .init(rateHz: 100, initialBackoffSeconds: 0.05, maximumBackoffSeconds: 0.2,
                                                       maximumSamples: 6), clock: clock, time: clock.time)
        let summary = await sampler.run()
        XCTAssertEqual(summary.samplesDelivered, 6)
        XCTAssertEqual(summary.failedReads, 4)
        XCTAssertEqual(summary.gaps, 1)
        let events = await sink.events
        XCTAssertEqual(events.map(\.kind), [.gapStarted, .gapEnded])
        XCTAssertEqual(events[0].error, "scripted failure")
        XCTAssertEqual(events[1].failedAttempts, 4)
        // Backoff 0.05, 0.1, 0.2, 0.2 (capped) s.
        XCTAssertEqual(events[1].gapSeconds ?? 0, 0.55, accuracy: 1e-9)
        let samples = await sink.samples
        XCTAssertEqual(samples.map(\.rawCounts), [1, 2, 7, 8, 9, 10])
    }

    func testShortStallsCatchUpAndLongStallsResynchronise() async throws {
        let clock = VirtualClock()
        let sink = CollectingSink()
        // Read 3 stalls 0.05 s (5 periods: caught up), read 10 stalls 1 s (resync, ~100 deadlines skipped).
        let sensor = StallingSensor(clock: clock, stalls: [3: .milliseconds(50), 10: .seconds(1)])
        let sampler = try Sampler(sensor: sensor, sink: sink,
                                  configuration: .init(rateHz: 100, maximumSamples: 20, maximumLatenessSeconds: 0.25),
                                  clock: clock, time: clock.time)
        let summary = await sampler.run()
        XCTAssertEqual(summary.samplesDelivered, 20)
        XCTAssertEqual(summary.overruns, 1)
        // Deadlines 0.10 ... 1.09 s are skipped by the 1 s stall that started at 0.09 s.
        XCTAssertEqual(summary.missedDeadlines, 100)
        let t = await sink.samples.map(\.monotonicSeconds)
        // Sample 3 ends at 0.07 s; samples 4–8 (deadlines 0.03–0.07) follow back-to-back; 9 is on time.
        XCTAssertEqual(t[2], 0.07, accuracy: 1e-9)
        XCTAssertEqual(t[3], 0.07, accuracy: 1e-9)
        XCTAssertEqual(t[7], 0.07, accuracy: 1e-9)
        XCTAssertEqual(t[8], 0.08, accuracy: 1e-9)
        XCTAssertEqual(t[9], 1.09, accuracy: 1e-9)
        XCTAssertEqual(t[10], 1.10, accuracy: 1e-9)
    }

    func testConfigurationErrors() {
        let clock = VirtualClock()
        let sink = CollectingSink()
        XCTAssertThrowsError(try Sampler(sensor: ScriptedSensor(), sink: sink, configuration: .init(rateHz: 0), clock: clock))
        XCTAssertThrowsError(try Sampler(sensor: ScriptedSensor(), sink: sink,
                                         configuration: .init(rateHz: 10, readsPerSample: 0), clock: clock))
        XCTAssertThrowsError(try Sampler(sensor: ScriptedSensor(maximumRateHz: 320), sink: sink,
                                         configuration: .init(rateHz: 100, readsPerSample: 4), clock: clock)) {
            XCTAssertTrue(String(describing: $0).contains("exceeds"))
        }
    }

    func testCancellationEndsARealTimeRun() async throws {
        let sink = CollectingSink()
        let sampler = try Sampler(sensor: ScriptedSensor(), sink: sink, configuration: .init(rateHz: 200),
                                  clock: ContinuousClock())
        let task = Task { await sampler.run() }
        // Safety timeout only: wait (≤ 10 s) for a few samples, then cancel.
        for _ in 0..<1000 where await sink.samples.count < 5 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let summary = await task.value
        XCTAssertGreaterThanOrEqual(summary.samplesDelivered, 5)
        let delivered = await sink.samples.count
        XCTAssertEqual(summary.samplesDelivered, delivered)
        let monotonic = await sink.samples.map(\.monotonicSeconds)
        XCTAssertEqual(monotonic, monotonic.sorted())
    }

    func testNAU7802ThroughSamplerRecoversFromNAK() async throws {
        let bus = SimulatedI2CBus(supportsPlainI2C: false)
        let device = SimulatedNAU7802(force: ForceSource { t in 10 + t }, noiseCounts: 0)
        bus.attach(device, at: 0x2A)
        let driver = NAU7802(bus: bus, configuration: .init(gain: .x128, rate: .sps320), delay: bus.time.delay)
        try driver.probe()
        let npc = NAU7802Conversion.newtonsPerCount(capacityNewtons: 50, sensitivityMillivoltsPerVolt: 2, gain: 128)
        let zeroBalance = 0.05e-3 * 128 * 16_777_216  // bridge zero balance, counts
        let sensor = NAU7802ForceSensor(driver: driver, calibration: Calibration(offsetCounts: zeroBalance, newtonsPerCount: npc))
        let clock = VirtualClock()
        let sink = CollectingSink()
        bus.inject(.nak, at: 0x2A, transfers: 3)
        let sampler = try Sampler(sensor: sensor, sink: sink, configuration: .init(rateHz: 80, readsPerSample: 4,
                                                                                  maximumSamples: 5), clock: clock, time: clock.time)
        let summary = await sampler.run()
        XCTAssertEqual(summary.samplesDelivered, 5)
        XCTAssertEqual(summary.gaps, 1)
        let events = await sink.events
        XCTAssertEqual(events.first?.kind, .gapStarted)
        XCTAssertTrue(events.first?.error.contains("no device answered") ?? false, events.first?.error ?? "")
        // Force follows the simulated ramp 10 N + t (t = simulated seconds of the device).
        for s in await sink.samples {
            XCTAssertGreaterThan(s.forceNewtons, 10)
            XCTAssertLessThan(s.forceNewtons, 10 + bus.time.nowSeconds + 0.01)
        }
    }
}

/// Advances the virtual clock inside chosen reads, like a thread descheduled mid-read.
final class StallingSensor: ForceSensor, Sendable {
    let clock: VirtualClock
    let stalls: [Int: Duration]
    private let reads = Locked(0)
    init(clock: VirtualClock, stalls: [Int: Duration]) {
        self.clock = clock
        self.stalls = stalls
    }
    var chip: String { "stalling" }
    var maximumRateHz: Double { 1000 }
    func probe() throws {}
    func read() throws -> ForceReading {
        let n = reads.withLock { $0 += 1; return $0 }
        if let d = stalls[n] { clock.advance(by: d) }
        return ForceReading(rawCounts: Int32(n), forceNewtons: 0)
    }
}

/// A free-running ADC on the virtual clock: conversions at 3 ms + k·10 ms; a read waits for the
/// next conversion it has not returned yet (like CR polling), and counts conversions overwritten.
final class FreeRunningADC: ForceSensor, Sendable {
    let clock: VirtualClock
    private let state = Locked((lastConversion: -1, lost: 0))
    init(clock: VirtualClock) { self.clock = clock }
    var chip: String { "free-running" }
    var maximumRateHz: Double { 100 }
    var lost: Int { state.current.lost }
    func probe() throws {}
    func read() throws -> ForceReading {
        let nowMs = clock.seconds * 1000
        let latest = Int(((nowMs - 3) / 10).rounded(.down))
        let conversion: Int = state.withLock { s in
            let next = s.lastConversion + 1
            let use = max(next, latest)
            s.lost += use - next
            s.lastConversion = use
            return use
        }
        let readyMs = 3 + Double(conversion) * 10
        if readyMs > nowMs { clock.advance(by: .microseconds(Int64(((readyMs - nowMs) * 1000).rounded()))) }
        return ForceReading(rawCounts: Int32(conversion), forceNewtons: 0)
    }
}

final class SamplerPhaseTests: XCTestCase {
    func testLocksOntoAPartThatPacesItself() async throws {
        let clock = VirtualClock()
        let sink = CollectingSink()
        let adc = FreeRunningADC(clock: clock)
        let sampler = try Sampler(sensor: adc, sink: sink, configuration: .init(rateHz: 100, maximumSamples: 50),
                                  clock: clock, time: clock.time)
        let summary = await sampler.run()
        XCTAssertEqual(summary.samplesDelivered, 50)
        XCTAssertEqual(summary.phaseAdjustments, 1, "locked once, then every read finds its conversion ready")
        XCTAssertEqual(adc.lost, 0)
        let counts = await sink.samples.map(\.rawCounts)
        XCTAssertEqual(counts, (0..<50).map(Double.init))
    }
}
