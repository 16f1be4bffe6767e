// Pure parser for BioLogic EC-Lab `.mpt` text exports.
//
// Format (as EC-Lab writes it; quirks cross-checked with the eclabfiles/yadg parsers and
// the real exports in shared/data/eclab):
//   line 1   `EC-Lab ASCII FILE`
//   line 2   `Nb header lines : N`   (N counts every header line including the column names)
//   ...      settings, technique name (first text after line 2), `Acquisition started on : ...`
//   line N   tab-separated column names, usually with a trailing tab (`time/s`, `Ewe/V`, ...)
//   N+1...   tab-separated numbers; the last row may lack a newline; German-locale exports
//            use decimal commas (`1,099E+001`); text is Windows-1252 (`µ` = 0xB5).
// Exports saved without header start directly with the column-name line; that works too.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

public struct ECLabMPTParser: Sendable {
    /// Drop (instead of rejecting) a last row with too few fields, as left by an export
    /// that is still being written or a truncated copy.
    public var tolerateIncompleteLastRow: Bool

    public init(tolerateIncompleteLastRow: Bool = false) {
        self.tolerateIncompleteLastRow = tolerateIncompleteLastRow
    }

    /// A line's byte range, without its `\n` or `\r\n`.
    private struct LineRange { var start: Int; var end: Int }

    /// Parses the bytes of an `.mpt` file.
    public func parse(_ bytes: [UInt8]) throws(ECLabMPTError) -> ECLabMPTData {
        let lines = Self.splitLines(bytes)
        func fail(_ kind: ECLabMPTError.Kind, line: Int, column: Int = 0, offset: Int? = nil) -> ECLabMPTError {
            let off = offset ?? (line >= 1 && line <= lines.count ? lines[line - 1].start : bytes.count)
            return ECLabMPTError(kind: kind, path: nil, line: line, column: column, byteOffset: off)
        }
        func text(_ i: Int) -> String {  // 1-based line as text
            let r = lines[i - 1]
            return ECLabWindows1252.decode(bytes[r.start..<r.end])
        }
        guard !lines.isEmpty else { throw fail(.notAnECLabTextExport, line: 1, offset: 0) }

        // Header line count.
        let first = text(1).ecLabTrimmed(" \t")
        var headerCount: Int
        if first.hasPrefix("EC-Lab ASCII FILE") {
            guard lines.count >= 2, text(2).contains(":"),
                  text(2).lowercased().hasPrefix("nb header lines") else {
                throw fail(.missingHeaderLineCount, line: min(2, lines.count + 1))
            }
            let value = String(text(2).split(separator: ":", maxSplits: 1)[1]).ecLabTrimmed(" \t")
            guard let n = Int(value), n >= 3 else { throw fail(.invalidHeaderLineCount(value), line: 2) }
            guard n <= lines.count else {
                throw fail(.headerLongerThanFile(declared: n, linesInFile: lines.count), line: 2)
            }
            headerCount = n
        } else if first.split(separator: "\t").contains(where: { $0 == "time/s" }) {
            headerCount = 1  // exported without the settings header
        } else {
            throw fail(.notAnECLabTextExport, line: 1)
        }

        // Column names (ignore the trailing tab's empty name).
        var names = text(headerCount).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        while names.last?.ecLabTrimmed(" ").isEmpty == true { names.removeLast() }
        guard !names.isEmpty else { throw fail(.noColumns, line: headerCount) }
        guard let timeIndex = names.firstIndex(of: "time/s") else { throw fail(.missingTimeColumn, line: headerCount) }

        let headerLines = (1...headerCount).map(text)
        let header = Self.header(from: headerLines, count: headerCount)

        // Data rows.
        var columns = [[Double]](repeating: [], count: names.count)
        var dropped = false
        let lastNonEmpty = lines.lastIndex { $0.end > $0.start } ?? -1
        var index = headerCount  // 0-based index of the first data line
        while index < lines.count {
            let r = lines[index]
            let lineNumber = index + 1
            index += 1
            if r.end == r.start { continue }  // blank line (e.g. a final newline)
            var fields: [LineRange] = []
            var s = r.start
            for p in r.start..<r.end where bytes[p] == 0x09 {
                fields.append(LineRange(start: s, end: p))
                s = p + 1
            }
            fields.append(LineRange(start: s, end: r.end))
            if fields.count == names.count + 1, fields.last!.start == fields.last!.end { fields.removeLast() }
            if fields.count != names.count {
                if tolerateIncompleteLastRow && index - 1 == lastNonEmpty && fields.count < names.count {
                    dropped = true
                    break
                }
                throw fail(.wrongFieldCount(expected: names.count, found: fields.count), line: lineNumber)
            }
            for (c, f) in fields.enumerated() {
                guard let v = Self.number(bytes, f.start, f.end) else {
                    let shown = ECLabWindows1252.decode(bytes[f.start..<min(f.end, f.start + 40)])
                    throw fail(.invalidNumber(text: shown, columnName: names[c]), line: lineNumber,
                               column: c + 1, offset: f.start)
                }
                columns[c].append(v)
            }
        }

        let samples = Self.samples(names: names, columns: columns, timeIndex: timeIndex)
        return ECLabMPTData(header: header, columnNames: names, columns: columns,
                            samples: samples, droppedIncompleteLastRow: dropped)
    }

