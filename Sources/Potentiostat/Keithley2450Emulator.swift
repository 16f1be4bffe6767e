import Foundation

/// The instrument side of the Keithley 2450 SCPI subset, backed by a `SimulatedCell`.
/// Pure request → reply logic (no I/O); `SMUEmulator` serves it over TCP.
/// Supports what `KeithleySourceMeter` sends and what PyMeasure's `Keithley2450` sends for
/// current sourcing / voltage measurement; other settings are stored and echoed back.
public final class Keithley2450Emulation: @unchecked Sendable {
    private let lock = NSLock()
    public let cell: SimulatedCell
    private var outputOn = false
    private var sourceFunction = "CURR"
    private var senseFunction = "VOLT"
    private var sourceCurrentAmps = 0.0
    private var sourceVoltageVolts = 0.0
    private var voltageLimitVolts = 21.0
    private var currentLimitAmps = 1.05e-4
    private var offMode = "NORM"
    private var settings: [String: String] = [:]
    private var errorQueue: [SCPIErrorEntry] = []
    /// Every command line received (for tests).
    public private(set) var log: [String] = []

    public init(cell: SimulatedCell) { self.cell = cell }

    /// True while the (simulated) output relay is on.
    public var isOutputOn: Bool { lock.lock(); defer { lock.unlock() }; return outputOn }
    /// The output-off mode ("NORM", "HIMP", "ZERO", "GUAR").
    public var outputOffMode: String { lock.lock(); defer { lock.unlock() }; return offMode }
    /// The instrument-side voltage limit, V.
    public var voltageLimit: Double { lock.lock(); defer { lock.unlock() }; return voltageLimitVolts }

    /// Inject an error into the queue (tests: "the instrument returned an error").
    public func injectError(_ entry: SCPIErrorEntry) {
        lock.lock(); errorQueue.append(entry); lock.unlock()
    }

    /// Switch the output off (e.g. the controlling connection dropped).
    public func forceOutputOff() {
        lock.lock(); defer { lock.unlock() }
        setOutputLocked(false)
    }

    private func setOutputLocked(_ on: Bool) {
        outputOn = on
        applySourceLocked()
    }

    /// What the cell sees: sourced current when on; off in HIMP → 0 A (open circuit).
    /// NORM/ZERO off-states would source 0 V — which discharges a symmetric cell only through
    /// its tiny OCV, so 0 A is also a fine model here (the flag is still recorded for tests).
    private func applySourceLocked() {
        if outputOn && sourceFunction == "CURR" {
            cell.sourceCurrent(amps: sourceCurrentAmps, voltageLimitVolts: voltageLimitVolts)
        } else {
            cell.sourceCurrent(amps: 0)
        }
    }

    private func pushError(_ code: Int, _ message: String) {
        if errorQueue.count < 32 { errorQueue.append(SCPIErrorEntry(code: code, message: message)) }
    }

    private static func format(_ v: Double) -> String {
        v.isNaN ? "9.91E+37" : String(format: "%+.6E", v)
    }

    private static func unquote(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        if let f = t.first, (f == "\"" || f == "'"), t.count >= 2, t.last == f { t = String(t.dropFirst().dropLast()) }
        return t.uppercased()
    }

    private static func onOff(_ s: String?) -> Bool? {
        switch s.map(unquote) {
        case "1", "ON": return true
        case "0", "OFF": return false
        default: return nil
        }
    }

