import XCTest
@testable import Potentiostat

final class MethodScriptGeneratorTests: XCTestCase {
    // The paper's cycling on a 2 mm cell: ±1 mA/cm² = ±31.4 µA, cut-off near |4 V|, rests.
    let paperProtocol = MethodScriptProtocol(
        steps: [
            .constantCurrent(currentAmps: 31.4e-6, durationSeconds: 4 * 3600, voltageLimitVolts: 4),
            .rest(durationSeconds: 600),
            .constantCurrent(currentAmps: -31.4e-6, durationSeconds: 4 * 3600, voltageLimitVolts: 4),
            .rest(durationSeconds: 600),
        ],
        samplingIntervalSeconds: 1, repeatCount: 3)

    /// Commands of the MethodSCRIPT manual this generator may use.
    let documentedCommands: Set<String> = [
        "e", "var", "store_var", "add_var", "set_pgstat_chan", "set_pgstat_mode", "set_max_bandwidth",
        "set_range", "set_autoranging", "set_i", "cell_on", "cell_off", "timer_start", "timer_get",
        "meas_loop_cp", "meas_loop_ocp", "pck_start", "pck_add", "pck_end", "if", "endif",
        "breakloop", "abort", "loop", "endloop", "on_finished:",
    ]

    func lines(_ s: String) -> [String] {
        s.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).trimmingCharacters(in: .whitespaces)
        }
    }

    func code(_ s: String) -> [[String]] {
        lines(s).filter { !$0.isEmpty && !$0.hasPrefix("#") }.map { $0.split(separator: " ").map(String.init) }
    }

    func testLiteralsUseSIPrefixedIntegers() throws {
        XCTAssertEqual(try MethodScriptLiteral.format(31.4e-6), "31400n")
        XCTAssertEqual(try MethodScriptLiteral.format(126e-6), "126u")
        XCTAssertEqual(try MethodScriptLiteral.format(0.01), "10m")
        XCTAssertEqual(try MethodScriptLiteral.format(-0.5), "-500m")
        XCTAssertEqual(try MethodScriptLiteral.format(4), "4")
        XCTAssertEqual(try MethodScriptLiteral.format(3600), "3600")
        XCTAssertEqual(try MethodScriptLiteral.format(360_000), "360k")
        XCTAssertEqual(try MethodScriptLiteral.format(0), "0")
        XCTAssertEqual(try MethodScriptLiteral.format(1.0 / 3.0), "333333333n")
        XCTAssertEqual(MethodScriptLiteral.integer(3), "3i")
        XCTAssertThrowsError(try MethodScriptLiteral.format(.nan))
        XCTAssertThrowsError(try MethodScriptLiteral.format(.infinity))
        // Round trip through the parser for a spread of magnitudes.
        for v in [31.4e-6, -126e-6, 2.5, 0.1, 1e-9, 123_456, -7.25e-3, 0.333] {
            let text = try MethodScriptLiteral.format(v)
            let back = try XCTUnwrap(MethodScriptLiteral.parse(text), text)
            XCTAssertEqual(back, v, accuracy: abs(v) * 1e-9, text)
            XCTAssertNotNil(Int64(text.filter { $0.isNumber || $0 == "-" }), text)
        }
    }

    func testCurrentRangeHoldsTheCurrent() {
        XCTAssertEqual(MethodScriptGenerator.currentRange(holding: 31.4e-6), 1e-4)
        XCTAssertEqual(MethodScriptGenerator.currentRange(holding: -126e-6), 1e-3)
        XCTAssertEqual(MethodScriptGenerator.currentRange(holding: 1e-4), 1e-4)
        XCTAssertNil(MethodScriptGenerator.currentRange(holding: 0.5))
    }

    func testScriptStartsWithEAndEndsWithTheOnlyBlankLine() throws {
        let script = try MethodScriptGenerator.script(for: paperProtocol)
        XCTAssertTrue(script.hasPrefix("e\n"))
        XCTAssertTrue(script.hasSuffix("\n\n"))
        let all = lines(script)
        // The only empty line is the terminator (a blank line inside would end the script early).
        let empties = all.enumerated().filter { $0.element.isEmpty }.map(\.offset)
        XCTAssertEqual(empties, [all.count - 2, all.count - 1])
        XCTAssertFalse(script.contains("\r"))
        XCTAssertTrue(script.allSatisfy { $0.isASCII })
    }

    func testEveryCommandIsDocumentedAndVariablesAreDeclaredBeforeUse() throws {
        let script = try MethodScriptGenerator.script(for: paperProtocol)
        var declared: Set<String> = []
        for tokens in code(script) {
            let command = tokens[0]
            XCTAssertTrue(documentedCommands.contains(command), "undocumented command \(command)")
            switch command {
            case "var": declared.insert(tokens[1])
            case "store_var", "add_var", "timer_get", "pck_add":
                XCTAssertTrue(declared.contains(tokens[1]), "\(tokens) uses undeclared variable")
            case "meas_loop_cp":
                XCTAssertEqual(tokens.count, 6, "\(tokens)")
                XCTAssertTrue(declared.contains(tokens[1]) && declared.contains(tokens[2]))
                for literal in tokens[3...] { XCTAssertNotNil(MethodScriptLiteral.parse(literal), literal) }
            case "meas_loop_ocp":
                XCTAssertEqual(tokens.count, 4, "\(tokens)")
                XCTAssertTrue(declared.contains(tokens[1]))
            case "if", "loop":
                XCTAssertEqual(tokens.count, 4, "\(tokens)")
                XCTAssertTrue(declared.contains(tokens[1]))
                XCTAssertTrue(["<", ">", "<=", ">=", "==", "!="].contains(tokens[2]))
                XCTAssertNotNil(MethodScriptLiteral.parse(tokens[3]), tokens[3])
            default: break
            }
        }
        // store_var gives a value and a variable type.
        for tokens in code(script) where tokens[0] == "store_var" {
            XCTAssertEqual(tokens.count, 4)
            XCTAssertEqual(tokens[3], "ja")
        }
    }

    func testBlocksBalanceAndCellIsSwitchedCorrectly() throws {
        let script = try MethodScriptGenerator.script(for: paperProtocol)
        var stack: [String] = []
        var cellOn = false
        var sawOnFinished = false
        var measLoops: [String] = []
        for tokens in code(script) {
            switch tokens[0] {
            case "if": stack.append("if")
            case "endif": XCTAssertEqual(stack.popLast(), "if")
            case "loop", "meas_loop_cp", "meas_loop_ocp": stack.append(tokens[0])
            case "endloop":
                let open = stack.popLast()
                XCTAssertTrue(open == "loop" || open?.hasPrefix("meas_loop") == true, "\(String(describing: open))")
            case "breakloop":
                XCTAssertTrue(stack.contains { $0.hasPrefix("meas_loop") }, "breakloop outside a measurement loop")
            case "cell_on": cellOn = true
            case "cell_off": cellOn = false
            case "on_finished:":
                XCTAssertTrue(stack.isEmpty)
                sawOnFinished = true
            default: break
            }
            if tokens[0] == "meas_loop_cp" { XCTAssertTrue(cellOn, "CP loop with the cell off"); measLoops.append("cp") }
            if tokens[0] == "meas_loop_ocp" { XCTAssertFalse(cellOn, "OCP with the cell on"); measLoops.append("ocp") }
        }
        XCTAssertTrue(stack.isEmpty)
        XCTAssertTrue(sawOnFinished)
        XCTAssertEqual(measLoops, ["cp", "ocp", "cp", "ocp"])
        // on_finished: is followed by cell_off, and it is the last command.
        let c = code(script)
        XCTAssertEqual(c[c.count - 2], ["on_finished:"])
        XCTAssertEqual(c[c.count - 1], ["cell_off"])
        // Galvanostatic mode, current set to 0 before every cell_on.
        XCTAssertTrue(c.contains(["set_pgstat_mode", "6"]))
        for (i, t) in c.enumerated() where t == ["cell_on"] {
            XCTAssertEqual(c[i - 1], ["set_i", "0"])
        }
    }

    func testValuesAndLimitsAppearAsWritten() throws {
        let script = try MethodScriptGenerator.script(for: paperProtocol)
        let c = code(script)
        let cp = c.filter { $0[0] == "meas_loop_cp" }
        XCTAssertEqual(cp.map { Array($0[3...]) }, [["31400n", "1", "14400"], ["-31400n", "1", "14400"]])
        XCTAssertEqual(c.filter { $0[0] == "meas_loop_ocp" }.map { Array($0[2...]) }, [["1", "600"], ["1", "600"]])
        XCTAssertTrue(c.contains(["set_range", "db", "100u"]))
        XCTAssertTrue(c.contains(["set_autoranging", "db", "100u", "100u"]))
        XCTAssertTrue(c.contains(["set_range", "ab", "4"]))
        XCTAssertTrue(c.contains(["set_max_bandwidth", "1"]))
        XCTAssertTrue(c.contains(["loop", "r", "<", "3i"]))
        XCTAssertEqual(c.filter { $0 == ["if", "p", ">", "4"] }.count, 2)
        XCTAssertEqual(c.filter { $0 == ["if", "p", "<", "-4"] }.count, 2)
        XCTAssertEqual(c.filter { $0 == ["breakloop"] }.count, 4)
        XCTAssertFalse(c.contains(["abort"]))
        // Step numbers 1...4 are stored before their loops.
        XCTAssertEqual(c.filter { $0[0] == "store_var" && $0[1] == "s" }.map { $0[2] }, ["1i", "2i", "3i", "4i"])
    }

    func testSingleRunWithSafetyAbortAndHigherCurrent() throws {
        let proto = MethodScriptProtocol(
            steps: [.constantCurrent(currentAmps: 126e-6, durationSeconds: 100, voltageLimitVolts: nil)],
            samplingIntervalSeconds: 0.1, repeatCount: 1, safetyAbortVolts: 5)
        let c = code(try MethodScriptGenerator.script(for: proto))
        XCTAssertFalse(c.contains { $0[0] == "loop" })
        XCTAssertTrue(c.contains(["meas_loop_cp", "p", "c", "126u", "100m", "100"]))
        XCTAssertTrue(c.contains(["set_range", "db", "1m"]))
        XCTAssertTrue(c.contains(["set_max_bandwidth", "10"]))
        XCTAssertEqual(c.filter { $0 == ["abort"] }.count, 2)
        XCTAssertFalse(c.contains(["breakloop"]))
        XCTAssertTrue(c.contains(["if", "p", ">", "5"]))
    }

    func testInvalidProtocolsAreRejected() {
        func rejects(_ p: MethodScriptProtocol, _ expected: MethodScriptGeneratorError) {
            XCTAssertThrowsError(try MethodScriptGenerator.script(for: p)) { error in
                XCTAssertEqual(error as? MethodScriptGeneratorError, expected)
            }
        }
        rejects(MethodScriptProtocol(steps: [], samplingIntervalSeconds: 1), .noSteps)
        rejects(MethodScriptProtocol(steps: [.rest(durationSeconds: 10)], samplingIntervalSeconds: 1, repeatCount: 0),
                .invalidRepeatCount(0))
        rejects(MethodScriptProtocol(steps: [.rest(durationSeconds: 10)], samplingIntervalSeconds: 0),
                .invalidSamplingInterval(0))
        rejects(MethodScriptProtocol(steps: [.rest(durationSeconds: 10)], samplingIntervalSeconds: 20),
                .intervalLongerThanStep(stepIndex: 0))
        rejects(MethodScriptProtocol(steps: [.rest(durationSeconds: 10),
                                            .constantCurrent(currentAmps: 0.5, durationSeconds: 10, voltageLimitVolts: nil)],
                                     samplingIntervalSeconds: 1),
                .currentBeyondRange(stepIndex: 1, currentAmps: 0.5))
        rejects(MethodScriptProtocol(steps: [.constantCurrent(currentAmps: 1e-5, durationSeconds: -1, voltageLimitVolts: nil)],
                                     samplingIntervalSeconds: 1),
                .invalidStepValue(stepIndex: 0, field: "durationSeconds", value: -1))
        rejects(MethodScriptProtocol(steps: [.constantCurrent(currentAmps: 1e-5, durationSeconds: 10, voltageLimitVolts: 0)],
                                     samplingIntervalSeconds: 1),
                .invalidStepValue(stepIndex: 0, field: "voltageLimitVolts", value: 0))
    }

    /// Packets laid out as the generated script's pck_adds decode to step-tagged samples.
    func testGeneratedPacketLayoutDecodes() throws {
        let script = try MethodScriptGenerator.script(for: paperProtocol)
        let adds = code(script).prefix { $0[0] != "pck_end" }.filter { $0[0] == "pck_add" }.map { $0[1] }
        XCTAssertEqual(adds, ["t", "s", "p", "c"])
        var d = MethodScriptPacketDecoder()
        let events = d.feed("e\nL\nM0007\nPeb80005DCm;ja8000001i;ab804C518u,10,20C;ba8007AA8n,10,212\n")
        guard case .packet(let p, _) = events.last else { return XCTFail("\(events)") }
        XCTAssertEqual(p.values.map(\.type), [.time, .miscGeneric1, .workingElectrodePotential, .workingElectrodeCurrent])
        XCTAssertEqual(p.first(.miscGeneric1), 1)
    }
}
