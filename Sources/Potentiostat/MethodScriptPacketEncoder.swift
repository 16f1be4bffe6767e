// The inverse of the packet decoder: writes `P` lines as an instrument does. Emulators and
// tests use it; it is also the decoder's executable specification (round-trip tests).

public enum MethodScriptPacketEncoder {
    private static let prefixes: [(UInt8, Double)] = [
        (UInt8(ascii: "a"), 1e-18), (UInt8(ascii: "f"), 1e-15), (UInt8(ascii: "p"), 1e-12),
        (UInt8(ascii: "n"), 1e-9), (UInt8(ascii: "u"), 1e-6), (UInt8(ascii: "m"), 1e-3),
        (UInt8(ascii: " "), 1), (UInt8(ascii: "k"), 1e3), (UInt8(ascii: "M"), 1e6),
        (UInt8(ascii: "G"), 1e9), (UInt8(ascii: "T"), 1e12), (UInt8(ascii: "P"), 1e15),
        (UInt8(ascii: "E"), 1e18),
    ]
    private static let limit = Double((1 << 27) - 1)

    /// One variable: 2-char type + 7 hex digits (value + 2^27) + SI prefix, then metadata.
    /// Picks the finest prefix whose integer still fits, i.e. the most precise encoding.
    /// `integer` writes the `i` prefix (counters, step numbers). Returns nil for a type
    /// code that is not two lowercase letters or a value too large to encode.
    public static func variable(_ type: MethodScriptVariableType, _ value: Double, integer: Bool = false,
                                status: MethodScriptStatus? = nil, range: Int? = nil) -> String? {
        let code = Array(type.code.utf8)
        guard code.count == 2, code.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else {
            return nil
        }
        var out = type.code
        if value.isNaN {
            out += "     nan"
        } else if integer {
            guard value.isFinite, abs(value.rounded()) <= limit else { return nil }
            out += hex7(Int64(value.rounded())) + "i"
        } else {
            guard value.isFinite else { return nil }
            guard let (p, f) = prefixes.first(where: { abs(value / $0.1).rounded() <= limit }) else { return nil }
            out += hex7(Int64((value / f).rounded())) + String(UnicodeScalar(p))
        }
        if let status { out += ",1" + String(status.rawValue & 0xF, radix: 16, uppercase: true) }
        if let range {
            let r = String(range & 0xFF, radix: 16, uppercase: true)
            out += ",2" + (r.count == 1 ? "0" + r : r)
        }
        return out
    }

    /// A whole packet line, without the newline.
    public static func packet(_ variables: [String]) -> String {
        "P" + variables.joined(separator: ";")
    }

    private static func hex7(_ raw: Int64) -> String {
        let h = String(raw + (1 << 27), radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 7 - h.count)) + h
    }
}
