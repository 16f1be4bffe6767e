import Foundation

/// SCPI dialect of a Keithley SourceMeter.
public enum KeithleyDialect: String, Sendable {
    /// 2450 (and 2460/2461): `:SOUR:CURR:VLIM`, `:OUTP:SMOD HIMP`, `:READ? "defbuffer1", READ, SOUR`.
    case model2450
    /// 2400 series: `:SENS:VOLT:PROT`, `:OUTP:SMOD HIMP`, `:FORM:ELEM VOLT,CURR` + `:READ?`.
    case model2400
}

/// Keithley SourceMeter used as a galvanostat: sources current with an instrument-side voltage
/// limit, senses voltage, and sets the output-off state to high impedance (the 2450's default
/// "normal" off-state is a 0 V source, which would discharge the cell).
public final class KeithleySourceMeter: Galvanostat, @unchecked Sendable {
    public let channel: SCPIChannel
    public let dialect: KeithleyDialect
    /// Read the error queue after every n-th measurement (0 = never), so an instrument error
    /// raised between commands (interlock, overload, a front-panel change) stops the run.
    public let errorCheckEveryMeasurements: Int
    private let counterLock = NSLock()
    private var measurementCount = 0

    public init(channel: SCPIChannel, dialect: KeithleyDialect = .model2450, errorCheckEveryMeasurements: Int = 1) {
        self.channel = channel
        self.dialect = dialect
        self.errorCheckEveryMeasurements = errorCheckEveryMeasurements
    }

    /// Connect over TCP (raw socket, port 5025 on a real instrument).
    public convenience init(host: String, port: UInt16 = 5025, dialect: KeithleyDialect = .model2450) throws {
        self.init(channel: SCPIChannel(transport: try TCPTransport(host: host, port: port)), dialect: dialect)
    }

    private func send(_ command: String) throws {
        do { try channel.send(command) } catch let e as TransportError {
            throw InstrumentError.link(command: command, error: e)
        }
    }

    private func query(_ command: String) throws -> String {
        do { return try channel.query(command) } catch let e as TransportError {
            throw InstrumentError.link(command: command, error: e)
        }
    }

    /// The commands `configure` sends, in order (pure; exposed for tests and docs).
    public func configurationCommands(voltageLimitVolts: Double) -> [String] {
        let limit = String(format: "%.6g", voltageLimitVolts)
        var commands = ["*RST", "*CLS", ":SOUR:FUNC CURR", ":SOUR:CURR 0"]
        switch dialect {
        case .model2450:
            commands += [":SOUR:CURR:VLIM \(limit)", ":SENS:FUNC \"VOLT\"", ":SENS:VOLT:RANG:AUTO ON",
                         ":OUTP:SMOD HIMP"]
        case .model2400:
            commands += [":SENS:FUNC \"VOLT\"", ":SENS:VOLT:PROT \(limit)", ":SENS:VOLT:RANG:AUTO ON",
                         ":OUTP:SMOD HIMP", ":FORM:ELEM VOLT,CURR"]
        }
        return commands
    }

    public func identify() throws -> String { try query("*IDN?") }

    /// Drain the error queue; throw if anything was there.
    public func checkErrors(after command: String) throws {
        var entries: [SCPIErrorEntry] = []
        for _ in 0..<32 {   // bounded: a broken instrument must not loop us forever
            let reply = try query(":SYST:ERR?")
            let entry: SCPIErrorEntry
            do { entry = try SCPIReply.errorEntry(reply) } catch let e as SCPIParseError {
                throw InstrumentError.badReply(command: ":SYST:ERR?", error: e)
            }
            if entry.isNoError { break }
            entries.append(entry)
        }
        if !entries.isEmpty { throw InstrumentError.instrumentReported(command: command, entries: entries) }
    }

    public func configure(voltageLimitVolts: Double) throws {
        for command in configurationCommands(voltageLimitVolts: voltageLimitVolts) { try send(command) }
        try checkErrors(after: "configure")
    }

    public func setCurrent(amps: Double) throws {
        let command = ":SOUR:CURR \(String(format: "%.9g", amps))"
        try send(command)
        try checkErrors(after: command)
    }

    public func outputOn() throws {
        try send(":OUTP ON")
        try checkErrors(after: ":OUTP ON")
    }

    public func outputOff() throws {
        try send(":OUTP OFF")
        try checkErrors(after: ":OUTP OFF")
    }

    public func measure() throws -> GalvanostatReading {
        let command = dialect == .model2450 ? ":READ? \"defbuffer1\", READ, SOUR" : ":READ?"
        let reply = try query(command)
        do {
            let values = try SCPIReply.numbers(reply)
            guard values.count >= 2 else {
                throw SCPIParseError(reason: "expected voltage,current", byteOffset: reply.utf8.count, reply: reply)
            }
            let reading = GalvanostatReading(voltageVolts: values[0], currentAmps: values[1])
            if errorCheckEveryMeasurements > 0 {
                counterLock.lock()
                measurementCount += 1
                let due = measurementCount % errorCheckEveryMeasurements == 0
                counterLock.unlock()
                if due { try checkErrors(after: command) }
            }
            return reading
        } catch let e as SCPIParseError {
            throw InstrumentError.badReply(command: command, error: e)
        }
    }

    public func emergencyOff() { channel.sendBestEffort(":OUTP OFF") }
}
