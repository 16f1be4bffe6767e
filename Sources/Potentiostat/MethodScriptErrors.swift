// Errors of the MethodSCRIPT link: what the instrument reported (`!XXXX`) and what this
// side could not decode. Both carry the position in the received stream.

/// Where in the instrument's output stream something was found.
public struct MethodScriptPosition: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number in the received stream.
    public var line: Int
    /// 1-based column (byte) within that line.
    public var column: Int
    /// 0-based byte offset from the start of the stream.
    public var byteOffset: Int

    public init(line: Int, column: Int, byteOffset: Int) {
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    public var description: String { "line \(line), column \(column) (byte \(byteOffset))" }
}

/// An error the instrument reported with `!XXXX` (optionally prefixed by the command
/// letter it answers, e.g. `e!0004`, and followed by the script position, e.g.
/// `: Line 12, Col 3`).
public struct MethodScriptInstrumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 16-bit error code (the 4 hex digits).
    public var code: UInt16
    /// The command letter that preceded `!` (`e` for script upload), if any.
    public var command: Character?
    /// Line of the offending script line, if the instrument named one.
    public var scriptLine: Int?
    /// Column within that script line, if the instrument named one.
    public var scriptColumn: Int?
    /// The line as received, for logs.
    public var text: String
    /// Where the error line was in the received stream.
    public var position: MethodScriptPosition

    public var codeHex: String {
        let hex = String(code, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    public var description: String {
        var s = "MethodSCRIPT instrument error 0x\(codeHex)"
        if let l = scriptLine { s += " at script line \(l)" }
        if let c = scriptColumn { s += ", column \(c)" }
        return s + " (received at \(position)): \(text)"
    }
}

/// Output this side could not decode: a malformed line.
public struct MethodScriptDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unexpectedLineStart(UInt8)
        case lineTooLong(limit: Int)
        case emptyPacket
        case variableTooShort(length: Int)
        case invalidVariableType
        case invalidHexDigit(UInt8)
        case invalidSIPrefix(UInt8)
        case invalidNaN
        case invalidMetadata(String)
        case invalidLoopMarker
        case invalidErrorLine
        case unbalancedLoopEnd(UInt8)
        case nonASCIIByte(UInt8)
    }

    public var reason: Reason
    /// Position of the offending byte (column points at it, byteOffset is absolute).
    public var position: MethodScriptPosition

    public var description: String {
        "MethodSCRIPT output malformed at \(position): \(reason)"
    }
}
