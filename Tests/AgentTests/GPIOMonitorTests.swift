import Foundation
import XCTest
@testable import AgentKit
import Sensors

final class GPIOMonitorTests: XCTestCase {
    func testEachEdgeOfASimulatedTriggerIsReportedInOrderOnTheWallClock() throws {
        let gpio = SimulatedGPIO()
        gpio.addLine(chip: "gpiochip0", offset: 17, name: "scan-trigger")
        let line = try gpio.request(.name("scan-trigger"), mode: .bothEdges, consumer: "test")
        let collected = NSLock()
        nonisolated(unsafe) var edges: [GPIOMonitor.Edge] = []
        let all = expectation(description: "four edges")
        all.expectedFulfillmentCount = 4
        // Wall clock = monotonic + 1000 s, so the conversion is visible.
        let time = SampleTimeSource(monotonicSeconds: { ProcessInfo.processInfo.systemUptime },
                                    unixSeconds: { ProcessInfo.processInfo.systemUptime + 1000 })
        let monitor = GPIOMonitor(line: line, role: "scan_trigger", time: time, onEdge: { edge in
            collected.withLock { edges.append(edge) }
            all.fulfill()
        }, onError: { XCTFail("\($0)") })
        monitor.start()
        for value in [true, false, true, false] {
            gpio.drive(.name("scan-trigger"), to: value)
            usleep(5_000)
        }
        wait(for: [all], timeout: 10)
        monitor.stop()
        let seen = collected.withLock { edges }
        XCTAssertEqual(seen.map(\.edge), [.rising, .falling, .rising, .falling])
        XCTAssertEqual(seen.map(\.monotonicSeconds), seen.map(\.monotonicSeconds).sorted())
        for edge in seen { XCTAssertEqual(edge.unixTimeSeconds - edge.monotonicSeconds, 1000, accuracy: 0.01) }
    }

    func testStoppingAMonitorThatNeverStartedReturns() throws {
        let gpio = SimulatedGPIO()
        gpio.addLine(offset: 1, name: "door")
        let monitor = GPIOMonitor(line: try gpio.request(.name("door"), mode: .bothEdges, consumer: "t"),
                                  role: "door", onEdge: { _ in }, onError: { _ in })
        monitor.stop()
    }
}
