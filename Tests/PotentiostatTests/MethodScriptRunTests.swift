import XCTest
@testable import Potentiostat

final class MethodScriptRunTests: XCTestCase {
    /// Output as the generated paper protocol (repeat loop, CP step then rest) produces it.
    let output = "e\nL\nM0007\n"
        + "Peb80005DCm;ja8000001i;ab804C518u,10,20C;ba8007AA8n,10,212\n"
        + "Peb8000BB8m;ja8000001i;ab7F9B574u,12;ba8007AA8n,10,212\n"
        + "*\nM000B\n"
        + "Peb8000FA0m;ja8000002i;ab804C518u\n"
        + "*\nTlimit\n+\n\n"

    func testSamplesCarryStepTimePotentialAndCurrent() {
        var run = MethodScriptRun()
        let u = run.feed(Array(output.utf8))
        XCTAssertTrue(run.isAccepted)
        XCTAssertTrue(run.isFinished)
        XCTAssertNil(run.firstError)
        XCTAssertEqual(u.errors, [])
        XCTAssertEqual(u.texts, ["limit"])
        XCTAssertEqual(u.samples.count, 3)
        XCTAssertEqual(run.sampleCount, 3)
        XCTAssertEqual(u.samples[0].timeSeconds, 1.5, accuracy: 1e-12)
        XCTAssertEqual(u.samples[0].stepNumber, 1)
        XCTAssertEqual(u.samples[0].potentialVolts, 0.3126, accuracy: 1e-12)
        XCTAssertEqual(u.samples[0].currentAmps!, 31.4e-6, accuracy: 1e-15)
        XCTAssertEqual(u.samples[0].status, [])
        XCTAssertEqual(u.samples[1].status, .overload)
        XCTAssertEqual(u.samples[2].stepNumber, 2)
        XCTAssertNil(u.samples[2].currentAmps)  // rest: no current in the packet
        XCTAssertEqual(u.samples[2].timeSeconds, 4.0, accuracy: 1e-12)
    }

    func testInstrumentErrorStopsTrustAndIsReportedWithSamplesKept() {
        var run = MethodScriptRun()
        let u = run.feed(Array("e\nM0007\nPeb80005DCm;ja8000001i;ab804C518u\n!2008: Line 30, Col 5\n".utf8))
        XCTAssertEqual(u.samples.count, 1)
        XCTAssertEqual(u.errors.count, 1)
        guard case .instrument(let e)? = run.firstError else { return XCTFail("\(String(describing: run.firstError))") }
        XCTAssertEqual(e.code, 0x2008)
        XCTAssertEqual(e.scriptLine, 30)
        XCTAssertEqual(e.position.line, 4)
        XCTAssertFalse(run.isFinished)
    }

    func testPacketWithoutPotentialAndOutputAfterFinishAreErrors() {
        var run = MethodScriptRun()
        let u = run.feed(Array("e\nPeb80005DCm\n\nPeb80005DCm;ab804C518u\n".utf8))
        XCTAssertEqual(u.errors.count, 2)
        guard case .unexpectedPacket(let pos) = u.errors[0] else { return XCTFail("\(u.errors)") }
        XCTAssertEqual(pos.line, 2)
        guard case .outputAfterFinish(let p2?) = u.errors[1] else { return XCTFail("\(u.errors)") }
        XCTAssertEqual(p2.line, 4)
        XCTAssertTrue(run.isFinished)
    }
}
