/// One reading of a force sensor: the raw counts it produced, the force they mean, and a
/// temperature if the part measured one alongside.
public struct ForceReading: Sendable, Equatable {
    /// Raw ADC or sensor counts, before any calibration.
    public var rawCounts: Int32
    /// Force in newtons after the sensor's calibration (or transfer function).
    public var forceNewtons: Double
    /// Temperature in °C, when the part measured one with this reading.
    public var temperatureCelsius: Double?

    public init(rawCounts: Int32, forceNewtons: Double, temperatureCelsius: Double? = nil) {
        self.rawCounts = rawCounts
        self.forceNewtons = forceNewtons
        self.temperatureCelsius = temperatureCelsius
    }
}

/// What the sampler reads: each driver adapts to this.
public protocol ForceSensor: Sendable {
    /// Chip name, e.g. "nau7802".
    var chip: String { get }
    /// The fastest sample rate the configured part delivers, in Hz.
    var maximumRateHz: Double { get }
    /// Resets and configures the part, checking identity where it has one.
    func probe() throws
    /// Reads one sample (waiting at most about one conversion period for fresh data).
    func read() throws -> ForceReading
}
