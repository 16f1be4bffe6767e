// Values carried in MethodSCRIPT data packets (PalmSens MethodSCRIPT manual, "Measurement
// data package variables"): each variable is a 2-character type, 7 hex digits holding a
// signed integer offset by 2^27, and one SI-prefix character; optional metadata follows.

/// The physical quantity a MethodSCRIPT variable type carries, with its SI unit.
public enum MethodScriptQuantity: Sendable, Equatable {
    case potentialVolts
    case currentAmps
    case timeSeconds
    case frequencyHertz
    case impedanceOhms
    case phaseDegrees
    case temperatureCelsius
    /// A count, index, channel or generic value without unit.
    case dimensionless
    /// A type code this decoder does not know; the value is still decoded.
    case unknown
}

/// A MethodSCRIPT variable type code (`da`, `ba`, `ab`, `eb`, ...).
public struct MethodScriptVariableType: Hashable, Sendable, CustomStringConvertible {
    /// The two lowercase letters as sent by the instrument.
    public let code: String

    public init(code: String) { self.code = code }

    public var description: String { code }

    /// Unknown (`aa`).
    public static let unknownType = MethodScriptVariableType(code: "aa")
    /// WE vs RE potential (`ab`): the measured cell voltage in a 2-electrode setup.
    public static let workingElectrodePotential = MethodScriptVariableType(code: "ab")
    /// WE current (`ba`).
    public static let workingElectrodeCurrent = MethodScriptVariableType(code: "ba")
    /// Applied (set) potential (`da`).
    public static let appliedPotential = MethodScriptVariableType(code: "da")
    /// Applied (set) current (`db`).
    public static let appliedCurrent = MethodScriptVariableType(code: "db")
    /// Time (`eb`).
    public static let time = MethodScriptVariableType(code: "eb")
    /// Miscellaneous generic 1 (`ja`); the generator uses it for the step index.
    public static let miscGeneric1 = MethodScriptVariableType(code: "ja")

    /// The quantity this type carries (from the manual's variable-type table).
    public var quantity: MethodScriptQuantity {
        guard code.utf8.count == 2, let first = code.first else { return .unknown }
        switch code {
        case "aa": return .unknown
        case "ab", "ac", "ad", "ae", "af", "ag", "ah", "ai",
             "as", "at", "au", "av", "aw", "ax", "ay", "az":
            return .potentialVolts
        case "ba", "bb": return .currentAmps
        case "ca": return .phaseDegrees
        case "cb", "cc", "cd", "cl", "cm", "cn", "co", "cp", "cq": return .impedanceOhms
        case "ce", "ch", "ci", "cs", "ct", "cw", "cx", "cy", "cz": return .potentialVolts
        case "cf", "cj", "ck", "cr", "cu", "cv": return .currentAmps
        case "cg", "dc": return .frequencyHertz
        case "da", "dd": return .potentialVolts
        case "db": return .currentAmps
        case "ea", "ec", "ee": return .dimensionless
        case "eb": return .timeSeconds
        case "ed", "ef": return .temperatureCelsius
        default:
            switch first {
            case "h": return .currentAmps       // generic currents ha..hd
            case "i": return .potentialVolts    // generic potentials ia..id
            case "j": return .dimensionless     // misc generic ja..jd
            default: return .unknown
            }
        }
    }
}

/// Status flags of the `1x` metadata entry (one hex digit).
public struct MethodScriptStatus: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let timingError = MethodScriptStatus(rawValue: 0x1)
    public static let overload = MethodScriptStatus(rawValue: 0x2)
    public static let underload = MethodScriptStatus(rawValue: 0x4)
    public static let overloadWarning = MethodScriptStatus(rawValue: 0x8)
}

/// SI prefix characters used in packets and script literals.
public enum MethodScriptSIPrefix {
    /// Scale factor for a prefix character, nil if the character is not a prefix.
    /// `i` marks an integer (factor 1); a space means no prefix.
    public static func factor(of prefix: UInt8) -> Double? {
        switch prefix {
        case UInt8(ascii: "a"): return 1e-18
        case UInt8(ascii: "f"): return 1e-15
        case UInt8(ascii: "p"): return 1e-12
        case UInt8(ascii: "n"): return 1e-9
        case UInt8(ascii: "u"): return 1e-6
        case UInt8(ascii: "m"): return 1e-3
        case UInt8(ascii: " "): return 1
        case UInt8(ascii: "i"): return 1
        case UInt8(ascii: "k"): return 1e3
        case UInt8(ascii: "M"): return 1e6
        case UInt8(ascii: "G"): return 1e9
        case UInt8(ascii: "T"): return 1e12
        case UInt8(ascii: "P"): return 1e15
        case UInt8(ascii: "E"): return 1e18
        default: return nil
        }
    }
}

/// One decoded variable of a data packet.
public struct MethodScriptValue: Sendable, Equatable {
    public var type: MethodScriptVariableType
    /// The value in SI units (V, A, s, ...); NaN when the instrument sent `nan`.
    public var value: Double
    /// The signed integer before scaling (0 for `nan`).
    public var rawInteger: Int64
    /// The SI prefix character as sent (`" "` for none and for `nan`).
    public var siPrefix: Character
    /// Status flags from a `1x` metadata entry, if present.
    public var status: MethodScriptStatus?
    /// Range index from a `2xx` metadata entry (device-specific current or potential range).
    public var range: Int?
    /// Metadata entries this decoder does not interpret, verbatim.
    public var otherMetadata: [String]

    public init(type: MethodScriptVariableType, value: Double, rawInteger: Int64,
                siPrefix: Character, status: MethodScriptStatus? = nil, range: Int? = nil,
                otherMetadata: [String] = []) {
        self.type = type
        self.value = value
        self.rawInteger = rawInteger
        self.siPrefix = siPrefix
        self.status = status
        self.range = range
        self.otherMetadata = otherMetadata
    }

    public var isNaN: Bool { value.isNaN }

    // Equatable with NaN == NaN so recorded packets compare in tests.
    public static func == (a: MethodScriptValue, b: MethodScriptValue) -> Bool {
        a.type == b.type && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
            && a.rawInteger == b.rawInteger && a.siPrefix == b.siPrefix
            && a.status == b.status && a.range == b.range && a.otherMetadata == b.otherMetadata
    }
}

/// One `P` line: the variables in the order the script's `pck_add`s put them.
public struct MethodScriptPacket: Sendable, Equatable {
    public var values: [MethodScriptValue]

    public init(values: [MethodScriptValue]) { self.values = values }

    /// The first value of the given type, in SI units.
    public func first(_ type: MethodScriptVariableType) -> Double? {
        values.first { $0.type == type }?.value
    }

    /// The first value carrying the given quantity, in SI units.
    public func first(quantity: MethodScriptQuantity) -> Double? {
        values.first { $0.type.quantity == quantity }?.value
    }
}
