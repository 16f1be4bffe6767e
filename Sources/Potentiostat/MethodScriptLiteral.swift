// MethodSCRIPT numeric literals: an integer followed by an optional SI prefix (`31400n`,
// `10m`, `4`, `3600`), or an integer with `i` for integer variables (`3i`). The manual's
// examples write every value this way, so the generator does too.

public enum MethodScriptLiteralError: Error, Sendable, Equatable {
    case notFinite(Double)
    case outOfRange(Double)
}

public enum MethodScriptLiteral {
    private static let prefixes: [(Character?, Double)] = [
        ("G", 1e9), ("M", 1e6), ("k", 1e3), (nil, 1), ("m", 1e-3), ("u", 1e-6),
        ("n", 1e-9), ("p", 1e-12), ("f", 1e-15),
    ]
    /// Mantissas stay within a signed 32-bit integer.
    private static let maximumMantissa = 2_147_483_647.0

    /// The literal for an SI value: the largest prefix that makes the mantissa an exact
    /// integer (`31.4e-6` → `31400n`); a value that is exact at no prefix is rounded at
    /// the finest prefix that still fits (≈ 9 significant digits).
    public static func format(_ value: Double) throws(MethodScriptLiteralError) -> String {
        guard value.isFinite else { throw .notFinite(value) }
        if value == 0 { return "0" }
        guard abs(value) < maximumMantissa * 1e9 else { throw .outOfRange(value) }
        for (prefix, factor) in prefixes {
            let mantissa = value / factor
            guard abs(mantissa) <= maximumMantissa else { continue }
            let rounded = mantissa.rounded()
            if rounded != 0, abs(rounded - mantissa) <= 1e-6 {
                return render(rounded, prefix)
            }
        }
        // Not exact anywhere: round at the finest prefix whose mantissa fits.
        for (prefix, factor) in prefixes.reversed() {
            let mantissa = (value / factor).rounded()
            if abs(mantissa) <= maximumMantissa, mantissa != 0 { return render(mantissa, prefix) }
        }
        throw .outOfRange(value)
    }

    /// An integer literal (`3i`).
    public static func integer(_ value: Int) -> String { "\(value)i" }

    private static func render(_ mantissa: Double, _ prefix: Character?) -> String {
        let digits = String(Int64(mantissa))
        if let prefix { return digits + String(prefix) }
        return digits
    }

    /// Parses a literal back to its SI value (used by tests and by tools reading scripts).
    public static func parse(_ text: String) -> Double? {
        guard let last = text.utf8.last else { return nil }
        var body = Substring(text)
        var factor = 1.0
        if last == UInt8(ascii: "i") {
            body = body.dropLast()
        } else if !(last >= UInt8(ascii: "0") && last <= UInt8(ascii: "9")) {
            guard let f = MethodScriptSIPrefix.factor(of: last), last != UInt8(ascii: " ") else { return nil }
            factor = f
            body = body.dropLast()
        }
        guard let n = Int64(body) else { return nil }
        return Double(n) * factor
    }
}
