// Writes a MethodSCRIPT for instruments that have `meas_loop_cp` (EmStat4, Nexus, ...):
// the shape follows PalmSens' own chronopotentiometry examples (MethodSCRIPT 1.8):
//
//   e                              first line: "execute the script that follows"
//   var ...                        declarations
//   set_pgstat_chan / set_pgstat_mode 6 (galvanostat) / set_max_bandwidth / set_range ...
//   set_i 0, cell_on               never switch on with a stale current
//   meas_loop_cp p c I dt T        one loop per constant-current step, packets inside,
//     if p > limit breakloop       cut-off on |E|
//   cell_off + meas_loop_ocp       rests at open circuit
//   on_finished: cell_off          runs however the script ends
//   (blank line)                   ends the script
//
// Each packet carries time (`eb`), the step number (`ja`, 1-based), the potential (`ab`)
// and, under current, the current (`ba`), so the host can assign samples to steps.

public enum MethodScriptGeneratorError: Error, Sendable, Equatable {
    case noSteps
    case invalidRepeatCount(Int)
    case invalidSamplingInterval(Double)
    /// `field` of step `stepIndex` (0-based) is not finite or not positive.
    case invalidStepValue(stepIndex: Int, field: String, value: Double)
    /// The sampling interval is longer than the step.
    case intervalLongerThanStep(stepIndex: Int)
    /// |current| above the largest range (100 mA) this generator knows.
    case currentBeyondRange(stepIndex: Int, currentAmps: Double)
    case invalidSafetyAbortVolts(Double)
}

public enum MethodScriptGenerator {
    /// Decade current ranges (A) of the EmStat4 family (LR: 1 nA … 10 mA, HR up to 100 mA).
    public static let currentRangesAmps: [Double] = [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]

    /// The smallest current range that holds |current|, nil if none does.
    public static func currentRange(holding currentAmps: Double) -> Double? {
        // A tiny tolerance so 100 µA chooses the 100 µA range despite float noise.
        currentRangesAmps.first { abs(currentAmps) <= $0 * (1 + 1e-9) }
    }

    /// The script for `protocol`, ending with the blank line the instrument needs.
    public static func script(for proto: MethodScriptProtocol) throws(MethodScriptGeneratorError) -> String {
        try validate(proto)
        var out = ScriptWriter()
        let interval = proto.samplingIntervalSeconds
        let maxCurrent = proto.steps.map { step -> Double in
            if case .constantCurrent(let i, _, _) = step { return abs(i) }
            return 0
        }.max() ?? 0
        let range = currentRange(holding: maxCurrent) ?? currentRangesAmps.last!
        // Potential range: enough for the highest limit the script checks.
        let limits = proto.steps.compactMap { step -> Double? in
            if case .constantCurrent(_, _, let v?) = step { return abs(v) }
            return nil
        } + (proto.safetyAbortVolts.map { [abs($0)] } ?? [])
        let potentialRange = limits.max() ?? 2

        out.line("e")
        out.line("# cellpress galvanostatic protocol: \(proto.steps.count) step(s) x \(proto.repeatCount)")
        out.line("# packets: eb time s, ja step number, ab potential V, ba current A")
        for v in ["p", "c", "t", "s", "r"] { out.line("var \(v)") }
        out.line("store_var r \(MethodScriptLiteral.integer(0)) ja")
        out.line("set_pgstat_chan 0")
        out.line("set_pgstat_mode 6")  // galvanostatic mode (EmStat4/Nexus CP examples)
        out.line("set_max_bandwidth \(lit(1 / interval))")
        out.line("set_range ab \(lit(potentialRange))")
        out.line("set_autoranging ab \(lit(min(0.1, potentialRange))) \(lit(potentialRange))")
        // The applied-current range stays fixed: autoranging it mid-step would glitch the current.
        out.line("set_range db \(lit(range))")
        out.line("set_autoranging db \(lit(range)) \(lit(range))")
        out.line("set_i 0")
        out.line("timer_start")

        let repeated = proto.repeatCount > 1
        if repeated { out.line("loop r < \(MethodScriptLiteral.integer(proto.repeatCount))"); out.indent += 1 }
        var cellOn = false
        for (index, step) in proto.steps.enumerated() {
            let number = index + 1
            switch step {
            case .constantCurrent(let current, let duration, let limit):
                out.line("# step \(number): constant current \(lit(current)) A for \(lit(duration)) s"
                         + (limit.map { ", cut-off |E| > \(lit(abs($0))) V" } ?? ""))
                out.line("store_var s \(MethodScriptLiteral.integer(number)) ja")
                if !cellOn {
                    out.line("set_i 0")
                    out.line("cell_on")
                    cellOn = true
                }
                out.line("meas_loop_cp p c \(lit(current)) \(lit(interval)) \(lit(duration))")
                out.indent += 1
                packet(&out, withCurrent: true)
                if let limit {
                    cutOff(&out, above: abs(limit), action: "breakloop")
                }
                if let abortVolts = proto.safetyAbortVolts {
                    cutOff(&out, above: abs(abortVolts), action: "abort")
                }
                out.indent -= 1
                out.line("endloop")
            case .rest(let duration):
                out.line("# step \(number): rest at open circuit for \(lit(duration)) s")
                if cellOn {
                    out.line("cell_off")
                    cellOn = false
                }
                out.line("store_var s \(MethodScriptLiteral.integer(number)) ja")
                out.line("meas_loop_ocp p \(lit(interval)) \(lit(duration))")
                out.indent += 1
                packet(&out, withCurrent: false)
                if let abortVolts = proto.safetyAbortVolts {
                    cutOff(&out, above: abs(abortVolts), action: "abort")
                }
                out.indent -= 1
                out.line("endloop")
            }
        }
        if cellOn { out.line("cell_off") }
        if repeated {
            out.line("add_var r \(MethodScriptLiteral.integer(1))")
            out.indent -= 1
            out.line("endloop")
        }
        out.line("on_finished:")
        out.indent += 1
        out.line("cell_off")
        out.indent -= 1
        out.line("")  // the blank line that ends the script
        return out.text
    }

