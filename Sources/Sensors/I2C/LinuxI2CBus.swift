import CI2C
import Foundation

/// An I2C bus on Linux through `/dev/i2c-N` (the i2c-dev driver) and libi2c.
///
/// The fd's target address (I2C_SLAVE) is changed only when a call names a different
/// device; a lock serialises transfers so the address and the transfer stay paired.
public final class LinuxI2CBus: I2CBus, @unchecked Sendable {
    public let name: String
    private let lock = NSLock()
    private let fd: Int32
    private var currentAddress: UInt8?

    /// Opens `/dev/i2c-<number>`.
    public convenience init(busNumber: Int) throws {
        try self.init(path: "/dev/i2c-\(busNumber)")
    }

    /// Opens an i2c-dev node. Throws `I2CError` with kind `.noSuchBus` (ENOENT) or
    /// `.permissionDenied` (EACCES, message names the `i2c` group).
    public init(path: String) throws {
        name = path
        let result = ci2c_open(path)
        if result < 0 {
            throw I2CError(errno: -result, bus: path, operation: "open")
        }
        fd = result
    }

    deinit {
        if fd >= 0 { _ = ci2c_close(fd) }
    }

    /// The adapter's I2C_FUNC_* bit mask (ioctl I2C_FUNCS).
    public func functionality() throws -> UInt {
        try locked {
            var funcs: UInt = 0
            let r = ci2c_funcs(fd, &funcs)
            if r < 0 { throw I2CError(errno: -r, bus: name, operation: "I2C_FUNCS") }
            return funcs
        }
    }

    /// True when the adapter does plain I2C (I2C_RDWR, read/write) rather than SMBus only.
    public func supportsPlainI2C() throws -> Bool {
        try functionality() & UInt(ci2c_func_i2c()) != 0
    }

    public func writeQuick(address: UInt8) throws {
        try transfer(address, nil, "write quick") { ci2c_smbus_write_quick($0, 0) }
    }

    public func readByte(address: UInt8) throws -> UInt8 {
        UInt8(truncatingIfNeeded: try transfer(address, nil, "read byte") { ci2c_smbus_read_byte($0) })
    }

    public func readByteData(address: UInt8, register: UInt8) throws -> UInt8 {
        UInt8(truncatingIfNeeded: try transfer(address, register, "read byte data") {
            ci2c_smbus_read_byte_data($0, register)
        })
    }

    public func writeByteData(address: UInt8, register: UInt8, value: UInt8) throws {
        try transfer(address, register, "write byte data") {
            ci2c_smbus_write_byte_data($0, register, value)
        }
    }

    public func readWordData(address: UInt8, register: UInt8) throws -> UInt16 {
        UInt16(truncatingIfNeeded: try transfer(address, register, "read word data") {
            ci2c_smbus_read_word_data($0, register)
        })
    }

    public func writeWordData(address: UInt8, register: UInt8, value: UInt16) throws {
        try transfer(address, register, "write word data") {
            ci2c_smbus_write_word_data($0, register, value)
        }
    }

    public func readBlockData(address: UInt8, register: UInt8, count: Int) throws -> [UInt8] {
        try checkLength(count, max: 32, address, register, "read I2C block data")
        var buffer = [UInt8](repeating: 0, count: count)
        let n = try buffer.withUnsafeMutableBufferPointer { buf in
            try transfer(address, register, "read I2C block data") {
                ci2c_smbus_read_i2c_block_data($0, register, UInt8(count), buf.baseAddress)
            }
        }
        if n != count {
            throw I2CError(kind: .io, errno: 0, bus: name, address: address, register: register,
                           operation: "read I2C block data (short: \(n) of \(count) bytes)")
        }
        return buffer
    }

    public func writeBlockData(address: UInt8, register: UInt8, bytes: [UInt8]) throws {
        try checkLength(bytes.count, max: 32, address, register, "write I2C block data")
        try bytes.withUnsafeBufferPointer { buf in
            _ = try transfer(address, register, "write I2C block data") {
                ci2c_smbus_write_i2c_block_data($0, register, UInt8(bytes.count), buf.baseAddress)
            }
        }
    }

    public func read(address: UInt8, count: Int) throws -> [UInt8] {
        try checkLength(count, max: 8192, address, nil, "read")
        var buffer = [UInt8](repeating: 0, count: count)
        let n = try buffer.withUnsafeMutableBufferPointer { buf in
            try transfer(address, nil, "read") { ci2c_read($0, buf.baseAddress, count) }
        }
        if n != count {
            throw I2CError(kind: .io, errno: 0, bus: name, address: address,
                           operation: "read (short: \(n) of \(count) bytes)")
        }
        return buffer
    }

    public func write(address: UInt8, bytes: [UInt8]) throws {
        try checkLength(bytes.count, max: 8192, address, nil, "write")
        try bytes.withUnsafeBufferPointer { buf in
            _ = try transfer(address, nil, "write") { ci2c_write($0, buf.baseAddress, bytes.count) }
        }
    }

    public func writeRead(address: UInt8, write: [UInt8], readCount: Int) throws -> [UInt8] {
        try checkLength(write.count, max: 8192, address, write.first, "write-read (I2C_RDWR)")
        try checkLength(readCount, max: 8192, address, write.first, "write-read (I2C_RDWR)")
        var buffer = [UInt8](repeating: 0, count: readCount)
        try write.withUnsafeBufferPointer { w in
            try buffer.withUnsafeMutableBufferPointer { r in
                _ = try locked {
                    // I2C_RDWR carries the address in each message: no I2C_SLAVE needed.
                    let result = ci2c_write_read(fd, UInt16(address), w.baseAddress, UInt16(write.count),
                                                 r.baseAddress, UInt16(readCount))
                    if result < 0 {
                        throw I2CError(errno: -result, bus: name, address: address,
                                       register: write.first, operation: "write-read (I2C_RDWR)")
                    }
                }
            }
        }
        return buffer
    }

    // MARK: - Plumbing

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func checkLength(_ n: Int, max: Int, _ address: UInt8, _ register: UInt8?,
                             _ operation: String) throws {
        guard i2cUsableAddresses.contains(address) else {
            throw I2CError(kind: .invalidArgument, errno: EINVAL, bus: name, address: address,
                           register: register, operation: operation + " (address outside 0x03...0x77)")
        }
        if n < 0 || n > max || (max == 32 && n == 0) {
            throw I2CError(kind: .invalidArgument, errno: EINVAL, bus: name, address: address,
                           register: register, operation: operation + " (length \(n))")
        }
    }

    /// Selects the device (I2C_SLAVE, cached) and runs one libi2c call returning >= 0 or -errno.
    @discardableResult
    private func transfer(_ address: UInt8, _ register: UInt8?, _ operation: String,
                          _ call: (Int32) -> Int32) throws -> Int32 {
        guard i2cUsableAddresses.contains(address) else {
            throw I2CError(kind: .invalidArgument, errno: EINVAL, bus: name, address: address,
                           register: register, operation: operation + " (address outside 0x03...0x77)")
        }
        return try locked {
            if currentAddress != address {
                let r = ci2c_set_slave(fd, UInt16(address), 0)
                if r < 0 {
                    throw I2CError(errno: -r, bus: name, address: address, register: register,
                                   operation: operation + " (I2C_SLAVE)")
                }
                currentAddress = address
            }
            let r = call(fd)
            if r < 0 {
                throw I2CError(errno: -r, bus: name, address: address, register: register,
                               operation: operation)
            }
            return r
        }
    }
}
