// Honeywell FMA series MicroForce sensor — digital (I2C) force sensor, ranges 5, 15, 25 N,
// address 0x28 by default (others by part number). Datasheet: Honeywell "FMA Series".
//
// No registers: a plain I2C read returns 2 bytes (status + 14-bit force counts) or 4 bytes
// (plus 11-bit temperature). Status (bits 15:14): 00 normal, 01 command mode, 10 stale,
// 11 diagnostic. Transfer function by part number: 10 %–90 % of 2^14 counts (1638...14745)
// or 20 %–80 % (3277...13107) over 0...full-scale N:
//     force = (counts − countsMin) × rangeN / (countsMax − countsMin)
// Temperature: °C = counts/2047 × 200 − 50. A write would be taken as a command, so the
// driver never writes; SMBus-only adapters (i2c-stub) cannot read this part.

public enum HoneywellFMA {
    public enum TransferFunction: String, Sendable, Codable, CaseIterable {
        case tenToNinetyPercent, twentyToEightyPercent
        public var countsAtZero: Double { self == .tenToNinetyPercent ? 1638 : 3277 }
        public var countsAtFullScale: Double { self == .tenToNinetyPercent ? 14745 : 13107 }
    }

    public struct Part: Sendable, Equatable, Codable {
        public var rangeNewtons: Double
        public var transferFunction: TransferFunction
        public var readsTemperature: Bool
        public init(rangeNewtons: Double = 25, transferFunction: TransferFunction = .twentyToEightyPercent,
                    readsTemperature: Bool = true) {
            self.rangeNewtons = rangeNewtons
            self.transferFunction = transferFunction
            self.readsTemperature = readsTemperature
        }
    }

    public static let defaultAddress: UInt8 = 0x28

    /// Force counts → newtons by the part's transfer function.
    public static func forceNewtons(counts: Double, part: Part) -> Double {
        let tf = part.transferFunction
        return (counts - tf.countsAtZero) * part.rangeNewtons / (tf.countsAtFullScale - tf.countsAtZero)
    }

    /// Newtons → counts (inverse, for simulation).
    public static func counts(forceNewtons: Double, part: Part) -> Double {
        let tf = part.transferFunction
        return forceNewtons / part.rangeNewtons * (tf.countsAtFullScale - tf.countsAtZero) + tf.countsAtZero
    }

    /// 11-bit temperature counts → °C.
    public static func temperatureCelsius(counts: UInt16) -> Double { Double(counts) / 2047 * 200 - 50 }
    /// °C → 11-bit temperature counts (for simulation).
    public static func temperatureCounts(celsius: Double) -> UInt16 {
        UInt16(min(max(((celsius + 50) / 200 * 2047).rounded(), 0), 2047))
    }
}

/// Shared reader for the FMA and FX29 frames: plain I2C read, status check, stale retry.
struct DigitalForceReader: Sendable {
    let chip: String
    let bus: any I2CBus
    let address: UInt8
    let frameBytes: Int
    let delay: Delay
    let retryDelaySeconds: Double

    func error(_ kind: SensorError.Kind, _ detail: String) -> SensorError {
        SensorError(kind, chip: chip, bus: bus.name, address: address, detail: detail)
    }

    /// Reads one fresh frame; a stale frame is re-read up to 3 times.
    func readFrame() throws -> (counts: UInt16, bytes: [UInt8]) {
        for attempt in 0..<4 {
            let bytes = try bus.read(address: address, count: frameBytes)
            let (status, counts) = DigitalForceFrame.decode(bytes[0], bytes[1])
            switch status {
            case .normal: return (counts, bytes)
            case .stale:
                if attempt < 3 { delay.sleep(retryDelaySeconds) }
            case .commandMode: throw error(.commandMode, "status bits 01: part is in command mode")
            case .diagnostic: throw error(.diagnosticFault, "status bits 11: diagnostic condition (bridge or memory fault)")
            }
        }
        throw error(.staleData, "status bits 10: no new data after 4 reads")
    }
}

/// Honeywell FMA as a `ForceSensor`. An optional `Calibration` (e.g. a tare) is applied to
/// the counts instead of the nominal transfer function.
public final class HoneywellFMASensor: ForceSensor, Sendable {
    public let part: HoneywellFMA.Part
    public let calibration: Calibration?
    private let reader: DigitalForceReader

    public init(bus: any I2CBus, address: UInt8 = HoneywellFMA.defaultAddress, part: HoneywellFMA.Part = .init(),
                calibration: Calibration? = nil, delay: Delay = .system) {
        self.part = part
        self.calibration = calibration
        reader = DigitalForceReader(chip: "FMA", bus: bus, address: address, frameBytes: part.readsTemperature ? 4 : 2,
                                    delay: delay, retryDelaySeconds: 0.0005)
    }

    public var chip: String { "fma" }
    /// The FMA updates its output at about 1 kHz (datasheet response time); sample slower.
    public var maximumRateHz: Double { 1000 }

    /// No identity register: one frame must read with a normal or stale status.
    public func probe() throws { _ = try reader.readFrame() }

    public func read() throws -> ForceReading {
        let (counts, bytes) = try reader.readFrame()
        let newtons = calibration?.forceNewtons(counts: Double(counts))
            ?? HoneywellFMA.forceNewtons(counts: Double(counts), part: part)
        let celsius = part.readsTemperature
            ? HoneywellFMA.temperatureCelsius(counts: DigitalForceFrame.temperatureCounts(bytes[2], bytes[3])) : nil
        return ForceReading(rawCounts: Int32(counts), forceNewtons: newtons, temperatureCelsius: celsius)
    }
}
