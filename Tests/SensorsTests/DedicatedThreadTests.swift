import XCTest
@testable import Sensors

final class DedicatedThreadTests: XCTestCase {
    func testSamplerRunsOnItsOwnThreadAndStopsOnCancel() async throws {
        let sink = CollectingSink()
        let sampler = try Sampler(sensor: ScriptedSensor(), sink: sink, configuration: .init(rateHz: 500),
                                  clock: BlockingMonotonicClock())
        let task = sampler.startOnDedicatedThread(name: "test-sampler")
        // Safety timeout only: wait (≤ 10 s) for some samples, then cancel.
        for _ in 0..<1000 where await sink.samples.count < 10 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let summary = await task.value
        XCTAssertGreaterThanOrEqual(summary.samplesDelivered, 10)
        let counts = await sink.samples.map(\.rawCounts)
        XCTAssertEqual(counts, (1...counts.count).map(Double.init), "every read delivered, in order")
    }

    func testBlockingClockSleepsUntilTheDeadline() async throws {
        let clock = BlockingMonotonicClock()
        let start = clock.now
        try await clock.sleep(until: start.advanced(by: .milliseconds(20)), tolerance: nil)
        XCTAssertGreaterThanOrEqual(start.duration(to: clock.now), .milliseconds(20))
        let cancelled = Task {
            try await clock.sleep(until: clock.now.advanced(by: .seconds(30)), tolerance: nil)
        }
        cancelled.cancel()
        do {
            try await cancelled.value
            XCTFail("a cancelled sleep must throw")
        } catch {
            XCTAssertTrue(error is CancellationError)
        }
    }
}
