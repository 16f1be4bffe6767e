import Foundation

/// A `Galvanostat` wired straight to a `SimulatedCell` (no transport): in-process runs and
/// tests. Models an SMU with an instrument-side voltage limit (compliance).
public final class SimulatedGalvanostat: Galvanostat, @unchecked Sendable {
    private let lock = NSLock()
    public let cell: SimulatedCell
    private var setpointAmps = 0.0
    private var on = false
    private var voltageLimitVolts = 21.0
    /// Errors to throw from the next calls (tests: "the instrument returned an error").
    private var injected: [InstrumentError] = []

    public init(cell: SimulatedCell) { self.cell = cell }

    public var isOutputOn: Bool { lock.lock(); defer { lock.unlock() }; return on }

    public func inject(_ error: InstrumentError) { lock.lock(); injected.append(error); lock.unlock() }

    private func checkInjectedLocked() throws {
        if !injected.isEmpty { throw injected.removeFirst() }
    }

    public func identify() throws -> String { "cellpress,SimulatedGalvanostat,0,1" }

    public func configure(voltageLimitVolts: Double) throws {
        lock.lock(); defer { lock.unlock() }
        try checkInjectedLocked()
        self.voltageLimitVolts = voltageLimitVolts
        on = false; setpointAmps = 0
        cell.sourceCurrent(amps: 0)
    }

    public func setCurrent(amps: Double) throws {
        lock.lock(); defer { lock.unlock() }
        try checkInjectedLocked()
        setpointAmps = amps
        if on { cell.sourceCurrent(amps: amps, voltageLimitVolts: voltageLimitVolts) }
    }

    public func outputOn() throws {
        lock.lock(); defer { lock.unlock() }
        try checkInjectedLocked()
        on = true
        cell.sourceCurrent(amps: setpointAmps, voltageLimitVolts: voltageLimitVolts)
    }

    public func outputOff() throws {
        lock.lock(); defer { lock.unlock() }
        on = false
        cell.sourceCurrent(amps: 0)
    }

    public func measure() throws -> GalvanostatReading {
        lock.lock(); defer { lock.unlock() }
        try checkInjectedLocked()
        if on { cell.sourceCurrent(amps: setpointAmps, voltageLimitVolts: voltageLimitVolts) } // re-check compliance
        return GalvanostatReading(voltageVolts: cell.measureVoltageVolts(), currentAmps: on ? cell.currentFlowingAmps : 0)
    }

    public func emergencyOff() {
        // Best effort without waiting on a possibly stuck caller.
        let got = lock.lock(before: Date(timeIntervalSinceNow: 0.2))
        on = false
        cell.sourceCurrent(amps: 0)
        if got { lock.unlock() }
    }
}
