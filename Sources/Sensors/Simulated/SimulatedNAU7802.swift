/// A simulated NAU7802 that behaves as the datasheet describes: registers reset by RR,
/// PUR set 200 µs after PUD|PUA, conversions every 1/rate s once CS=1 (CR set on each,
/// cleared by reading ADCO B0), internal offset calibration that takes 2 conversion periods
/// and stores the offset in OCAL1, and an input offset that scales with gain (so a gain
/// change without recalibration shows up as an offset error, as on the real part).
public final class SimulatedNAU7802: SimulatedI2CDevice, Sendable {
    public static let powerUpSeconds = 200e-6

    private struct State {
        var registers = [UInt8](repeating: 0, count: 32)
        var pointer: UInt8 = 0
        var poweredSince: Double?
        var convertingSince: Double?
        var lastDeliveredConversion = 0
        var overwrittenConversions = 0
        var latchedBytes: [UInt8] = [0, 0, 0]
        var calibrationEnds: Double?
        var noise: NoiseGenerator
    }

    public let force: ForceSource
    public let bridge: BridgeModel
    /// Input-referred offset of the part's own front end, volts (removed by calibration).
    public let inputOffsetVolts: Double
    /// RMS noise in counts added to each conversion.
    public let noiseCounts: Double
    private let temperature: Locked<Double>
    private let state: Locked<State>

    public init(force: ForceSource = ForceSource(), bridge: BridgeModel = BridgeModel(),
                inputOffsetVolts: Double = 30e-6, noiseCounts: Double = 0, temperatureCelsius: Double = 25,
                seed: UInt64 = 1) {
        self.force = force
        self.bridge = bridge
        self.inputOffsetVolts = inputOffsetVolts
        self.noiseCounts = noiseCounts
        self.temperature = Locked(temperatureCelsius)
        var s = State(noise: NoiseGenerator(seed: seed))
        SimulatedNAU7802.resetRegisters(&s)
        self.state = Locked(s)
    }

    /// Die temperature the internal sensor reports.
    public func setTemperature(celsius: Double) { temperature.withLock { $0 = celsius } }

    /// Conversions that completed and were overwritten before anyone read them.
    public var overwrittenConversions: Int { state.withLock { $0.overwrittenConversions } }

    /// A register's value as the device holds it (test inspection).
    public func register(_ r: UInt8) -> UInt8 { state.withLock { $0.registers[Int(r & 0x1F)] } }

    private static func resetRegisters(_ s: inout State) {
        s.registers = [UInt8](repeating: 0, count: 32)
        s.registers[Int(NAU7802Register.revision)] = 0x0F
        s.poweredSince = nil
        s.convertingSince = nil
        s.lastDeliveredConversion = 0
        s.calibrationEnds = nil
    }

    private func gain(_ s: State) -> Int { 1 << Int(s.registers[Int(NAU7802Register.ctrl1)] & 0x07) }

    private func referenceVolts(_ s: State) -> Double {
        if s.registers[0] & NAU7802Register.avdds != 0 {
            let code = (s.registers[Int(NAU7802Register.ctrl1)] & NAU7802Register.vldoMask) >> NAU7802Register.vldoShift
            return 4.5 - 0.3 * Double(code)
        }
        return 3.3  // external AVDD on the simulated board
    }

    private func rateHz(_ s: State) -> Double {
        switch (s.registers[Int(NAU7802Register.ctrl2)] & NAU7802Register.crsMask) >> NAU7802Register.crsShift {
        case 0: 10
        case 1: 20
        case 2: 40
        case 3: 80
        default: 320
        }
    }

    private func ocal(_ s: State) -> Int32 {
        let r = s.registers
        return NAU7802Conversion.counts(b2: r[3], b1: r[4], b0: r[5])
    }

    /// Counts the part would convert now, before OCAL subtraction.
    private func rawConversion(_ s: inout State, at t: Double) -> Int32 {
        let g = gain(s), vref = referenceVolts(s)
        let input: Double
        if s.registers[Int(NAU7802Register.i2cCtrl)] & NAU7802Register.ts != 0 {
            let celsius = temperature.current
            input = NAU7802Conversion.temperatureSensorVoltsAt25C
                + (celsius - 25) * NAU7802Conversion.temperatureSensorVoltsPerCelsius
        } else {
            input = bridge.outputVolts(forceNewtons: force.forceNewtons(atSeconds: t), excitationVolts: vref)
        }
        let noise = s.noise.nextGaussian(sigma: noiseCounts)
        return NAU7802Conversion.counts(volts: input + inputOffsetVolts, gain: g, referenceVolts: vref)
            &+ Int32(noise.rounded())
    }