    /// Handle one received line; returns the reply lines (one per query unit).
    public func handle(line: String) -> [String] {
        lock.lock(); defer { lock.unlock() }
        if log.count < 100_000 { log.append(line) }
        var replies: [String] = []
        for command in SCPICommandParser.parse(line: line) {
            if let reply = execute(command) { replies.append(reply) }
        }
        return replies
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func execute(_ c: SCPICommand) -> String? {
        let path = c.keywords.joined(separator: ":")
        let p0 = c.parameters.first
        func number() -> Double? { p0.flatMap { try? SCPIReply.number($0[...]) } }
        switch (path, c.isQuery) {
        case ("*IDN", true): return "KEITHLEY INSTRUMENTS,MODEL 2450,04000001,cellpress-emulator"
        case ("*RST", false):
            outputOn = false; sourceFunction = "CURR"; senseFunction = "CURR"; sourceCurrentAmps = 0
            sourceVoltageVolts = 0; voltageLimitVolts = 21; offMode = "NORM"; settings = [:]
            applySourceLocked(); return nil
        case ("*CLS", false): errorQueue.removeAll(); return nil
        case ("*OPC", true): return "1"
        case ("*OPC", false), ("*TRG", false), ("*SRE", false), ("*ESE", false), ("*WAI", false): return nil
        case ("STAT:PRES", false), ("ABOR", false), ("SYST:BEEP", false), ("TRAC:CLE", false),
             ("SYST:CLE", false): return nil
        case ("SYST:ERR", true), ("SYST:ERR:NEXT", true):
            return errorQueue.isEmpty ? "0,\"No error;0;0 0\"" : errorQueue.removeFirst().description
        case ("SOUR:FUNC", false), ("SOUR:FUNC:MODE", false):
            let f = SCPICommandParser.shortForm(Self.unquote(p0 ?? ""))
            guard f == "CURR" || f == "VOLT" else { pushError(-224, "Illegal parameter value"); return nil }
            sourceFunction = f; applySourceLocked(); return nil
        case ("SOUR:FUNC", true): return sourceFunction
        case ("SOUR:CURR", false), ("SOUR:CURR:LEV", false), ("SOUR:CURR:LEV:IMM", false), ("SOUR:CURR:LEV:IMM:AMPL", false):
            guard let v = number(), abs(v) <= 1.05 else { pushError(-222, "Data out of range"); return nil }
            sourceCurrentAmps = v; applySourceLocked(); return nil
        case ("SOUR:CURR", true), ("SOUR:CURR:LEV", true): return Self.format(sourceCurrentAmps)
        case ("SOUR:VOLT", false), ("SOUR:VOLT:LEV", false):
            guard let v = number() else { pushError(-224, "Illegal parameter value"); return nil }
            sourceVoltageVolts = v; return nil
        case ("SOUR:VOLT", true), ("SOUR:VOLT:LEV", true): return Self.format(sourceVoltageVolts)
        case ("SOUR:CURR:VLIM", false), ("SOUR:CURR:VLIM:LEV", false), ("SENS:VOLT:PROT", false), ("SENS:VOLT:PROT:LEV", false):
            guard let v = number(), v > 0, v <= 210 else { pushError(-222, "Data out of range"); return nil }
            voltageLimitVolts = v; applySourceLocked(); return nil
        case ("SOUR:CURR:VLIM", true), ("SENS:VOLT:PROT", true): return Self.format(voltageLimitVolts)
        case ("SOUR:VOLT:ILIM", false):
            guard let v = number() else { pushError(-224, "Illegal parameter value"); return nil }
            currentLimitAmps = v; return nil
        case ("SOUR:VOLT:ILIM", true): return Self.format(currentLimitAmps)
        case ("SENS:FUNC", false), ("SENS:FUNC:ON", false):
            let f = SCPICommandParser.shortForm(Self.unquote(p0 ?? ""))
            guard ["VOLT", "CURR", "RES"].contains(f) else { pushError(-224, "Illegal parameter value"); return nil }
            senseFunction = f; return nil
        case ("SENS:FUNC", true): return "\"\(senseFunction):DC\""
        case ("OUTP", false), ("OUTP:STAT", false):
            guard let on = Self.onOff(p0) else { pushError(-224, "Illegal parameter value"); return nil }
            setOutputLocked(on); return nil
        case ("OUTP", true), ("OUTP:STAT", true): return outputOn ? "1" : "0"
        case ("OUTP:SMOD", false), ("OUTP:CURR:SMOD", false), ("OUTP:VOLT:SMOD", false):
            let m = SCPICommandParser.shortForm(Self.unquote(p0 ?? ""))
            guard ["NORM", "HIMP", "ZERO", "GUAR"].contains(m) else { pushError(-224, "Illegal parameter value"); return nil }
            offMode = m; return nil
        case ("OUTP:SMOD", true), ("OUTP:CURR:SMOD", true), ("OUTP:VOLT:SMOD", true): return offMode
        case ("READ", true), ("MEAS", true), ("MEAS:VOLT", true), ("MEAS:CURR", true), ("FETC", true):
            return readLocked(path: path, parameters: c.parameters)
        default:
            // Range, NPLC, averaging, delay, terminal, format settings: accept and remember,
            // so PyMeasure's configuration calls succeed; unknown roots are undefined headers.
            let known = ["SOUR", "SENS", "ROUT", "FORM", "TRAC", "TRIG", "DISP", "SYST", "OUTP", "STAT"]
            guard let root = c.keywords.first, known.contains(root) else {
                pushError(-113, "Undefined header"); return nil
            }
            if c.isQuery { return settings[path] ?? "0" }
            settings[path] = c.parameters.joined(separator: ",")
            return nil
        }
    }

    private func readLocked(path: String, parameters: [String]) -> String {
        let current = outputOn && sourceFunction == "CURR" ? cell.currentFlowingAmps : 0
        let voltage = cell.measureVoltageVolts()
        let elements = parameters.dropFirst().map { Self.unquote($0) }
        let primary: Double
        switch path {
        case "MEAS:CURR": primary = current
        case "MEAS:VOLT": primary = voltage
        default: primary = senseFunction == "CURR" ? current : voltage
        }
        if elements.isEmpty { return Self.format(primary) }
        return elements.map { e -> String in
            switch SCPICommandParser.shortForm(e) {
            case "SOUR": return Self.format(sourceFunction == "CURR" ? current : sourceVoltageVolts)
            case "REL", "SEC": return Self.format(cell.clock.nowSeconds())
            default: return Self.format(primary)
            }
        }.joined(separator: ",")
    }
}
