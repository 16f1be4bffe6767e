import TOMLKit

/// A protocol file that cannot be used: where (TOML key path or line/column) and why.
public enum ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// TOML syntax error at a line and column.
    case syntax(line: Int, column: Int, message: String)
    /// A key is missing, has the wrong type or an invalid value (e.g. "step[2].current_ma_cm2").
    case invalid(keyPath: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let l, let c, let m): return "TOML syntax error at line \(l), column \(c): \(m)"
        case .invalid(let k, let r): return "\(k): \(r)"
        }
    }
}

extension GalvanostaticProtocol {
    /// Parse a protocol from TOML:
    /// ```toml
    /// [cell]
    /// diameter_mm = 2.0            # or area_cm2 = 0.0314
    /// [[step]]
    /// kind = "cc"                  # "cc" | "rest" | "hold"
    /// current_ma_cm2 = 1.0         # or current_a = 31.4e-6
    /// charge_mah_cm2 = 4.0         # and/or duration_s, voltage_v (end conditions)
    /// [loop]
    /// repeat = 3
    /// [limits]
    /// voltage_abs_max_v = 4.0
    /// pressure_min_mpa = 5.0
    /// pressure_max_mpa = 20.0
    /// pressure_action = "pause"    # or "abort"
    /// max_duration_h = 48
    /// soft_short_v = 0.005
    /// ```
    public static func parse(toml text: String) throws -> GalvanostaticProtocol {
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw ProtocolError.syntax(line: e.source.begin.line, column: e.source.begin.column, message: e.description)
        }
        try checkKeys(root, allowed: ["cell", "step", "loop", "limits"], path: "")

        guard let cell = root["cell"]?.table else { throw ProtocolError.invalid(keyPath: "cell", reason: "missing [cell] table") }
        try checkKeys(cell, allowed: ["diameter_mm", "area_cm2"], path: "cell")
        let area: Double
        if let d = try number(cell, "diameter_mm", path: "cell") {
            guard d > 0 else { throw ProtocolError.invalid(keyPath: "cell.diameter_mm", reason: "must be > 0") }
            area = Double.pi * (d / 20) * (d / 20)
        } else if let a = try number(cell, "area_cm2", path: "cell") {
            guard a > 0 else { throw ProtocolError.invalid(keyPath: "cell.area_cm2", reason: "must be > 0") }
            area = a
        } else {
            throw ProtocolError.invalid(keyPath: "cell", reason: "needs diameter_mm or area_cm2")
        }

        guard let stepArray = root["step"]?.array, !stepArray.isEmpty else {
            throw ProtocolError.invalid(keyPath: "step", reason: "needs at least one [[step]]")
        }
        var steps: [ProtocolStep] = []
        for (i, value) in stepArray.enumerated() {
            let path = "step[\(i)]"
            guard let t = value.table else { throw ProtocolError.invalid(keyPath: path, reason: "must be a table") }
            steps.append(try parseStep(t, path: path, areaSquareCentimetres: area))
        }

        var repeatCount = 1
        if let loop = root["loop"]?.table {
            try checkKeys(loop, allowed: ["repeat"], path: "loop")
            if let r = loop["repeat"] {
                guard let n = r.int, n >= 1 else { throw ProtocolError.invalid(keyPath: "loop.repeat", reason: "must be an integer ≥ 1") }
                repeatCount = n
            }
        }

