// TE Connectivity FX29 — compression load cell with digital (I2C) output, address 0x28 by
// default (other addresses by part number), ranges 10...100 lbf (≈ 44...445 N).
// Datasheet: TE "FX29 Compression Load Cell".
//
// No registers: a plain I2C read returns status (bits 15:14, as on the FMA: 00 normal,
// 01 command, 10 stale, 11 diagnostic) and 14-bit bridge counts: 1000 counts at zero load,
// 15000 counts at full scale:  force = (counts − 1000) / 14000 × rangeN.
// Driver never writes (a write is a command); plain I2C only, so not on i2c-stub.

public enum TEFX29 {
    public static let defaultAddress: UInt8 = 0x28
    public static let countsAtZero = 1000.0
    public static let countsAtFullScale = 15000.0
    public static let newtonsPerPoundForce = 4.4482216152605

    /// Counts → newtons for a part with `rangeNewtons` full scale.
    public static func forceNewtons(counts: Double, rangeNewtons: Double) -> Double {
        (counts - countsAtZero) / (countsAtFullScale - countsAtZero) * rangeNewtons
    }

    /// Newtons → counts (for simulation).
    public static func counts(forceNewtons: Double, rangeNewtons: Double) -> Double {
        forceNewtons / rangeNewtons * (countsAtFullScale - countsAtZero) + countsAtZero
    }
}

/// TE FX29 as a `ForceSensor`. An optional `Calibration` replaces the nominal scaling.
public final class TEFX29Sensor: ForceSensor, Sendable {
    public let rangeNewtons: Double
    public let calibration: Calibration?
    private let reader: DigitalForceReader

    public init(bus: any I2CBus, address: UInt8 = TEFX29.defaultAddress,
                rangeNewtons: Double = 10 * TEFX29.newtonsPerPoundForce, calibration: Calibration? = nil,
                delay: Delay = .system) {
        self.rangeNewtons = rangeNewtons
        self.calibration = calibration
        reader = DigitalForceReader(chip: "FX29", bus: bus, address: address, frameBytes: 2, delay: delay,
                                    retryDelaySeconds: 0.0005)
    }

    public var chip: String { "fx29" }
    public var maximumRateHz: Double { 1000 }
    public func probe() throws { _ = try reader.readFrame() }

    public func read() throws -> ForceReading {
        let (counts, _) = try reader.readFrame()
        let newtons = calibration?.forceNewtons(counts: Double(counts))
            ?? TEFX29.forceNewtons(counts: Double(counts), rangeNewtons: rangeNewtons)
        return ForceReading(rawCounts: Int32(counts), forceNewtons: newtons)
    }
}
