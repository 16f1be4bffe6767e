import Foundation
import XCTest
@testable import Potentiostat

/// The session against a scripted instrument on the other end of a loopback transport.
final class MethodScriptSessionTests: XCTestCase {
    /// Plays the instrument: reads the script up to its blank line, then answers with `reply`.
    private func instrument(_ end: LoopbackTransport, reply: String, received: Received) -> Thread {
        let thread = Thread {
            var script = ""
            while !script.hasSuffix("\n\n") {
                guard let bytes = try? end.read(maxCount: 4096, timeoutSeconds: 5) else { return }
                script += String(decoding: bytes, as: UTF8.self)
            }
            received.set(script: script)
            try? end.write(Array(reply.utf8))
            // Whatever the host sends afterwards (an abort) is recorded too.
            if let more = try? end.read(maxCount: 16, timeoutSeconds: 2) { received.append(String(decoding: more, as: UTF8.self)) }
        }
        thread.start()
        return thread
    }

    final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var scriptText = "", afterText = ""
        func set(script: String) { lock.withLock { scriptText = script } }
        func append(_ text: String) { lock.withLock { afterText += text } }
        var script: String { lock.withLock { scriptText } }
        var after: String { lock.withLock { afterText } }
    }

    private let script = try! MethodScriptGenerator.script(for: MethodScriptProtocol(
        steps: [.constantCurrent(currentAmps: 31.4e-6, durationSeconds: 3, voltageLimitVolts: nil)],
        samplingIntervalSeconds: 1, safetyAbortVolts: 4))

    func testAFinishedScriptDeliversEverySample() throws {
        let (host, device) = LoopbackTransport.pair()
        let received = Received()
        let reply = "e\nM0007\n"
            + "Peb80003E8m;ja8000001i;ab804C518u;ba8007AA8n\n"
            + "Peb80007D0m;ja8000001i;ab804C520u;ba8007AA8n\n"
            + "*\n\n"
        _ = instrument(device, reply: reply, received: received)
        var samples: [MethodScriptSample] = []
        let outcome = MethodScriptSession(transport: host, replyTimeoutSeconds: 5).run(script: script) { samples.append($0) }
        XCTAssertEqual(outcome, .finished(samples: 2))
        XCTAssertEqual(samples.map(\.timeSeconds), [1, 2])
        XCTAssertEqual(samples[0].currentAmps!, 31.4e-6, accuracy: 1e-12)
        XCTAssertEqual(received.script, script, "the whole script reached the instrument")
    }

    func testAnInstrumentErrorAbortsTheScript() throws {
        let (host, device) = LoopbackTransport.pair()
        let received = Received()
        let thread = instrument(device, reply: "e\nM0007\nPeb80003E8m;ja8000001i;ab804C518u\n!4004: Line 12, Col 1\n", received: received)
        var count = 0
        let outcome = MethodScriptSession(transport: host, replyTimeoutSeconds: 5).run(script: script) { _ in count += 1 }
        guard case .aborted(let reason, let samples) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(reason.contains("instrument"), reason)
        XCTAssertEqual(samples, 1)
        XCTAssertEqual(count, 1)
        while thread.isExecuting { usleep(10_000) }
        XCTAssertEqual(received.after, "Z\n", "the abort command went out: on_finished switches the cell off")
    }

    func testSilenceAndCancellationAbortToo() throws {
        let (host, device) = LoopbackTransport.pair()
        let received = Received()
        _ = instrument(device, reply: "e\nM0007\n", received: received)
        let outcome = MethodScriptSession(transport: host, replyTimeoutSeconds: 1).run(script: script) { _ in }
        guard case .aborted(let reason, _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(reason.contains("no reply"), reason)

        let (host2, device2) = LoopbackTransport.pair()
        _ = instrument(device2, reply: "e\nM0007\n", received: Received())
        let cancelled = MethodScriptSession(transport: host2, replyTimeoutSeconds: 30).run(script: script, isCancelled: { true }) { _ in }
        XCTAssertEqual(cancelled, .aborted(reason: "cancelled", samples: 0))
    }
}
