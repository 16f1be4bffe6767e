#if canImport(Glibc)
import Glibc
#endif

/// Which line: by chip and offset, or by the name the device tree / gpio-sim gave it.
public enum GPIOLineSpec: Sendable, Equatable, CustomStringConvertible {
    /// `chip` is "gpiochip0", "/dev/gpiochip0", a chip label or a number.
    case offset(chip: String, offset: UInt32)
    case name(String)

    public var description: String {
        switch self {
        case let .offset(chip, offset): return "\(chip) line \(offset)"
        case let .name(name): return "line \"\(name)\""
        }
    }
}

/// How a line is requested.
public enum GPIOLineMode: Sendable, Equatable {
    case input
    case output(initialValue: Bool)
    /// Input with rising and falling edge events (kernel-timestamped).
    case bothEdges
}

public enum GPIOEdge: String, Sendable, Equatable { case rising, falling }

/// One edge with the kernel's timestamp (CLOCK_MONOTONIC, the sampler's default clock).
public struct GPIOEdgeEvent: Sendable, Equatable {
    public var edge: GPIOEdge
    public var timestampNanoseconds: UInt64
    public var timestampSeconds: Double { Double(timestampNanoseconds) * 1e-9 }
    public init(edge: GPIOEdge, timestampNanoseconds: UInt64) {
        self.edge = edge
        self.timestampNanoseconds = timestampNanoseconds
    }
}

public struct GPIOError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// No such chip or line name (ENOENT, ENODEV).
        case notFound
        /// Line offset out of range for the chip (EINVAL).
        case invalidLine
        /// Already requested by another consumer (EBUSY).
        case busy
        /// The chip's device node is not accessible (EACCES, EPERM).
        case permissionDenied
        /// Operation not valid for how the line was requested (e.g. set on an input).
        case wrongMode
        case io
    }
    public var kind: Kind
    public var errno: Int32
    public var line: String
    public var operation: String

    public init(kind: Kind, errno: Int32, line: String, operation: String) {
        self.kind = kind
        self.errno = errno
        self.line = line
        self.operation = operation
    }

    public init(errno code: Int32, line: String, operation: String) {
        let kind: Kind
        switch code {
        case ENOENT, ENODEV, ENXIO: kind = .notFound
        case EINVAL: kind = .invalidLine
        case EBUSY: kind = .busy
        case EACCES, EPERM: kind = .permissionDenied
        default: kind = .io
        }
        self.init(kind: kind, errno: code, line: line, operation: operation)
    }

    public var description: String {
        var text = "GPIO \(operation) on \(line): \(kind.rawValue) (errno \(errno))"
        if kind == .permissionDenied {
            text += ": add the user to the 'gpio' group (udev rule: SUBSYSTEM==\"gpio\", GROUP=\"gpio\", MODE=\"0660\") or run as root"
        }
        return text
    }
}

/// A requested line. Release it (or drop it) to give it back.
public protocol GPIOLine: AnyObject, Sendable {
    var spec: GPIOLineSpec { get }
    func value() throws -> Bool
    func setValue(_ value: Bool) throws
    /// Waits up to `timeoutSeconds` (nil: forever) for an edge; nil on timeout.
    func waitForEdge(timeoutSeconds: Double?) throws -> GPIOEdgeEvent?
    func release()
}

/// Where lines come from: the Linux character device (libgpiod) or a simulation.
public protocol GPIOLines: Sendable {
    func request(_ spec: GPIOLineSpec, mode: GPIOLineMode, consumer: String) throws -> any GPIOLine
}
