import Foundation

/// Errors from byte transports, with what and where.
public enum TransportError: Error, Equatable, Sendable {
    /// A system call failed (call name, errno, target such as "127.0.0.1:5025" or "/dev/ttyUSB0").
    case system(call: String, errno: Int32, target: String)
    /// Nothing arrived within the timeout (seconds, target).
    case timeout(seconds: Double, target: String)
    /// The peer closed the connection (target).
    case closed(target: String)
    /// The device is already opened exclusively by another process (path).
    case busy(path: String)
    /// A parameter is not supported (description).
    case unsupported(String)
}

/// A bidirectional byte stream to an instrument: TCP, serial, or in-process loopback.
/// Implementations are thread-safe for one reader and one writer at a time.
public protocol ByteTransport: Sendable {
    /// Write all bytes or throw.
    func write(_ bytes: [UInt8]) throws
    /// Read at least one and at most `maxCount` bytes; throws `.timeout` if none arrive in
    /// `timeoutSeconds`, `.closed` at end of stream.
    func read(maxCount: Int, timeoutSeconds: Double) throws -> [UInt8]
    /// Close; later calls throw `.closed`. Idempotent.
    func close()
}
