/// An entry of an SCPI error queue, e.g. `-113,"Undefined header"`.
public struct SCPIErrorEntry: Equatable, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public init(code: Int, message: String) { self.code = code; self.message = message }
    /// Code 0 means the queue is empty.
    public var isNoError: Bool { code == 0 }
    public var description: String { "\(code),\"\(message)\"" }
}

/// A reply that could not be parsed: what was expected and the byte offset in the reply.
public struct SCPIParseError: Error, Equatable, Sendable {
    public var reason: String
    public var byteOffset: Int
    public var reply: String
}

/// Pure parsers for SCPI instrument replies.
public enum SCPIReply {
    /// SCPI's "overflow / not a number" marker (9.91E37) as returned by Keithley instruments.
    public static let notANumberMarker = 9.91e37

    /// Parse one NR1/NR2/NR3 number (`+1.234E-03`, `-5`, `9.91E37` → NaN, `NAN`, `INF`).
    public static func number(_ text: Substring, byteOffset: Int = 0, reply: String = "") throws -> Double {
        let trimmed = text.scpiTrimmed()
        let leading = text.count - text.drop(while: { $0 == " " || $0 == "\t" }).count
        guard !trimmed.isEmpty else {
            throw SCPIParseError(reason: "empty number", byteOffset: byteOffset + leading, reply: reply)
        }
        switch trimmed.uppercased() {
        case "NAN", "+NAN", "-NAN": return .nan
        case "INF", "+INF": return .infinity
        case "-INF", "NINF": return -.infinity
        default: break
        }
        // Only SCPI numeric characters: Double(_:) would also accept hex floats and "infinity".
        for (i, c) in trimmed.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                 UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default:
                throw SCPIParseError(reason: "unexpected character in number", byteOffset: byteOffset + leading + i, reply: reply)
            }
        }
        guard let value = Double(String(trimmed)) else {
            throw SCPIParseError(reason: "not a number: \(trimmed)", byteOffset: byteOffset + leading, reply: reply)
        }
        if abs(value) >= notANumberMarker * 0.999_999 { return .nan }
        return value
    }

    /// Parse a comma-separated list of numbers (`1.0E-3,2.5,-7`).
    public static func numbers(_ reply: String) throws -> [Double] {
        var values: [Double] = []
        var offset = 0
        for field in reply.split(separator: ",", omittingEmptySubsequences: false) {
            values.append(try number(field, byteOffset: offset, reply: reply))
            offset += field.utf8.count + 1
        }
        return values
    }

    /// Parse an error-queue entry: `<code>,"<message>"` (message quotes optional; a doubled
    /// quote inside the message is an escaped quote).
    public static func errorEntry(_ reply: String) throws -> SCPIErrorEntry {
        guard let comma = reply.firstIndex(of: ",") else {
            throw SCPIParseError(reason: "missing comma in error entry", byteOffset: reply.utf8.count, reply: reply)
        }
        let codeText = reply[..<comma].scpiTrimmed()
        guard let code = Int(codeText) else {
            throw SCPIParseError(reason: "error code is not an integer", byteOffset: 0, reply: reply)
        }
        var message = reply[reply.index(after: comma)...].scpiTrimmed()
        if message.first == "\"" {
            guard message.count >= 2, message.last == "\"" else {
                let off = reply.utf8.distance(from: reply.startIndex, to: reply.endIndex)
                throw SCPIParseError(reason: "unterminated quoted message", byteOffset: off, reply: reply)
            }
            message = message.dropFirst().dropLast()
        }
        return SCPIErrorEntry(code: code, message: String(message).replacingOccurrences(of: "\"\"", with: "\""))
    }

    /// Parse a boolean reply (`1`, `0`, `ON`, `OFF`).
    public static func boolean(_ reply: String) throws -> Bool {
        switch reply.scpiTrimmed().uppercased() {
        case "1", "ON", "+1": return true
        case "0", "OFF", "+0": return false
        default: throw SCPIParseError(reason: "not a boolean", byteOffset: 0, reply: reply)
        }
    }
}

extension StringProtocol {
    func scpiTrimmed() -> Substring {
        let s = Substring(self)
        return s.drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
            .reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed()
            .reduce(into: "") { $0.append($1) }[...]
    }
}
