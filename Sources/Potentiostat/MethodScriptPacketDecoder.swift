// Pure decoder for what a MethodSCRIPT instrument sends back while running a script.
// It is fed bytes as they arrive (any split) and returns events per complete line; it
// never traps on bad input: every malformed line becomes a `.malformed` event with its
// line, column and byte offset, and decoding continues on the next line.
//
// Line kinds (PalmSens MethodSCRIPT manual, "Output of a MethodSCRIPT"):
//   e              script accepted, execution starts
//   Mxxxx          measurement loop begins (xxxx: technique code, hex)
//   Cxxxx / L      scan within a measurement loop begins / `loop` begins
//   * / - / +      measurement loop / scan / loop ends
//   P...           data packet: `;`-separated variables
//   Ttext          text from `send_string`
//   [c]!XXXX...    error (c: the command letter it answers, e.g. `e`)
//   (empty line)   script finished
//   Z              abort acknowledged

/// What a received line meant.
public enum MethodScriptEvent: Sendable, Equatable {
    /// `e`: the instrument accepted the script and started it.
    case scriptAccepted
    /// A `P` data packet.
    case packet(MethodScriptPacket, position: MethodScriptPosition)
    /// A loop started (`M`, `C` with their hex code, or `L`).
    case loopBegan(MethodScriptLoopKind, code: UInt16?)
    /// A loop ended (`*`, `-`, `+`).
    case loopEnded(MethodScriptLoopKind)
    /// `T...`: text the script sent with `send_string`.
    case text(String)
    /// `Z`: an abort was acknowledged.
    case abortAcknowledged
    /// An `!XXXX` error from the instrument.
    case instrumentError(MethodScriptInstrumentError)
    /// The empty line that ends the script's output.
    case scriptFinished
    /// A line that could not be decoded.
    case malformed(MethodScriptDecodeError)
}

public enum MethodScriptLoopKind: Sendable, Equatable {
    case measurement   // M ... *
    case scan          // C ... -
    case loop          // L ... +
}

/// Byte-fed line decoder. A value type: copy it to snapshot state.
public struct MethodScriptPacketDecoder: Sendable {
    /// Lines longer than this are reported and skipped (a real packet is < 1 kB;
    /// this bounds memory when a link delivers garbage without newlines).
    public let maximumLineLength: Int

    private var buffer: [UInt8] = []
    private var overflowed = false
    private var lineNumber = 1
    private var lineStartOffset = 0
    private var streamOffset = 0
    private var openLoops: [MethodScriptLoopKind] = []

    public init(maximumLineLength: Int = 4096) {
        self.maximumLineLength = max(16, maximumLineLength)
    }

    /// Loops begun and not yet ended, outermost first.
    public var openLoopKinds: [MethodScriptLoopKind] { openLoops }

    /// Feed received bytes; returns the events of every line completed by them.
    public mutating func feed<S: Sequence>(_ bytes: S) -> [MethodScriptEvent] where S.Element == UInt8 {
        var events: [MethodScriptEvent] = []
        for byte in bytes {
            streamOffset += 1
            if byte == UInt8(ascii: "\n") {
                if overflowed {
                    events.append(.malformed(MethodScriptDecodeError(
                        reason: .lineTooLong(limit: maximumLineLength),
                        position: position(column: maximumLineLength + 1))))
                } else {
                    var line = buffer[...]
                    if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                    events.append(decodeLine(Array(line)))
                }
                buffer.removeAll(keepingCapacity: true)
                overflowed = false
                lineNumber += 1
                lineStartOffset = streamOffset
                continue
            }
            if overflowed { continue }
            if buffer.count >= maximumLineLength {
                overflowed = true
                buffer.removeAll(keepingCapacity: true)
                continue
            }
            buffer.append(byte)
        }
        return events
    }

    /// Feed a string (e.g. a recorded transcript).
    public mutating func feed(_ text: String) -> [MethodScriptEvent] {
        feed(Array(text.utf8))
    }

    // MARK: - line decoding

    private func position(column: Int) -> MethodScriptPosition {
        MethodScriptPosition(line: lineNumber, column: column,
                             byteOffset: lineStartOffset + column - 1)
    }

    private func malformed(_ reason: MethodScriptDecodeError.Reason, column: Int) -> MethodScriptEvent {
        .malformed(MethodScriptDecodeError(reason: reason, position: position(column: column)))
    }

