/// A driver-level failure: the bus worked but the part did not behave as its datasheet says.
public struct SensorError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The identity check failed (wrong part at this address).
        case identityMismatch
        /// A written configuration did not read back.
        case configurationMismatch
        /// The part did not become ready in time (power-up, conversion, calibration).
        case notReady
        /// The part flagged its own calibration as failed.
        case calibrationFailed
        /// The part reports stale data (no new conversion since the last read).
        case staleData
        /// The part reports a diagnostic fault (e.g. a broken bridge).
        case diagnosticFault
        /// The part is in command mode and is not measuring.
        case commandMode
        /// A setting outside what the part supports.
        case invalidConfiguration
    }

    public var kind: Kind
    public var chip: String
    public var bus: String
    public var address: UInt8
    public var detail: String

    public init(_ kind: Kind, chip: String, bus: String, address: UInt8, detail: String) {
        self.kind = kind
        self.chip = chip
        self.bus = bus
        self.address = address
        self.detail = detail
    }

    public var description: String {
        "\(chip) on \(bus) address 0x\(hex(address)): \(kind.rawValue): \(detail)"
    }
}
