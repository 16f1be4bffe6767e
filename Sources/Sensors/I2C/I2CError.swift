#if canImport(Glibc)
import Glibc
#endif

/// A failed I2C transfer, with the errno and where it happened (bus, address, register).
///
/// `kind` is decided from errno the way Linux documents it (Documentation/i2c/fault-codes.rst):
/// a NACKed address is ENXIO on real adapters, EREMOTEIO on some, and ENODEV on i2c-stub.
public struct I2CError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// No device acknowledged the address (ENXIO, EREMOTEIO, ENODEV).
        case deviceAbsent
        /// The transfer timed out (ETIMEDOUT), e.g. a device stretching the clock forever.
        case timeout
        /// The adapter cannot do this kind of transfer (EOPNOTSUPP), e.g. I2C_RDWR on i2c-stub.
        case unsupported
        /// The bus device node exists but this user may not open it (EACCES, EPERM).
        case permissionDenied
        /// There is no such bus device node (ENOENT).
        case noSuchBus
        /// The bus is busy or arbitration was lost (EBUSY, EAGAIN).
        case busBusy
        /// A caller error: address out of range, block too long (EINVAL).
        case invalidArgument
        /// Any other errno.
        case io
    }

    public var kind: Kind
    /// The errno value (0 when the error was detected in Swift, e.g. a short read).
    public var errno: Int32
    /// The bus, e.g. "/dev/i2c-1" or "sim".
    public var bus: String
    /// The 7-bit device address, if one was involved.
    public var address: UInt8?
    /// The register (command code), if one was involved.
    public var register: UInt8?
    /// What was attempted, e.g. "read byte data".
    public var operation: String

    public init(kind: Kind, errno: Int32, bus: String, address: UInt8? = nil,
                register: UInt8? = nil, operation: String) {
        self.kind = kind
        self.errno = errno
        self.bus = bus
        self.address = address
        self.register = register
        self.operation = operation
    }

    /// Builds the error from a raw errno, classifying it.
    public init(errno code: Int32, bus: String, address: UInt8? = nil, register: UInt8? = nil,
                operation: String) {
        self.init(kind: I2CError.classify(errno: code), errno: code, bus: bus, address: address,
                  register: register, operation: operation)
    }

    /// Pure errno → kind mapping (Linux values).
    public static func classify(errno code: Int32) -> Kind {
        switch code {
        case ENXIO, EREMOTEIO, ENODEV: return .deviceAbsent
        case ETIMEDOUT: return .timeout
        case EOPNOTSUPP: return .unsupported
        case EACCES, EPERM: return .permissionDenied
        case ENOENT: return .noSuchBus
        case EBUSY, EAGAIN: return .busBusy
        case EINVAL: return .invalidArgument
        default: return .io
        }
    }

    /// One line saying what failed, where, and what to do about it.
    public var description: String {
        var whereText = bus
        if let address { whereText += " address 0x" + hex(address) }
        if let register { whereText += " register 0x" + hex(register) }
        let errnoText = errno != 0 ? " (errno \(errno) \(errnoName(errno)))" : ""
        let what: String
        switch kind {
        case .deviceAbsent: what = "no device answered"
        case .timeout: what = "timed out"
        case .unsupported: what = "the adapter does not support this transfer"
        case .permissionDenied:
            what = "permission denied: add the user to the 'i2c' group (udev rule: SUBSYSTEM==\"i2c-dev\", GROUP=\"i2c\", MODE=\"0660\") or run as root"
        case .noSuchBus: what = "no such I2C bus (is i2c-dev loaded? `modprobe i2c-dev`)"
        case .busBusy:
            what = operation.contains("I2C_SLAVE")
                ? "address claimed by a kernel driver (unbind it, e.g. via /sys/bus/i2c/drivers)" : "bus busy"
        case .invalidArgument: what = "invalid argument"
        case .io: what = "I/O error"
        }
        return "I2C \(operation) on \(whereText): \(what)\(errnoText)"
    }
}

func hex(_ value: UInt8) -> String {
    let digits = String(value, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
}

func errnoName(_ code: Int32) -> String {
    switch code {
    case ENXIO: return "ENXIO"
    case EREMOTEIO: return "EREMOTEIO"
    case ENODEV: return "ENODEV"
    case ETIMEDOUT: return "ETIMEDOUT"
    case EOPNOTSUPP: return "EOPNOTSUPP"
    case EACCES: return "EACCES"
    case EPERM: return "EPERM"
    case ENOENT: return "ENOENT"
    case EBUSY: return "EBUSY"
    case EAGAIN: return "EAGAIN"
    case EINVAL: return "EINVAL"
    case EIO: return "EIO"
    default: return "errno"
    }
}