    private mutating func decodeLine(_ line: [UInt8]) -> MethodScriptEvent {
        guard let first = line.first else { return .scriptFinished }
        if let bad = line.firstIndex(where: { $0 >= 0x80 }) {
            return malformed(.nonASCIIByte(line[bad]), column: bad + 1)
        }
        // Error lines: `!XXXX...` or a command letter followed by `!`.
        if first == UInt8(ascii: "!") || (line.count > 1 && line[1] == UInt8(ascii: "!")
                                           && isLetter(first)) {
            return decodeError(line)
        }
        switch first {
        case UInt8(ascii: "e"):
            return line.count == 1 ? .scriptAccepted : malformed(.unexpectedLineStart(first), column: 2)
        case UInt8(ascii: "P"):
            return decodePacket(line)
        case UInt8(ascii: "M"), UInt8(ascii: "C"):
            guard line.count == 5 else { return malformed(.invalidLoopMarker, column: min(line.count, 5) + 1) }
            var code: UInt16 = 0
            for i in 1..<5 {
                guard let d = hexValue(line[i]) else { return malformed(.invalidHexDigit(line[i]), column: i + 1) }
                code = code << 4 | UInt16(d)
            }
            let kind: MethodScriptLoopKind = first == UInt8(ascii: "M") ? .measurement : .scan
            openLoops.append(kind)
            return .loopBegan(kind, code: code)
        case UInt8(ascii: "L"):
            guard line.count == 1 else { return malformed(.invalidLoopMarker, column: 2) }
            openLoops.append(.loop)
            return .loopBegan(.loop, code: nil)
        case UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "+"):
            guard line.count == 1 else { return malformed(.invalidLoopMarker, column: 2) }
            let kind: MethodScriptLoopKind = first == UInt8(ascii: "*") ? .measurement
                : first == UInt8(ascii: "-") ? .scan : .loop
            guard openLoops.last == kind else { return malformed(.unbalancedLoopEnd(first), column: 1) }
            openLoops.removeLast()
            return .loopEnded(kind)
        case UInt8(ascii: "T"):
            return .text(String(decoding: line.dropFirst(), as: UTF8.self))
        case UInt8(ascii: "Z"):
            return line.count == 1 ? .abortAcknowledged : malformed(.unexpectedLineStart(first), column: 2)
        default:
            return malformed(.unexpectedLineStart(first), column: 1)
        }
    }

    private func decodeError(_ line: [UInt8]) -> MethodScriptEvent {
        let bang = line[0] == UInt8(ascii: "!") ? 0 : 1
        let command: Character? = bang == 1 ? Character(Unicode.Scalar(line[0])) : nil
        guard line.count >= bang + 5 else { return malformed(.invalidErrorLine, column: line.count + 1) }
        var code: UInt16 = 0
        for i in (bang + 1)...(bang + 4) {
            guard let d = hexValue(line[i]) else { return malformed(.invalidHexDigit(line[i]), column: i + 1) }
            code = code << 4 | UInt16(d)
        }
        let rest = String(decoding: line[(bang + 5)...], as: UTF8.self)
        let text = String(decoding: line, as: UTF8.self)
        return .instrumentError(MethodScriptInstrumentError(
            code: code, command: command,
            scriptLine: Self.number(after: "line", in: rest),
            scriptColumn: Self.number(after: "col", in: rest),
            text: text, position: position(column: 1)))
    }

    /// The decimal number following a keyword (case-insensitive), e.g. "Line 12".
    private static func number(after keyword: String, in text: String) -> Int? {
        let lower = Array(text.lowercased().utf8)
        let key = Array(keyword.utf8)
        guard lower.count >= key.count else { return nil }
        var i = 0
        while i + key.count <= lower.count {
            if Array(lower[i..<(i + key.count)]) == key {
                var j = i + key.count
                while j < lower.count, !(lower[j] >= 0x30 && lower[j] <= 0x39) {
                    // allow letters of the keyword's tail ("column"), spaces, ':' and '='
                    if lower[j] == UInt8(ascii: ",") { break }
                    j += 1
                }
                var value = 0
                var digits = 0
                while j < lower.count, lower[j] >= 0x30, lower[j] <= 0x39, digits < 9 {
                    value = value * 10 + Int(lower[j] - 0x30)
                    digits += 1
                    j += 1
                }
                if digits > 0 { return value }
            }
            i += 1
        }
        return nil
    }

    private func decodePacket(_ line: [UInt8]) -> MethodScriptEvent {
        var values: [MethodScriptValue] = []
        var start = 1
        // A trailing `;` is tolerated (no empty variable after it).
        let end = line.last == UInt8(ascii: ";") && line.count > 1 ? line.count - 1 : line.count
        if end <= 1 { return malformed(.emptyPacket, column: 2) }
        while start <= end {
            var stop = start
            while stop < end, line[stop] != UInt8(ascii: ";") { stop += 1 }
            switch decodeVariable(line, from: start, to: stop) {
            case .success(let v): values.append(v)
            case .failure(let e): return .malformed(e)
            }
            start = stop + 1
        }
        return .packet(MethodScriptPacket(values: values), position: position(column: 1))
    }

    /// Decodes `line[from..<to]`: `tt` + 7 hex + prefix (or `     nan`) + `,meta`*.
    private func decodeVariable(_ line: [UInt8], from: Int, to: Int) -> Result<MethodScriptValue, MethodScriptDecodeError> {
        func fail(_ r: MethodScriptDecodeError.Reason, _ index: Int) -> Result<MethodScriptValue, MethodScriptDecodeError> {
            .failure(MethodScriptDecodeError(reason: r, position: position(column: index + 1)))
        }
        var metaStart = from
        while metaStart < to, line[metaStart] != UInt8(ascii: ",") { metaStart += 1 }
        let length = metaStart - from
        guard length == 10 else { return fail(.variableTooShort(length: length), from) }
        for i in from..<(from + 2) where !(line[i] >= UInt8(ascii: "a") && line[i] <= UInt8(ascii: "z")) {
            return fail(.invalidVariableType, i)
        }
        let type = MethodScriptVariableType(code: String(decoding: line[from..<(from + 2)], as: UTF8.self))
        let field = line[(from + 2)..<(from + 10)]
        var value: Double
        var raw: Int64 = 0
        var prefix: Character = " "
        if field.contains(where: { $0 == UInt8(ascii: "n") || $0 == UInt8(ascii: "N") })
            && field.contains(where: { $0 == UInt8(ascii: " ") }) {
            // `     nan`: right-aligned in the 8 characters.
            let trimmed = String(decoding: field, as: UTF8.self).methodScriptTrimmedSpaces()
            guard trimmed.lowercased() == "nan" else { return fail(.invalidNaN, from + 2) }
            value = .nan
        } else {
            var hex: Int64 = 0
            for i in (from + 2)..<(from + 9) {
                guard let d = hexValue(line[i]) else { return fail(.invalidHexDigit(line[i]), i) }
                hex = hex << 4 | Int64(d)
            }
            raw = hex - (1 << 27)
            let p = line[from + 9]
            guard let factor = MethodScriptSIPrefix.factor(of: p) else { return fail(.invalidSIPrefix(p), from + 9) }
            prefix = Character(Unicode.Scalar(p))
            value = Double(raw) * factor
        }
        var result = MethodScriptValue(type: type, value: value, rawInteger: raw, siPrefix: prefix)
        // Metadata: `,1x` status (1 hex digit), `,2xx` range (2 hex digits); others kept.
        var m = metaStart
        while m < to {
            let s = m + 1
            var e = s
            while e < to, line[e] != UInt8(ascii: ",") { e += 1 }
            let token = Array(line[s..<e])
            let text = String(decoding: token, as: UTF8.self)
            guard !token.isEmpty else { return fail(.invalidMetadata(text), s) }
            if token[0] == UInt8(ascii: "1") && token.count == 2 {
                guard let d = hexValue(token[1]) else { return fail(.invalidMetadata(text), s + 1) }
                result.status = MethodScriptStatus(rawValue: d)
            } else if token[0] == UInt8(ascii: "2") && token.count == 3 {
                guard let h = hexValue(token[1]), let l = hexValue(token[2]) else {
                    return fail(.invalidMetadata(text), s + 1)
                }
                result.range = Int(h) << 4 | Int(l)
            } else {
                result.otherMetadata.append(text)
            }
            m = e
        }
        return .success(result)
    }

    private func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
}

extension String {
    fileprivate func methodScriptTrimmedSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
