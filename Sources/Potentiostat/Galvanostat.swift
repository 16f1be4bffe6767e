/// One reading from the instrument.
public struct GalvanostatReading: Equatable, Sendable {
    public var voltageVolts: Double
    public var currentAmps: Double
    public init(voltageVolts: Double, currentAmps: Double) {
        self.voltageVolts = voltageVolts; self.currentAmps = currentAmps
    }
}

/// Errors an instrument driver reports.
public enum InstrumentError: Error, Equatable, Sendable {
    /// The instrument's error queue returned entries after a command (command, entries).
    case instrumentReported(command: String, entries: [SCPIErrorEntry])
    /// The reply could not be parsed (command, parse error).
    case badReply(command: String, error: SCPIParseError)
    /// The transport failed (command, error).
    case link(command: String, error: TransportError)
    /// The instrument is not the expected model (its *IDN? reply).
    case unexpectedIdentity(String)
}

/// A current source with voltage measurement: what the protocol engine drives. Keep the
/// engine instrument-agnostic: SCPI SMUs, MethodSCRIPT potentiostats or a simulation.
/// Calls block (instrument round trips); implementations are thread-safe.
public protocol Galvanostat: Sendable {
    /// Instrument identity (e.g. the *IDN? reply).
    func identify() throws -> String
    /// Reset to a known state and configure current sourcing with voltage sensing,
    /// an instrument-side voltage limit (so a lost agent cannot drive the cell beyond it) and
    /// a high-impedance output-off state. Checks the instrument's error queue.
    func configure(voltageLimitVolts: Double) throws
    /// Set the source current, A (0 A = rest at open circuit when the output is on).
    func setCurrent(amps: Double) throws
    func outputOn() throws
    func outputOff() throws
    /// Measure voltage and current now.
    func measure() throws -> GalvanostatReading
    /// Best-effort, non-blocking-for-long output off from any thread (watchdog, signal path):
    /// used when the normal call path may be stuck. Never throws.
    func emergencyOff()
}
