/// The two status bits at the top of the first byte that Honeywell FMA and TE FX29 (both
/// built on a bridge-sensor signal conditioner) send before their 14-bit force counts.
public enum DigitalForceStatus: UInt8, Sendable, Equatable {
    /// 00: valid data not yet read.
    case normal = 0
    /// 01: the part is in command mode (not measuring).
    case commandMode = 1
    /// 10: stale data: already read since the last conversion.
    case stale = 2
    /// 11: diagnostic condition (e.g. bridge open/short, memory checksum).
    case diagnostic = 3
}

/// Pure decoding of the 2-byte (status + 14-bit counts) and optional 11-bit temperature frame.
public enum DigitalForceFrame {
    /// Bytes 0–1: status (bits 15:14) and force counts (bits 13:0).
    public static func decode(_ b0: UInt8, _ b1: UInt8) -> (status: DigitalForceStatus, counts: UInt16) {
        let status = DigitalForceStatus(rawValue: b0 >> 6)!
        return (status, UInt16(b0 & 0x3F) << 8 | UInt16(b1))
    }

    /// Bytes 2–3: 11-bit temperature counts (byte 2, then the top 3 bits of byte 3).
    public static func temperatureCounts(_ b2: UInt8, _ b3: UInt8) -> UInt16 {
        UInt16(b2) << 3 | UInt16(b3 >> 5)
    }

    /// Encodes a frame (for simulated devices).
    public static func encode(status: DigitalForceStatus, counts: UInt16, temperatureCounts: UInt16) -> [UInt8] {
        let c = min(counts, 0x3FFF), t = min(temperatureCounts, 0x7FF)
        return [status.rawValue << 6 | UInt8(c >> 8), UInt8(c & 0xFF), UInt8(t >> 3), UInt8((t & 0x7) << 5)]
    }
}
