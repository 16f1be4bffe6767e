/// One I2C bus (an i2c-dev adapter or a simulation). Every call names the 7-bit address,
/// so one bus value serves several devices; implementations serialise transfers.
///
/// Drivers use SMBus calls (byte/word/I2C-block data) wherever the part allows, because
/// SMBus-only adapters (i2c-stub, many SoC controllers) reject plain I2C_RDWR.
public protocol I2CBus: Sendable {
    /// Human-readable bus name used in errors, e.g. "/dev/i2c-1".
    var name: String { get }

    /// SMBus quick write (address probe, like `i2cdetect -q`).
    func writeQuick(address: UInt8) throws
    /// SMBus receive byte: one byte with no register (what `i2cdetect -r` uses to probe).
    func readByte(address: UInt8) throws -> UInt8
    /// SMBus read byte data: one register.
    func readByteData(address: UInt8, register: UInt8) throws -> UInt8
    /// SMBus write byte data.
    func writeByteData(address: UInt8, register: UInt8, value: UInt8) throws
    /// SMBus read word data. The value is as SMBus defines it: low byte first on the wire.
    func readWordData(address: UInt8, register: UInt8) throws -> UInt16
    /// SMBus write word data (low byte first on the wire).
    func writeWordData(address: UInt8, register: UInt8, value: UInt16) throws
    /// I2C-block read: `count` (1...32) bytes from consecutive registers starting at `register`.
    func readBlockData(address: UInt8, register: UInt8, count: Int) throws -> [UInt8]
    /// I2C-block write: bytes to consecutive registers starting at `register` (1...32 bytes).
    func writeBlockData(address: UInt8, register: UInt8, bytes: [UInt8]) throws
    /// Plain I2C read of `count` bytes with no register address (read(2) on i2c-dev).
    func read(address: UInt8, count: Int) throws -> [UInt8]
    /// Plain I2C write (write(2) on i2c-dev).
    func write(address: UInt8, bytes: [UInt8]) throws
    /// Combined write-then-read with a repeated start (I2C_RDWR).
    func writeRead(address: UInt8, write: [UInt8], readCount: Int) throws -> [UInt8]
}

/// Valid 7-bit addresses for normal devices (0x00–0x02 and 0x78–0x7F are reserved).
public let i2cUsableAddresses: ClosedRange<UInt8> = 0x03...0x77

extension I2CBus {
    /// Read-modify-write of some bits of a register.
    func updateByteData(address: UInt8, register: UInt8, mask: UInt8, bits: UInt8) throws {
        let old = try readByteData(address: address, register: register)
        try writeByteData(address: address, register: register, value: (old & ~mask) | (bits & mask))
    }
}
