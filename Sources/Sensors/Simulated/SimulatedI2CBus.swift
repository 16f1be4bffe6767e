import Foundation

/// A simulated I2C device at the wire level: it sees each write message and each read message
/// the way a real part does (the first written byte is usually a register pointer).
/// Devices keep their own lock: the bus calls them under its lock, tests poke them from outside.
public protocol SimulatedI2CDevice: AnyObject, Sendable {
    /// One write message (START, address+W, bytes..., STOP or repeated START).
    func receive(_ bytes: [UInt8], atSeconds time: Double)
    /// One read message of `count` bytes.
    func transmit(count: Int, atSeconds time: Double) -> [UInt8]
}

/// A fault the simulated bus injects for one address.
public enum I2CFault: Sendable, Equatable {
    /// The device does not acknowledge (ENXIO, as a real adapter reports).
    case nak
    /// The transfer times out (ETIMEDOUT), e.g. a device holding SCL low.
    case timeout
    /// Bits stuck in every byte read: `(byte & ~mask) | (value & mask)`.
    case stuckBits(mask: UInt8, value: UInt8)
}

/// One entry of the transfer trace.
public struct I2CTraceEntry: Sendable, Equatable {
    public enum Direction: String, Sendable { case write, read, quick }
    public var address: UInt8
    public var direction: Direction
    public var bytes: [UInt8]
    /// The error kind when the transfer failed.
    public var failure: I2CError.Kind?
}

/// An in-memory I2C bus with attached simulated devices, a transfer trace and fault injection.
///
/// SMBus calls are carried out as the wire messages they are (read byte data = write [reg],
/// read 1 byte), so devices implement only `receive`/`transmit`. Set `supportsPlainI2C` to
/// false to behave like i2c-stub, which rejects read(2)/write(2)/I2C_RDWR with EOPNOTSUPP.
public final class SimulatedI2CBus: I2CBus, @unchecked Sendable {
    public let name: String
    /// The simulation's clock; devices use it for power-up and conversion timing.
    public let time: SimulatedTime
    private let lock = NSLock()
    private var devices: [UInt8: any SimulatedI2CDevice] = [:]
    private var faults: [UInt8: (fault: I2CFault, remaining: Int?)] = [:]
    private var traceEntries: [I2CTraceEntry] = []
    private var plainI2C: Bool
    private var traceLimit: Int
    /// The stuck-bits fault of the transfer in progress (set under the lock).
    private var activeStuck: (mask: UInt8, value: UInt8)?

    /// - Parameters:
    ///   - supportsPlainI2C: false to reject plain read/write/I2C_RDWR like an SMBus-only adapter.
    ///   - traceLimit: how many trace entries to keep (oldest dropped); 0 disables the trace.
    public init(name: String = "sim", time: SimulatedTime = .manualTime(), supportsPlainI2C: Bool = true,
                traceLimit: Int = 4096) {
        self.name = name
        self.time = time
        self.plainI2C = supportsPlainI2C
        self.traceLimit = traceLimit
    }

    /// Attaches a device at a 7-bit address (replacing any device there).
    public func attach(_ device: any SimulatedI2CDevice, at address: UInt8) {
        lock.lock(); defer { lock.unlock() }
        devices[address] = device
    }

    /// Removes the device at an address (it will NAK from then on).
    public func detach(address: UInt8) {
        lock.lock(); defer { lock.unlock() }
        devices[address] = nil
    }

    /// Addresses that have a device attached, ascending.
    public var attachedAddresses: [UInt8] {
        lock.lock(); defer { lock.unlock() }
        return devices.keys.sorted()
    }

    /// Injects a fault at an address for the next `transfers` transfers (nil: until cleared).
    public func inject(_ fault: I2CFault, at address: UInt8, transfers: Int? = nil) {
        lock.lock(); defer { lock.unlock() }
        faults[address] = (fault, transfers)
    }

    /// Removes all injected faults.
    public func clearFaults() {
        lock.lock(); defer { lock.unlock() }
        faults.removeAll()
    }

    /// The transfers so far, oldest first.
    public var trace: [I2CTraceEntry] {
        lock.lock(); defer { lock.unlock() }
        return traceEntries
    }

    public func clearTrace() {
        lock.lock(); defer { lock.unlock() }
        traceEntries.removeAll(keepingCapacity: true)
    }

    // MARK: - I2CBus

    public func writeQuick(address: UInt8) throws {
        try run(address, nil, "write quick", plain: false) { _, _ in
            self.record(address, .quick, [], nil)
        }
    }

    public func readByte(address: UInt8) throws -> UInt8 {
        try run(address, nil, "read byte", plain: false) { device, t in
            try self.wireRead(device, address, 1, t, nil, "read byte")[0]
        }
    }

    public func readByteData(address: UInt8, register: UInt8) throws -> UInt8 {
        try run(address, register, "read byte data", plain: false) { device, t in
            try self.wireWrite(device, address, [register], t, register, "read byte data")
            return try self.wireRead(device, address, 1, t, register, "read byte data")[0]
        }
    }

    public func writeByteData(address: UInt8, register: UInt8, value: UInt8) throws {
        try run(address, register, "write byte data", plain: false) { device, t in
            try self.wireWrite(device, address, [register, value], t, register, "write byte data")
        }
    }

    public func readWordData(address: UInt8, register: UInt8) throws -> UInt16 {
        try run(address, register, "read word data", plain: false) { device, t in
            try self.wireWrite(device, address, [register], t, register, "read word data")
            let b = try self.wireRead(device, address, 2, t, register, "read word data")
            return UInt16(b[0]) | UInt16(b[1]) << 8  // SMBus: low byte first
        }
    }