    // MARK: - pieces

    private static func splitLines(_ bytes: [UInt8]) -> [LineRange] {
        var lines: [LineRange] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            let end = i > start && bytes[i - 1] == 0x0D ? i - 1 : i
            lines.append(LineRange(start: start, end: end))
            start = i + 1
        }
        if start < bytes.count {
            let end = bytes[bytes.count - 1] == 0x0D ? bytes.count - 1 : bytes.count
            lines.append(LineRange(start: start, end: end))
        }
        return lines
    }

    /// Parses one field: decimal point or comma, exponent, `nan`/`inf`; nil if not a number.
    static func number(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Double? {
        var s = start, e = end
        while s < e, bytes[s] == 0x20 { s += 1 }
        while e > s, bytes[e - 1] == 0x20 { e -= 1 }
        let n = e - s
        guard n > 0, n < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 65) { buf -> Double? in
            for k in 0..<n {
                let b = bytes[s + k]
                // Only characters a number can contain; rejects hex floats and garbage early.
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                     UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                     UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "a"), UInt8(ascii: "A"),
                     UInt8(ascii: "i"), UInt8(ascii: "I"), UInt8(ascii: "f"), UInt8(ascii: "F"):
                    buf[k] = CChar(bitPattern: b)
                case UInt8(ascii: ","):
                    buf[k] = CChar(bitPattern: UInt8(ascii: "."))  // decimal comma
                default:
                    return nil
                }
            }
            buf[n] = 0
            var endPtr: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buf.baseAddress!, &endPtr)
            guard let endPtr, endPtr == buf.baseAddress! + n else { return nil }
            return v
        }
    }

    private static func header(from lines: [String], count: Int) -> ECLabHeader {
        var technique: String?
        var startText: String?
        // The technique name is the first non-empty line after the line count.
        if count > 2 {
            for l in lines[2..<(count - 1)] {
                let t = l.ecLabTrimmed(" \t")
                if !t.isEmpty { technique = t; break }
            }
        }
        for l in lines where l.hasPrefix("Acquisition started on") {
            if let colon = l.firstIndex(of: ":") {
                startText = String(l[l.index(after: colon)...]).ecLabTrimmed(" \t")
            }
            break
        }
        return ECLabHeader(technique: technique, acquisitionStartText: startText,
                           acquisitionStart: startText.flatMap(parseWallClock),
                           headerLineCount: count, lines: lines)
    }

    /// `MM/DD/YYYY HH:MM:SS[.fff]` (also `.` or `-` between date parts).
    static func parseWallClock(_ text: String) -> ECLabWallClockTime? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" })
        let time = parts[1].split(separator: ":")
        guard date.count == 3, time.count == 3,
              let month = Int(date[0]), let day = Int(date[1]), let year = Int(date[2]),
              let hour = Int(time[0]), let minute = Int(time[1]) else { return nil }
        let secParts = time[2].split(separator: ".", maxSplits: 1)
        guard let second = Int(secParts[0]) else { return nil }
        var nanos = 0
        if secParts.count == 2 {
            let frac = secParts[1].prefix(9)
            guard let f = Int(frac) else { return nil }
            nanos = f * Int(pow(10.0, Double(9 - frac.count)))
        }
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return ECLabWallClockTime(year: year, month: month, day: day, hour: hour,
                                  minute: minute, second: second, nanosecond: nanos)
    }

    /// Maps EC-Lab's column names onto SI samples.
    private static func samples(names: [String], columns: [[Double]], timeIndex: Int) -> [ECLabSample] {
        func find(_ candidates: [(String, Double)]) -> (Int, Double)? {
            for (name, scale) in candidates {
                if let i = names.firstIndex(of: name) { return (i, scale) }
            }
            return nil
        }
        let voltage = find([("Ewe/V", 1), ("<Ewe/V>", 1), ("<Ewe>/V", 1), ("Ecell/V", 1)])
        let current = find([("I/mA", 1e-3), ("<I>/mA", 1e-3), ("I/A", 1), ("<I>/A", 1),
                            ("I/µA", 1e-6), ("<I>/µA", 1e-6), ("I/uA", 1e-6)])
        let charge = find([("(Q-Qo)/mA.h", 3.6), ("(Q-Qo)/C", 1), ("(Q-Qo)/A.h", 3600),
                           ("(Q-Qo)/µA.h", 3.6e-3)])
        let cycle = names.firstIndex(of: "cycle number")
        let ns = names.firstIndex(of: "Ns")
        func int(_ v: Double) -> Int? {
            v.isFinite && abs(v) < 1e15 ? Int(v.rounded()) : nil
        }
        let rows = columns[timeIndex].count
        var out: [ECLabSample] = []
        out.reserveCapacity(rows)
        for r in 0..<rows {
            out.append(ECLabSample(
                timeSeconds: columns[timeIndex][r],
                voltageVolts: voltage.map { columns[$0.0][r] * $0.1 },
                currentAmps: current.map { columns[$0.0][r] * $0.1 },
                chargeCoulombs: charge.map { columns[$0.0][r] * $0.1 },
                cycle: cycle.flatMap { int(columns[$0][r]) },
                sequenceIndex: ns.flatMap { int(columns[$0][r]) }))
        }
        return out
    }
}

extension String {
    fileprivate func ecLabTrimmed(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
