/// A simulated ADS1115: pointer register, 16-bit registers MSB first, reset config 0x8583,
/// single-shot conversions (OS reads 0 for one conversion period) and continuous conversions
/// every 1/DR s. AIN0/AIN1 carry a bridge (common mode VDD/2); AIN2/AIN3 fixed volts.
public final class SimulatedADS1115: SimulatedI2CDevice, Sendable {
    private struct State {
        var registers: [UInt16] = [0, ADS1115Register.resetConfig, 0x8000, 0x7FFF]
        var pointer: Int = 0
        var writeBuffer: [UInt8] = []
        var readIndex = 0
        var singleShotEnds: Double?
        var continuousSince: Double?
        var lastContinuousConversion = -1
        var noise: NoiseGenerator
    }

    public let force: ForceSource
    public let bridge: BridgeModel
    public let excitationVolts: Double
    public let noiseCounts: Double
    private let otherInputs: Locked<(ain2: Double, ain3: Double)>
    private let state: Locked<State>

    public init(force: ForceSource = ForceSource(), bridge: BridgeModel = BridgeModel(), excitationVolts: Double = 3.3,
                ain2Volts: Double = 1.0, ain3Volts: Double = 0, noiseCounts: Double = 0, seed: UInt64 = 2) {
        self.force = force
        self.bridge = bridge
        self.excitationVolts = excitationVolts
        self.noiseCounts = noiseCounts
        otherInputs = Locked((ain2Volts, ain3Volts))
        state = Locked(State(noise: NoiseGenerator(seed: seed)))
    }

    public func setInputs(ain2Volts: Double, ain3Volts: Double) { otherInputs.withLock { $0 = (ain2Volts, ain3Volts) } }

    /// A register's value (test inspection).
    public func register(_ r: UInt8) -> UInt16 { state.withLock { $0.registers[Int(r & 3)] } }

    private func inputVolts(mux: UInt16, at t: Double) -> Double {
        let bridgeOut = bridge.outputVolts(forceNewtons: force.forceNewtons(atSeconds: t), excitationVolts: excitationVolts)
        let ain0 = excitationVolts / 2 + bridgeOut / 2, ain1 = excitationVolts / 2 - bridgeOut / 2
        let other = otherInputs.current
        let ain = [ain0, ain1, other.ain2, other.ain3]
        switch mux {
        case 0: return ain[0] - ain[1]
        case 1: return ain[0] - ain[3]
        case 2: return ain[1] - ain[3]
        case 3: return ain[2] - ain[3]
        default: return ain[Int(mux) - 4]
        }
    }

    private func convert(_ s: inout State, at t: Double) {
        let config = s.registers[1]
        let range = ADS1115.Range(rawValue: UInt8(min((config >> 9) & 7, 5)))!
        let volts = inputVolts(mux: (config >> 12) & 7, at: t)
        let noise = Int(s.noise.nextGaussian(sigma: noiseCounts).rounded())
        let c = Int(ADS1115Conversion.counts(volts: volts, range: range)) + noise
        s.registers[0] = UInt16(bitPattern: Int16(min(max(c, -32768), 32767)))
    }

    private func rate(_ config: UInt16) -> Double { ADS1115.DataRate(rawValue: UInt8((config >> 5) & 7))!.hertz }

    private func update(_ s: inout State, at t: Double) {
        if let ends = s.singleShotEnds, t >= ends {
            convert(&s, at: ends)
            s.singleShotEnds = nil
            s.registers[1] |= ADS1115Register.osBit
        }
        if let since = s.continuousSince {
            // A new result every 1/DR s; the register holds the last one in between.
            let index = Int(((t - since) * rate(s.registers[1])).rounded(.down))
            if index >= 1 && index != s.lastContinuousConversion {
                convert(&s, at: t)
                s.lastContinuousConversion = index
            }
        }
    }

    public func receive(_ bytes: [UInt8], atSeconds t: Double) {
        state.withLock { s in
            update(&s, at: t)
            guard let first = bytes.first else { return }
            s.pointer = Int(first & 3)
            s.readIndex = 0
            guard bytes.count >= 3 else { return }
            let value = UInt16(bytes[1]) << 8 | UInt16(bytes[2])
            switch s.pointer {
            case 0: break  // conversion register is read-only
            case 1:
                let singleShot = value & ADS1115Register.modeSingleShot != 0
                s.registers[1] = value & ~ADS1115Register.osBit | (s.registers[1] & ADS1115Register.osBit)
                if singleShot {
                    s.continuousSince = nil
                    if value & ADS1115Register.osBit != 0 && s.singleShotEnds == nil {
                        s.singleShotEnds = t + 1 / rate(value)
                        s.registers[1] &= ~ADS1115Register.osBit  // busy
                    }
                } else {
                    s.continuousSince = t
                    s.lastContinuousConversion = -1
                    s.registers[1] &= ~ADS1115Register.osBit  // OS reads 0 while converting continuously
                }
            default:
                s.registers[s.pointer] = value
            }
        }
    }

    public func transmit(count: Int, atSeconds t: Double) -> [UInt8] {
        state.withLock { s in
            update(&s, at: t)
            let v = s.registers[s.pointer]
            return (0..<count).map { i in i % 2 == 0 ? UInt8(v >> 8) : UInt8(v & 0xFF) }
        }
    }
}
