import XCTest
@testable import Sensors

final class SamplerBenchmarkTests: XCTestCase {
    /// Smoke test only (no timing assertions): both streams deliver and the report has every figure.
    func testShortBenchmarkRunDeliversBothStreams() async throws {
        let result = try await runSamplerBenchmark(durationSeconds: 0.3)
        XCTAssertEqual(result.streams.map(\.chip), ["nau7802", "ads1115"])
        XCTAssertEqual(result.streams.map(\.expectedSamples), [96, 258])
        for s in result.streams { XCTAssertGreaterThan(s.deliveredSamples, 0, s.chip) }
        XCTAssertGreaterThan(result.peakRSSMegabytes, 1)
        XCTAssertGreaterThan(result.cpuSecondsPerWallSecond, 0)
        XCTAssertTrue(result.description.contains("expected 96"), result.description)
        XCTAssertTrue(result.description.contains("peak RSS"))
    }
}