    public func writeWordData(address: UInt8, register: UInt8, value: UInt16) throws {
        try run(address, register, "write word data", plain: false) { device, t in
            try self.wireWrite(device, address, [register, UInt8(value & 0xFF), UInt8(value >> 8)], t,
                               register, "write word data")
        }
    }

    public func readBlockData(address: UInt8, register: UInt8, count: Int) throws -> [UInt8] {
        try checkLength(count, 1...32, address, register, "read I2C block data")
        return try run(address, register, "read I2C block data", plain: false) { device, t in
            try self.wireWrite(device, address, [register], t, register, "read I2C block data")
            return try self.wireRead(device, address, count, t, register, "read I2C block data")
        }
    }

    public func writeBlockData(address: UInt8, register: UInt8, bytes: [UInt8]) throws {
        try checkLength(bytes.count, 1...32, address, register, "write I2C block data")
        try run(address, register, "write I2C block data", plain: false) { device, t in
            try self.wireWrite(device, address, [register] + bytes, t, register, "write I2C block data")
        }
    }

    public func read(address: UInt8, count: Int) throws -> [UInt8] {
        try checkLength(count, 1...8192, address, nil, "read")
        return try run(address, nil, "read", plain: true) { device, t in
            try self.wireRead(device, address, count, t, nil, "read")
        }
    }

    public func write(address: UInt8, bytes: [UInt8]) throws {
        try checkLength(bytes.count, 0...8192, address, nil, "write")
        try run(address, bytes.first, "write", plain: true) { device, t in
            try self.wireWrite(device, address, bytes, t, bytes.first, "write")
        }
    }

    public func writeRead(address: UInt8, write: [UInt8], readCount: Int) throws -> [UInt8] {
        try checkLength(readCount, 0...8192, address, write.first, "write-read (I2C_RDWR)")
        return try run(address, write.first, "write-read (I2C_RDWR)", plain: true) { device, t in
            if !write.isEmpty {
                try self.wireWrite(device, address, write, t, write.first, "write-read (I2C_RDWR)")
            }
            if readCount == 0 { return [] }
            return try self.wireRead(device, address, readCount, t, write.first, "write-read (I2C_RDWR)")
        }
    }

    // MARK: - Plumbing (called with the lock held)

    private func checkLength(_ n: Int, _ range: ClosedRange<Int>, _ address: UInt8, _ register: UInt8?,
                             _ operation: String) throws {
        if !range.contains(n) {
            throw I2CError(kind: .invalidArgument, errno: EINVAL, bus: name, address: address,
                           register: register, operation: operation + " (length \(n))")
        }
    }

    private func run<T>(_ address: UInt8, _ register: UInt8?, _ operation: String, plain: Bool,
                        _ body: (any SimulatedI2CDevice, Double) throws -> T) throws -> T {
        guard i2cUsableAddresses.contains(address) else {
            throw I2CError(kind: .invalidArgument, errno: EINVAL, bus: name, address: address,
                           register: register, operation: operation + " (address outside 0x03...0x77)")
        }
        lock.lock(); defer { lock.unlock() }
        if plain && !plainI2C {
            throw I2CError(errno: EOPNOTSUPP, bus: name, address: address, register: register,
                           operation: operation)
        }
        if let (fault, remaining) = faults[address] {
            if let remaining {
                faults[address] = remaining <= 1 ? nil : (fault, remaining - 1)
            }
            switch fault {
            case .nak:
                record(address, .write, [], .deviceAbsent)
                throw I2CError(errno: ENXIO, bus: name, address: address, register: register, operation: operation)
            case .timeout:
                record(address, .write, [], .timeout)
                throw I2CError(errno: ETIMEDOUT, bus: name, address: address, register: register,
                               operation: operation)
            case let .stuckBits(mask, value):
                activeStuck = (mask, value)  // applied to read bytes in wireRead
            }
        }
        defer { activeStuck = nil }
        guard let device = devices[address] else {
            record(address, .write, [], .deviceAbsent)
            throw I2CError(errno: ENXIO, bus: name, address: address, register: register, operation: operation)
        }
        return try body(device, time.nowSeconds)
    }

    private func wireWrite(_ device: any SimulatedI2CDevice, _ address: UInt8, _ bytes: [UInt8], _ t: Double,
                           _ register: UInt8?, _ operation: String) throws {
        device.receive(bytes, atSeconds: t)
        record(address, .write, bytes, nil)
    }

    private func wireRead(_ device: any SimulatedI2CDevice, _ address: UInt8, _ count: Int, _ t: Double,
                          _ register: UInt8?, _ operation: String) throws -> [UInt8] {
        var bytes = device.transmit(count: count, atSeconds: t)
        if bytes.count < count { bytes += [UInt8](repeating: 0xFF, count: count - bytes.count) }
        if let (mask, value) = activeStuck {
            bytes = bytes.map { ($0 & ~mask) | (value & mask) }
        }
        record(address, .read, bytes, nil)
        return bytes
    }

    private func record(_ address: UInt8, _ direction: I2CTraceEntry.Direction, _ bytes: [UInt8],
                        _ failure: I2CError.Kind?) {
        guard traceLimit > 0 else { return }
        // Drop the older half at once so a full trace costs O(1) amortised per transfer.
        if traceEntries.count >= traceLimit { traceEntries.removeFirst(max(1, traceEntries.count / 2)) }
        traceEntries.append(I2CTraceEntry(address: address, direction: direction, bytes: bytes, failure: failure))
    }
}
