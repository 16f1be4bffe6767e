import Foundation
@testable import Potentiostat

/// A small interpreter for the MethodSCRIPT subset the generator writes, with a model
/// cell, producing instrument-style output. Tests run generated scripts through it to
/// check their behaviour (step order, cut-offs, aborts, cell state), not just their text.
/// It is strict: unknown commands, undeclared variables, unbalanced blocks are errors.
struct MethodScriptTestInterpreter {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Cell voltage for a current, the time since the step began, and the cell state.
    var cellVoltage: (_ currentAmps: Double, _ stepSeconds: Double, _ cellOn: Bool) -> Double

    private indirect enum Node {
        case command([String], line: Int)
        case block(header: [String], body: [Node], line: Int)   // loop, meas_loop_*, if
    }

    private enum Control: Error { case breakLoop, abort }

    // Execution state.
    private var vars: [String: Double] = [:]
    private var types: [String: String] = [:]
    private var clock = 0.0
    private var timerStart = 0.0
    private var packet: [String]?
    private(set) var cellOn = false
    private(set) var output: [String] = []
    /// Times at which the cell was switched, for assertions.
    private(set) var cellEvents: [(time: Double, on: Bool)] = []

    init(cellVoltage: @escaping (Double, Double, Bool) -> Double) {
        self.cellVoltage = cellVoltage
    }

    /// Runs the script; returns the instrument's output text (lines + terminating blank line).
    mutating func run(_ script: String) throws -> String {
        var lines = script.components(separatedBy: "\n")
        guard lines.first == "e" else { throw Failure(message: "script does not start with e") }
        guard let end = lines.firstIndex(of: "") else { throw Failure(message: "no terminating blank line") }
        lines = Array(lines[1..<end])
        var numbered: [(Int, [String])] = []
        for (i, raw) in lines.enumerated() {
            let code = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let tokens = code.split(separator: " ").map(String.init)
            if !tokens.isEmpty { numbered.append((i + 2, tokens)) }
        }
        var index = 0
        let main = try parseBlock(numbered, &index, stopAt: ["on_finished:"])
        var finished: [Node] = []
        if index < numbered.count {
            index += 1
            finished = try parseBlock(numbered, &index, stopAt: [])
        }
        output.append("e")
        do { try exec(main) } catch Control.abort { } catch Control.breakLoop {
            throw Failure(message: "breakloop outside a loop")
        }
        try exec(finished)
        output.append("")
        return output.joined(separator: "\n") + "\n"
    }

    private func parseBlock(_ lines: [(Int, [String])], _ i: inout Int, stopAt: Set<String>) throws -> [Node] {
        var nodes: [Node] = []
        while i < lines.count {
            let (n, t) = lines[i]
            if stopAt.contains(t[0]) { return nodes }
            if t[0] == "endloop" || t[0] == "endif" { return nodes }
            i += 1
            if t[0] == "loop" || t[0].hasPrefix("meas_loop") || t[0] == "if" {
                let body = try parseBlock(lines, &i, stopAt: [])
                guard i < lines.count else { throw Failure(message: "line \(n): unclosed \(t[0])") }
                let closer = lines[i].1[0]
                guard closer == (t[0] == "if" ? "endif" : "endloop") else {
                    throw Failure(message: "line \(lines[i].0): \(closer) closes \(t[0])")
                }
                i += 1
                nodes.append(.block(header: t, body: body, line: n))
            } else {
                nodes.append(.command(t, line: n))
            }
        }
        return nodes
    }

    private func value(_ token: String, line: Int) throws -> Double {
        if let v = MethodScriptLiteral.parse(token) { return v }
        guard let v = vars[token] else { throw Failure(message: "line \(line): undeclared \(token)") }
        return v
    }

    private func condition(_ t: [String], line: Int) throws -> Bool {
        guard t.count == 4 else { throw Failure(message: "line \(line): bad condition \(t)") }
        let a = try value(t[1], line: line), b = try value(t[3], line: line)
        switch t[2] {
        case "<": return a < b
        case "<=": return a <= b
        case ">": return a > b
        case ">=": return a >= b
        case "==": return a == b
        case "!=": return a != b
        default: throw Failure(message: "line \(line): operator \(t[2])")
        }
    }

