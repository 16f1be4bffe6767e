/// What the line framer produced for a byte.
public enum LineFrame: Equatable, Sendable {
    /// A complete line (terminator and a trailing CR removed).
    case line(String, startOffset: Int)
    /// A line that is not valid UTF-8 (raw bytes kept), starting at byte `startOffset`.
    case malformed([UInt8], startOffset: Int)
    /// A line longer than the maximum was discarded up to its terminator.
    case overflow(startOffset: Int, length: Int)
}

/// Pure line-framing state machine: feed bytes one at a time (or in chunks) in whatever pieces
/// the transport delivers; get complete lines out. Byte offsets count from the first byte fed.
public struct LineFramer: Sendable {
    public let maxLineLength: Int
    public let terminator: UInt8
    private var buffer: [UInt8] = []
    private var lineStart = 0
    private var offset = 0
    private var overflowing = false

    public init(maxLineLength: Int = 4096, terminator: UInt8 = 0x0A) {
        self.maxLineLength = max(1, maxLineLength)
        self.terminator = terminator
    }

    /// Bytes fed so far.
    public var bytesConsumed: Int { offset }
    /// Bytes of an incomplete line waiting for its terminator.
    public var pendingCount: Int { buffer.count }

    /// Feed one byte; returns a frame when the byte completes one.
    public mutating func feed(_ byte: UInt8) -> LineFrame? {
        defer { offset += 1 }
        if byte == terminator {
            defer { buffer.removeAll(keepingCapacity: true); lineStart = offset + 1; overflowing = false }
            if overflowing { return .overflow(startOffset: lineStart, length: offset - lineStart) }
            var bytes = buffer
            if bytes.last == 0x0D { bytes.removeLast() }
            if let text = String(validating: bytes, as: UTF8.self) {
                return .line(text, startOffset: lineStart)
            }
            return .malformed(bytes, startOffset: lineStart)
        }
        if overflowing { return nil }
        if buffer.count >= maxLineLength {
            overflowing = true
            buffer.removeAll(keepingCapacity: true)
            return nil
        }
        buffer.append(byte)
        return nil
    }

    /// Feed a chunk; returns every frame it completes, in order.
    public mutating func feed<S: Sequence>(_ bytes: S) -> [LineFrame] where S.Element == UInt8 {
        var out: [LineFrame] = []
        for b in bytes { if let f = feed(b) { out.append(f) } }
        return out
    }
}
