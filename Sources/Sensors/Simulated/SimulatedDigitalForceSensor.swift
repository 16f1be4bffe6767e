/// A simulated Honeywell FMA or TE FX29: each plain read returns status + 14-bit counts
/// (+ temperature for the FMA). A new conversion is ready every `updatePeriodSeconds`; reading
/// twice within one period returns the stale status, as the parts do. Writes are ignored.
public final class SimulatedDigitalForceSensor: SimulatedI2CDevice, Sendable {
    public enum Model: Sendable {
        case fma(HoneywellFMA.Part)
        case fx29(rangeNewtons: Double)
    }

    public let model: Model
    public let force: ForceSource
    public let updatePeriodSeconds: Double
    private let state: Locked<(lastReadConversion: Int, forcedStatus: DigitalForceStatus?, celsius: Double)>

    public init(model: Model, force: ForceSource = ForceSource(), updatePeriodSeconds: Double = 0.001,
                temperatureCelsius: Double = 25) {
        self.model = model
        self.force = force
        self.updatePeriodSeconds = updatePeriodSeconds
        state = Locked((-1, nil, temperatureCelsius))
    }

    /// Forces the status bits of every frame (command mode, diagnostic...); nil for normal behaviour.
    public func force(status: DigitalForceStatus?) { state.withLock { $0.forcedStatus = status } }
    public func setTemperature(celsius: Double) { state.withLock { $0.celsius = celsius } }

    public func receive(_ bytes: [UInt8], atSeconds time: Double) {}

    public func transmit(count: Int, atSeconds t: Double) -> [UInt8] {
        let newtons = force.forceNewtons(atSeconds: t)
        let counts: Double
        switch model {
        case let .fma(part): counts = HoneywellFMA.counts(forceNewtons: newtons, part: part)
        case let .fx29(range): counts = TEFX29.counts(forceNewtons: newtons, rangeNewtons: range)
        }
        let conversion = Int((t / updatePeriodSeconds).rounded(.down))
        let (status, celsius): (DigitalForceStatus, Double) = state.withLock { s in
            defer { s.lastReadConversion = conversion }
            if let forced = s.forcedStatus { return (forced, s.celsius) }
            return (conversion > s.lastReadConversion ? .normal : .stale, s.celsius)
        }
        let frame = DigitalForceFrame.encode(status: status, counts: UInt16(min(max(counts.rounded(), 0), 16383)),
                                             temperatureCounts: HoneywellFMA.temperatureCounts(celsius: celsius))
        return (0..<count).map { $0 < frame.count ? frame[$0] : 0xFF }
    }
}