        var limits = ProtocolLimits()
        if let l = root["limits"]?.table {
            let p = "limits"
            try checkKeys(l, allowed: ["voltage_abs_max_v", "pressure_min_mpa", "pressure_max_mpa", "pressure_action",
                                       "max_duration_h", "soft_short_v"], path: p)
            if let v = try number(l, "voltage_abs_max_v", path: p) {
                guard v > 0 else { throw ProtocolError.invalid(keyPath: "\(p).voltage_abs_max_v", reason: "must be > 0") }
                limits.voltageAbsoluteMaximumVolts = v
            }
            let lo = try number(l, "pressure_min_mpa", path: p)
            let hi = try number(l, "pressure_max_mpa", path: p)
            if let lo, let hi, lo >= hi {
                throw ProtocolError.invalid(keyPath: "\(p).pressure_min_mpa", reason: "must be below pressure_max_mpa")
            }
            var action = PressureAction.pause
            if let a = l["pressure_action"] {
                guard let s = a.string, let parsed = PressureAction(rawValue: s) else {
                    throw ProtocolError.invalid(keyPath: "\(p).pressure_action", reason: "must be \"pause\" or \"abort\"")
                }
                action = parsed
            }
            if lo != nil || hi != nil {
                limits.pressureWindow = PressureWindow(minimumMegapascals: lo, maximumMegapascals: hi, action: action)
            }
            if let h = try number(l, "max_duration_h", path: p) {
                guard h > 0 else { throw ProtocolError.invalid(keyPath: "\(p).max_duration_h", reason: "must be > 0") }
                limits.maximumDurationHours = h
            }
            if let s = try number(l, "soft_short_v", path: p) {
                guard s > 0 else { throw ProtocolError.invalid(keyPath: "\(p).soft_short_v", reason: "must be > 0") }
                limits.softShortVolts = s
            }
        }
        return GalvanostaticProtocol(areaSquareCentimetres: area, steps: steps, repeatCount: repeatCount, limits: limits)
    }

    static func parseStep(_ t: TOMLTable, path: String, areaSquareCentimetres area: Double) throws -> ProtocolStep {
        try checkKeys(t, allowed: ["kind", "current_a", "current_ma_cm2", "duration_s", "charge_mah_cm2", "voltage_v"], path: path)
        guard let kindName = t["kind"]?.string else {
            throw ProtocolError.invalid(keyPath: "\(path).kind", reason: "missing; one of \"cc\", \"rest\", \"hold\"")
        }
        let kind: StepKind
        switch kindName {
        case "cc":
            let a = try number(t, "current_a", path: path)
            let d = try number(t, "current_ma_cm2", path: path)
            switch (a, d) {
            case (let amps?, nil): kind = .constantCurrent(amps: amps)
            case (nil, let density?): kind = .constantCurrent(amps: density * 1e-3 * area)
            case (.some, .some): throw ProtocolError.invalid(keyPath: "\(path).current_a", reason: "give current_a or current_ma_cm2, not both")
            case (nil, nil): throw ProtocolError.invalid(keyPath: "\(path).current_a", reason: "cc step needs current_a or current_ma_cm2")
            }
        case "rest": kind = .rest
        case "hold": kind = .hold
        default: throw ProtocolError.invalid(keyPath: "\(path).kind", reason: "unknown kind \"\(kindName)\"; one of \"cc\", \"rest\", \"hold\"")
        }
        let duration = try number(t, "duration_s", path: path)
        let charge = try number(t, "charge_mah_cm2", path: path)
        let voltage = try number(t, "voltage_v", path: path)
        if let duration, duration <= 0 { throw ProtocolError.invalid(keyPath: "\(path).duration_s", reason: "must be > 0") }
        if let charge, charge <= 0 { throw ProtocolError.invalid(keyPath: "\(path).charge_mah_cm2", reason: "must be > 0") }
        if charge != nil, case .constantCurrent(let amps) = kind, amps == 0 {
            throw ProtocolError.invalid(keyPath: "\(path).charge_mah_cm2", reason: "a 0 A step never passes charge")
        }
        if charge != nil, kind == .rest || kind == .hold {
            throw ProtocolError.invalid(keyPath: "\(path).charge_mah_cm2", reason: "rest/hold steps pass no charge")
        }
        if kind != .hold, duration == nil, charge == nil, voltage == nil {
            throw ProtocolError.invalid(keyPath: path, reason: "step needs an end: duration_s, charge_mah_cm2 or voltage_v")
        }
        return ProtocolStep(kind: kind, durationSeconds: duration, chargeMilliampHoursPerSquareCentimetre: charge,
                            endVoltageVolts: voltage)
    }

    static func number(_ t: TOMLTable, _ key: String, path: String) throws -> Double? {
        guard let v = t[key] else { return nil }
        if let d = v.double, d.isFinite { return d }
        if let i = v.int { return Double(i) }
        throw ProtocolError.invalid(keyPath: path.isEmpty ? key : "\(path).\(key)", reason: "must be a number")
    }

    static func checkKeys(_ t: TOMLTable, allowed: Set<String>, path: String) throws {
        for key in t.keys where !allowed.contains(key) {
            throw ProtocolError.invalid(keyPath: path.isEmpty ? key : "\(path).\(key)", reason: "unknown key")
        }
    }
}
