import Foundation

/// A generic simulated device: 256 byte registers behind a register pointer that
/// auto-increments on each byte read or written (as on most small I2C parts, and i2c-stub).
public final class RegisterMapDevice: SimulatedI2CDevice, @unchecked Sendable {
    private let lock = NSLock()
    private var registers: [UInt8]
    private var pointer: UInt8 = 0

    public init(registers initial: [UInt8: UInt8] = [:]) {
        registers = [UInt8](repeating: 0, count: 256)
        for (r, v) in initial { registers[Int(r)] = v }
    }

    /// Reads a register directly (test inspection, no bus traffic).
    public subscript(register: UInt8) -> UInt8 {
        get { lock.lock(); defer { lock.unlock() }; return registers[Int(register)] }
        set { lock.lock(); defer { lock.unlock() }; registers[Int(register)] = newValue }
    }

    public func receive(_ bytes: [UInt8], atSeconds time: Double) {
        lock.lock(); defer { lock.unlock() }
        guard let first = bytes.first else { return }
        pointer = first
        for b in bytes.dropFirst() {
            registers[Int(pointer)] = b
            pointer &+= 1
        }
    }

    public func transmit(count: Int, atSeconds time: Double) -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            out.append(registers[Int(pointer)])
            pointer &+= 1
        }
        return out
    }
}