    /// Advances the state machine to time t (power-up, calibration end).
    private func update(_ s: inout State, at t: Double) {
        var pu = s.registers[0]
        if let since = s.poweredSince, t - since >= Self.powerUpSeconds { pu |= NAU7802Register.pur }
        if let ends = s.calibrationEnds, t >= ends {
            // Internal offset calibration: OCAL holds the offset at the current gain.
            let g = gain(s), vref = referenceVolts(s)
            let offset = NAU7802Conversion.counts(volts: inputOffsetVolts, gain: g, referenceVolts: vref)
            let b = NAU7802Conversion.bytes(counts: offset)
            s.registers[3] = b[0]; s.registers[4] = b[1]; s.registers[5] = b[2]
            s.registers[Int(NAU7802Register.ctrl2)] &= ~NAU7802Register.calsBit
            s.calibrationEnds = nil
        }
        if let since = s.convertingSince, s.calibrationEnds == nil {
            let done = Int(((t - since) * rateHz(s)).rounded(.down))
            if done > s.lastDeliveredConversion { pu |= NAU7802Register.cr } else { pu &= ~NAU7802Register.cr }
        } else {
            pu &= ~NAU7802Register.cr
        }
        s.registers[0] = pu
    }

    public func receive(_ bytes: [UInt8], atSeconds t: Double) {
        state.withLock { s in
            guard let first = bytes.first else { return }
            update(&s, at: t)
            s.pointer = first & 0x1F
            for value in bytes.dropFirst() {
                write(&s, register: s.pointer, value: value, at: t)
                s.pointer = (s.pointer &+ 1) & 0x1F
            }
        }
    }

    private func write(_ s: inout State, register: UInt8, value: UInt8, at t: Double) {
        switch register {
        case NAU7802Register.puCtrl:
            if value & NAU7802Register.rr != 0 {
                Self.resetRegisters(&s)
                s.registers[0] = NAU7802Register.rr
                return
            }
            let old = s.registers[0]
            let keep = old & (NAU7802Register.pur | NAU7802Register.cr)
            let newValue = (value & ~(NAU7802Register.pur | NAU7802Register.cr)) | keep
            let powered = value & (NAU7802Register.pud | NAU7802Register.pua) == (NAU7802Register.pud | NAU7802Register.pua)
            if powered {
                if s.poweredSince == nil { s.poweredSince = t }
            } else {
                s.poweredSince = nil
                s.convertingSince = nil
            }
            s.registers[0] = powered ? newValue : newValue & ~NAU7802Register.pur
            if powered && value & NAU7802Register.cs != 0 {
                if s.convertingSince == nil { startConverting(&s, at: t) }
            } else {
                s.convertingSince = nil
            }
        case NAU7802Register.ctrl1:
            s.registers[1] = value
            if s.convertingSince != nil { startConverting(&s, at: t) }  // settings change restarts the filter
        case NAU7802Register.ctrl2:
            let ctrl2 = value & ~NAU7802Register.calErr
            s.registers[2] = ctrl2
            if ctrl2 & NAU7802Register.calsBit != 0 {
                if s.convertingSince == nil || s.registers[0] & NAU7802Register.pur == 0 {
                    // Calibrating an unpowered part fails at once.
                    s.registers[2] = (ctrl2 & ~NAU7802Register.calsBit) | NAU7802Register.calErr
                } else {
                    s.calibrationEnds = t + 2 / rateHz(s)
                    startConverting(&s, at: t + 2 / rateHz(s))
                }
            } else if s.convertingSince != nil {
                startConverting(&s, at: t)
            }
        case NAU7802Register.revision, NAU7802Register.adcoB2, NAU7802Register.adcoB2 + 1, NAU7802Register.adcoB2 + 2:
            break  // read-only
        case NAU7802Register.i2cCtrl:
            s.registers[Int(register)] = value
            if s.convertingSince != nil { startConverting(&s, at: t) }
        default:
            s.registers[Int(register)] = value
        }
    }

    private func startConverting(_ s: inout State, at t: Double) {
        s.convertingSince = t
        s.lastDeliveredConversion = 0
    }

    public func transmit(count: Int, atSeconds t: Double) -> [UInt8] {
        state.withLock { s in
            update(&s, at: t)
            var out: [UInt8] = []
            for _ in 0..<count {
                let r = s.pointer
                switch r {
                case NAU7802Register.adcoB2:
                    // Latch the newest conversion when its MSB is read.
                    let raw = rawConversion(&s, at: t)
                    s.latchedBytes = NAU7802Conversion.bytes(counts: raw &- ocal(s))
                    out.append(s.latchedBytes[0])
                case NAU7802Register.adcoB2 + 1:
                    out.append(s.latchedBytes[1])
                case NAU7802Register.adcoB2 + 2:
                    out.append(s.latchedBytes[2])
                    if let since = s.convertingSince {
                        let latest = Int(((t - since) * rateHz(s)).rounded(.down))
                        // Conversions completed but never read were overwritten in ADCO (the part has no FIFO).
                        if s.lastDeliveredConversion > 0 && latest > s.lastDeliveredConversion + 1 {
                            s.overwrittenConversions += latest - s.lastDeliveredConversion - 1
                        }
                        s.lastDeliveredConversion = latest
                        s.registers[0] &= ~NAU7802Register.cr
                    }
                default:
                    out.append(s.registers[Int(r)])
                }
                s.pointer = (s.pointer &+ 1) & 0x1F
            }
            return out
        }
    }
}
