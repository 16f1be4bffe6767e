import Foundation

/// Escaping and number formatting shared by the SVG and HTML writers.
public enum Markup {
    /// Escapes text for XML/HTML element content and attribute values (both quote kinds).
    /// Control characters other than tab/newline are dropped: they are not allowed in XML.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(ch)
            default:
                if ch.value < 0x20 || ch.value == 0x7F || (0xFFFE...0xFFFF).contains(ch.value) { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Coordinates with one decimal: enough for screen and print, keeps files small.
    static func coord(_ x: Double) -> String {
        // Clamp: a wild value (a fit line far off-scale) must not reach Int() as inf/NaN.
        let r = x.isFinite ? (min(max(x, -1e6), 1e6) * 10).rounded() / 10 : 0
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    /// A number for tables: significant digits, no exponent for ordinary magnitudes.
    public static func number(_ x: Double?, _ digits: Int = 4) -> String {
        guard let x, x.isFinite else { return "—" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e-3 && a < 1e7 {
            let decimals = max(0, digits - 1 - Int(floor(log10(a))))
            return String(format: "%.\(decimals)f", x)
        }
        return String(format: "%.\(max(0, digits - 1))e", x)
    }
}
