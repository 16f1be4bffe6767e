/// One parsed SCPI program message unit: normalized header path and its parameters.
public struct SCPICommand: Equatable, Sendable {
    /// Short-form, upper-case keywords without numeric suffixes, e.g. ["SOUR", "CURR", "VLIM"];
    /// common commands keep their star: ["*IDN"].
    public var keywords: [String]
    public var isQuery: Bool
    /// Raw parameter text after the header (trimmed), split on top-level commas.
    public var parameters: [String]
}

/// Pure SCPI command-line parsing as an instrument does it: `;`-separated units, a leading
/// `:` restarts at the root, long and short keyword forms (OUTPut/OUTP), case-insensitive.
public enum SCPICommandParser {
    /// SCPI short form: keywords longer than 4 characters keep 4, or 3 when the 4th is a vowel.
    public static func shortForm(_ keyword: String) -> String {
        var k = keyword.uppercased()
        while let last = k.last, last.isNumber, k.count > 1 { k.removeLast() }   // SOUR1 → SOUR
        guard k.count > 4 else { return k }
        let chars = Array(k)
        return "AEIOU".contains(chars[3]) ? String(chars[0..<3]) : String(chars[0..<4])
    }

    public static func parse(line: String) -> [SCPICommand] {
        var result: [SCPICommand] = []
        var previousPath: [String] = []
        for unit in splitTopLevel(line, separator: ";") {
            let text = unit.scpiTrimmed()
            if text.isEmpty { continue }
            let headerEnd = text.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? text.endIndex
            var header = String(text[..<headerEnd])
            let rest = String(text[headerEnd...].scpiTrimmed())
            let isQuery = header.hasSuffix("?")
            if isQuery { header.removeLast() }
            var keywords: [String]
            if header.hasPrefix("*") || header.hasPrefix(":*") {
                keywords = [header.replacingOccurrences(of: ":", with: "").uppercased()]
            } else {
                let absolute = header.hasPrefix(":")
                let parts = header.split(separator: ":").map { shortForm(String($0)) }
                // A relative header continues at the level of the previous command's last node.
                keywords = absolute || previousPath.isEmpty ? parts : Array(previousPath.dropLast()) + parts
                previousPath = keywords
            }
            let parameters = rest.isEmpty ? [] : splitTopLevel(rest, separator: ",").map { String($0.scpiTrimmed()) }
            result.append(SCPICommand(keywords: keywords, isQuery: isQuery, parameters: parameters))
        }
        return result
    }

    /// Split on a separator outside quotes.
    static func splitTopLevel(_ s: String, separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var start = s.startIndex
        var quote: Character?
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == separator {
                parts.append(s[start..<i]); start = s.index(after: i)
            }
            i = s.index(after: i)
        }
        parts.append(s[start...])
        return parts
    }
}
