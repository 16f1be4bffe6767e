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