    private mutating func exec(_ nodes: [Node]) throws {
        for node in nodes {
            switch node {
            case .command(let t, let line): try command(t, line: line)
            case .block(let h, let body, let line):
                switch h[0] {
                case "if":
                    if try condition(h, line: line) { try exec(body) }
                case "loop":
                    output.append("L")
                    do { while try condition(h, line: line) { try exec(body) } } catch Control.breakLoop {}
                    output.append("+")
                case "meas_loop_cp", "meas_loop_ocp":
                    try measLoop(h, body, line: line)
                default: throw Failure(message: "line \(line): unknown block \(h[0])")
                }
            }
        }
    }

    private mutating func measLoop(_ h: [String], _ body: [Node], line: Int) throws {
        let cp = h[0] == "meas_loop_cp"
        guard h.count == (cp ? 6 : 4) else { throw Failure(message: "line \(line): \(h[0]) takes \(cp ? 5 : 3) arguments") }
        for v in h[1...(cp ? 2 : 1)] where vars[v] == nil { throw Failure(message: "line \(line): undeclared \(v)") }
        if cp && !cellOn { throw Failure(message: "line \(line): meas_loop_cp with the cell off") }
        let current = cp ? try value(h[3], line: line) : 0
        let interval = try value(h[cp ? 4 : 2], line: line)
        let duration = try value(h[cp ? 5 : 3], line: line)
        output.append(cp ? "M0000" : "M0001")
        var k = 1
        do {
            while Double(k) * interval <= duration + 1e-9 {
                clock += interval
                let e = cellVoltage(cp ? current : 0, Double(k) * interval, cellOn)
                vars[h[1]] = e; types[h[1]] = "ab"
                if cp { vars[h[2]] = current; types[h[2]] = "ba" }
                try exec(body)
                k += 1
            }
        } catch Control.breakLoop {}
        output.append("*")
    }

    private mutating func command(_ t: [String], line: Int) throws {
        func need(_ n: Int) throws {
            guard t.count == n else { throw Failure(message: "line \(line): \(t[0]) takes \(n - 1) arguments: \(t)") }
        }
        func declared(_ v: String) throws {
            guard vars[v] != nil else { throw Failure(message: "line \(line): undeclared \(v)") }
        }
        switch t[0] {
        case "var": try need(2); vars[t[1]] = 0
        case "store_var":
            try need(4); try declared(t[1])
            vars[t[1]] = try value(t[2], line: line); types[t[1]] = t[3]
        case "add_var": try need(3); try declared(t[1]); vars[t[1]]! += try value(t[2], line: line)
        case "set_pgstat_chan", "set_pgstat_mode", "set_max_bandwidth", "set_i": try need(2)
        case "set_range": try need(3)
        case "set_autoranging": try need(4)
        case "cell_on": try need(1); cellOn = true; cellEvents.append((clock, true))
        case "cell_off": try need(1); cellOn = false; cellEvents.append((clock, false))
        case "timer_start": try need(1); timerStart = clock
        case "timer_get": try need(2); try declared(t[1]); vars[t[1]] = clock - timerStart; types[t[1]] = "eb"
        case "pck_start": try need(1); packet = []
        case "pck_add":
            try need(2); try declared(t[1])
            guard packet != nil else { throw Failure(message: "line \(line): pck_add outside pck_start") }
            let type = types[t[1]] ?? "aa"
            guard let v = MethodScriptPacketEncoder.variable(
                MethodScriptVariableType(code: type), vars[t[1]]!, integer: type == "ja") else {
                throw Failure(message: "line \(line): cannot encode \(t[1])")
            }
            packet!.append(v)
        case "pck_end":
            try need(1)
            guard let p = packet else { throw Failure(message: "line \(line): pck_end without pck_start") }
            output.append(MethodScriptPacketEncoder.packet(p))
            packet = nil
        case "breakloop": try need(1); throw Control.breakLoop
        case "abort": try need(1); throw Control.abort
        default: throw Failure(message: "line \(line): unknown command \(t[0])")
        }
    }
}