    private static func packet(_ out: inout ScriptWriter, withCurrent: Bool) {
        out.line("timer_get t")
        out.line("pck_start")
        out.indent += 1
        out.line("pck_add t")
        out.line("pck_add s")
        out.line("pck_add p")
        if withCurrent { out.line("pck_add c") }
        out.indent -= 1
        out.line("pck_end")
    }

    private static func cutOff(_ out: inout ScriptWriter, above volts: Double, action: String) {
        out.line("if p > \(lit(volts))")
        out.line("    \(action)")
        out.line("endif")
        out.line("if p < \(lit(-volts))")
        out.line("    \(action)")
        out.line("endif")
    }

    /// Values were validated finite and in range, so formatting cannot fail here.
    private static func lit(_ v: Double) -> String {
        (try? MethodScriptLiteral.format(v)) ?? "0"
    }

    private static func validate(_ p: MethodScriptProtocol) throws(MethodScriptGeneratorError) {
        guard !p.steps.isEmpty else { throw .noSteps }
        guard p.repeatCount >= 1 else { throw .invalidRepeatCount(p.repeatCount) }
        let dt = p.samplingIntervalSeconds
        guard dt.isFinite, dt > 0, dt <= 1e6 else { throw .invalidSamplingInterval(dt) }
        if let v = p.safetyAbortVolts, !(v.isFinite && v > 0 && v <= 100) {
            throw .invalidSafetyAbortVolts(v)
        }
        for (i, step) in p.steps.enumerated() {
            let d = step.durationSeconds
            guard d.isFinite, d > 0, d < 1e9 else {
                throw .invalidStepValue(stepIndex: i, field: "durationSeconds", value: d)
            }
            guard dt <= d else { throw .intervalLongerThanStep(stepIndex: i) }
            if case .constantCurrent(let current, _, let limit) = step {
                guard current.isFinite else {
                    throw .invalidStepValue(stepIndex: i, field: "currentAmps", value: current)
                }
                guard currentRange(holding: current) != nil else {
                    throw .currentBeyondRange(stepIndex: i, currentAmps: current)
                }
                if let limit, !(limit.isFinite && limit > 0 && limit <= 100) {
                    throw .invalidStepValue(stepIndex: i, field: "voltageLimitVolts", value: limit)
                }
            }
        }
    }
}

/// Accumulates indented script lines ("\n"-terminated, 4 spaces per level).
private struct ScriptWriter {
    var text = ""
    var indent = 0
    mutating func line(_ s: String) {
        if !s.isEmpty { text += String(repeating: "    ", count: indent) }
        text += s + "\n"
    }
}
