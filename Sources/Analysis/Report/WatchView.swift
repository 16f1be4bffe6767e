import Foundation

/// One live quantity for the terminal view: recent values, oldest first.
public struct WatchSeries: Sendable {
    public var name: String
    public var unit: String
    public var values: [Double]
    /// What the values span, shown next to min/max (e.g. "10 min").
    public var span: String?

    public init(name: String, unit: String, values: [Double], span: String? = nil) {
        self.name = name; self.unit = unit; self.values = values; self.span = span
    }
}

/// Status line contents for the terminal view. Times are formatted by the caller.
public struct WatchStatus: Sendable {
    public var title: String
    public var clock: String
    public var step: String?
    public var cycle: Int?
    public var state: String?
    public var alarms: [String]
    public var footer: String

    public init(title: String = "cellpress watch", clock: String = "", step: String? = nil, cycle: Int? = nil,
                state: String? = nil, alarms: [String] = [], footer: String = "Ctrl-C quits") {
        self.title = title; self.clock = clock; self.step = step; self.cycle = cycle
        self.state = state; self.alarms = alarms; self.footer = footer
    }
}

/// Pure rendering of the `cellpress watch` screen: always exactly 24 lines of at most 80
/// columns, no colours. `frame` redraws in place (cursor home, clear each line's tail,
/// clear below) instead of clearing the screen, so refreshing does not flicker over SSH.
public enum WatchView {
    public static let columns = 80
    public static let rows = 24
    /// Send once before the first frame: clear screen, hide cursor.
    public static let enter = "\u{1B}[2J\u{1B}[?25l"
    /// Send on exit: show cursor, newline.
    public static let leave = "\u{1B}[?25h\r\n"

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let ascii: [Character] = ["_", ".", ",", "-", "=", "+", "*", "#"]
    /// At most this many series fit (2 lines each) with header, alarms and footer.
    public static let maxSeries = 6

    /// The frame as terminal output: ESC[H, each line followed by ESC[K, then ESC[J.
    public static func frame(status: WatchStatus, series: [WatchSeries], unicode: Bool = true) -> String {
        "\u{1B}[H" + lines(status: status, series: series, unicode: unicode)
            .map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J"
    }

    /// The frame as plain text lines (exactly `rows`, each ≤ `columns` characters).
    public static func lines(status: WatchStatus, series: [WatchSeries], unicode: Bool = true) -> [String] {
        var out: [String] = []
        let rule = String(repeating: unicode ? "─" : "-", count: columns)
        out.append(spread(status.title, status.clock))
        var info: [String] = []
        if let s = status.step { info.append("Step: \(s)") }
        if let c = status.cycle { info.append("Cycle: \(c)") }
        if let s = status.state { info.append("State: \(s)") }
        out.append(info.isEmpty ? "Step: —" : info.joined(separator: "   "))
        out.append(rule)

        let shown = series.prefix(maxSeries)
        for s in shown {
            let finite = s.values.filter(\.isFinite)
            let latest = s.values.last(where: { $0.isFinite })
            var head = pad(s.name, 14) + " " + (latest.map { format($0) } ?? "       —") + " " + pad(s.unit, 5)
            if let lo = finite.min(), let hi = finite.max() {
                head += "  min " + format(lo).trimmingCharacters(in: .whitespaces)
                    + "  max " + format(hi).trimmingCharacters(in: .whitespaces)
                if let span = s.span { head += "  (\(span))" }
            }
            out.append(head)
            out.append("  " + sparkline(s.values, width: columns - 2, unicode: unicode))
        }
        if series.count > maxSeries { out.append("(+\(series.count - maxSeries) more series not shown)") }
        out.append(rule)

        // Alarms get the remaining lines above the footer.
        let room = rows - out.count - 1
        if status.alarms.isEmpty {
            out.append("Alarms: none")
        } else if room > 0 {
            let fit = status.alarms.count <= room ? status.alarms.count : room - 1
            out.append(contentsOf: status.alarms.prefix(fit).map { "! " + $0 })
            if fit < status.alarms.count { out.append("! +\(status.alarms.count - fit) more alarms") }
        }
        while out.count < rows - 1 { out.append("") }
        out = Array(out.prefix(rows - 1))
        out.append(status.footer)
        return out.map { clip(unicode ? sanitize($0) : asciify(sanitize($0))) }
    }

    /// Sparkline of `values` over `width` columns: buckets averaged when there are more
    /// values than columns, right-aligned when fewer; non-finite → space; flat → mid level.
    public static func sparkline(_ values: [Double], width: Int, unicode: Bool = true) -> String {
        let glyphs = unicode ? blocks : ascii
        guard width > 0, !values.isEmpty else { return "" }
        var cols: [Double] = []
        if values.count <= width {
            cols = values
        } else {
            for k in 0..<width {
                let a = k * values.count / width, b = max(a + 1, (k + 1) * values.count / width)
                let bucket = values[a..<b].filter(\.isFinite)
                cols.append(bucket.isEmpty ? .nan : bucket.reduce(0, +) / Double(bucket.count))
            }
        }
        let finite = cols.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return String(repeating: " ", count: cols.count) }
        let line = String(cols.map { v -> Character in
            guard v.isFinite else { return " " }
            if hi == lo { return glyphs[glyphs.count / 2 - 1] }
            let scaled = (v - lo) / (hi - lo) * Double(glyphs.count - 1)
            guard scaled.isFinite else { return glyphs[glyphs.count / 2 - 1] } // range overflowed
            let level = Int(scaled.rounded())
            return glyphs[min(glyphs.count - 1, max(0, level))]
        })
        return String(repeating: " ", count: width - cols.count) + line
    }

    // MARK: - Text helpers

    /// 10 columns, 4–5 significant digits.
    static func format(_ x: Double) -> String {
        let s = abs(x) >= 1e5 || (x != 0 && abs(x) < 1e-3) ? String(format: "%.3e", x) : String(format: "%.4g", x)
        return String(repeating: " ", count: max(0, 10 - s.count)) + s
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? String(s.prefix(n)) : s + String(repeating: " ", count: n - s.count)
    }

    static func spread(_ left: String, _ right: String) -> String {
        let gap = columns - left.count - right.count
        return gap >= 1 ? left + String(repeating: " ", count: gap) + right : left + " " + right
    }

    /// Control characters (an alarm text with ESC or a newline) would break the frame.
    static func sanitize(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// For terminals without UTF-8: µ → u, dashes → -, anything else non-ASCII → ?.
    static func asciify(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case _ where u.isASCII: out.unicodeScalars.append(u)
            case "µ", "μ": out += "u"
            case "—", "–", "─", "−": out += "-"
            case "°": out += "deg"
            default: out += "?"
            }
        }
        return out
    }

    static func clip(_ s: String) -> String { s.count <= columns ? s : String(s.prefix(columns - 1)) + (s.unicodeScalars.allSatisfy(\.isASCII) ? ">" : "…") }
}
