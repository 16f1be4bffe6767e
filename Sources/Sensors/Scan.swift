/// What answered at one address, and which known parts it could be.
public struct ScanResult: Sendable, Equatable, CustomStringConvertible {
    public var address: UInt8
    /// Chip names (as `makeForceSensor` takes them) that could be at this address.
    public var candidates: [String]
    /// True when an identity register confirmed the part (only the NAU7802 has one).
    public var identified: Bool
    /// One line for humans, e.g. "FMA or FX29 could answer (no identity register)".
    public var note: String

    public var description: String { "0x\(hex(address)): \(note)" }
}

/// Probes a bus like `i2cdetect`, but names the known parts.
///
/// - 0x2A: reads NAU7802 REVISION (0x1F); low nibble 0xF identifies it.
/// - 0x48–0x4B: reads the ADS1115 config register (no identity register: "could answer").
/// - 0x28: Honeywell FMA and TE FX29 both default here and have no identity register, so it
///   says "FMA or FX29 could answer" rather than guess; the config must name the part.
/// - Other addresses: SMBus receive byte (harmless, like `i2cdetect -r`); an answer is
///   reported as an unknown device.
/// Only "no device" errors mean absence; any other error is reported at its address.
public func scan(bus: any I2CBus, addresses: ClosedRange<UInt8> = i2cUsableAddresses) -> [ScanResult] {
    var results: [ScanResult] = []
    for address in addresses {
        if let r = probeAddress(bus: bus, address: address) { results.append(r) }
    }
    return results
}

private func probeAddress(bus: any I2CBus, address: UInt8) -> ScanResult? {
    func result(_ candidates: [String], _ identified: Bool, _ note: String) -> ScanResult {
        ScanResult(address: address, candidates: candidates, identified: identified, note: note)
    }
    do {
        switch address {
        case NAU7802.defaultAddress:
            let revision = try bus.readByteData(address: address, register: NAU7802Register.revision)
            if revision & 0x0F == 0x0F {
                return result(["nau7802"], true, "NAU7802 (REVISION 0x1F reads 0x\(hex(revision)))")
            }
            return result([], false, "unknown device (not a NAU7802: REVISION reads 0x\(hex(revision)))")
        case ADS1115.addresses:
            let config = try bus.readWordData(address: address, register: ADS1115Register.config).byteSwapped
            return result(["ads1115"], false,
                          "ADS1115 could answer (no identity register; config reads 0x\(String(config, radix: 16)))")
        case HoneywellFMA.defaultAddress:
            do {
                _ = try bus.read(address: address, count: 2)
            } catch let e as I2CError where e.kind == .unsupported {
                _ = try bus.readByte(address: address)  // SMBus-only adapter: presence only
            }
            return result(["fma", "fx29"], false, "FMA or FX29 could answer (no identity register; name the part in the config)")
        default:
            _ = try bus.readByte(address: address)
            return result([], false, "unknown device")
        }
    } catch let e as I2CError where e.kind == .deviceAbsent {
        return nil
    } catch {
        return result([], false, "error: \(error)")
    }
}
