import CellModel
import Foundation

/// Thread-safe simulated Li|LSPS|Li cell: the paper's model (`CellState`) advanced on an
/// accelerated clock, with Gaussian measurement noise. Used by the SMU emulator and by the
/// simulated force sensor (`stackForceNewtons`).
public final class SimulatedCell: @unchecked Sendable {
    private let lock = NSLock()
    private var state: CellState
    private var currentAmps: Double = 0
    private var lastAdvanceSeconds: Double
    private var random: SplitMix64
    /// Clock the cell's time runs on (share it with the engine in tests).
    public let clock: any EngineClock
    /// Standard deviation of voltage noise, V.
    public let voltageNoiseVolts: Double
    /// Standard deviation of force noise, N.
    public let forceNoiseNewtons: Double

    public init(parameters: CellParameters = CellParameters(), clock: any EngineClock = ScaledClock(),
                voltageNoiseVolts: Double = 2e-4, forceNoiseNewtons: Double = 0.02, seed: UInt64 = 1) {
        state = CellState(parameters: parameters)
        self.clock = clock
        self.voltageNoiseVolts = voltageNoiseVolts
        self.forceNoiseNewtons = forceNoiseNewtons
        random = SplitMix64(seed: seed)
        lastAdvanceSeconds = clock.nowSeconds()
    }

    /// Bring the state up to the clock's present with the current that was flowing. Lock held.
    private func advanceLocked() {
        let now = clock.nowSeconds()
        let dt = now - lastAdvanceSeconds
        if dt > 0 { state.step(currentAmps: currentAmps, durationSeconds: dt) }
        lastAdvanceSeconds = now
    }

    /// Source a current (A) from now on; 0 A = open circuit / high impedance.
    /// If the cell would exceed `voltageLimitVolts`, the source goes into compliance: the
    /// current is reduced until the voltage equals the limit, like an SMU. Returns the current
    /// actually flowing.
    @discardableResult
    public func sourceCurrent(amps: Double, voltageLimitVolts: Double = .infinity) -> Double {
        lock.lock(); defer { lock.unlock() }
        advanceLocked()
        currentAmps = Self.compliantCurrent(amps, limit: voltageLimitVolts, state: state)
        return currentAmps
    }

    static func compliantCurrent(_ amps: Double, limit: Double, state: CellState) -> Double {
        guard limit.isFinite, amps != 0 else { return amps }
        let v = (try? state.voltageVolts(currentAmps: amps)) ?? .infinity
        if abs(v) <= limit { return amps }
        // Voltage is monotonic in current: bisect on the scale factor.
        var low = 0.0, high = 1.0
        for _ in 0..<50 {
            let mid = 0.5 * (low + high)
            let vm = (try? state.voltageVolts(currentAmps: amps * mid)) ?? .infinity
            if abs(vm) <= limit { low = mid } else { high = mid }
        }
        return amps * low
    }

    /// The current flowing now, A.
    public var currentFlowingAmps: Double {
        lock.lock(); defer { lock.unlock() }
        return currentAmps
    }

    /// Cell voltage now (V) with noise, at the current flowing.
    public func measureVoltageVolts() -> Double {
        lock.lock(); defer { lock.unlock() }
        advanceLocked()
        let v = (try? state.voltageVolts(currentAmps: currentAmps)) ?? .nan
        return v + voltageNoiseVolts * random.nextGaussian()
    }

    /// Stack force on the cell (N) with noise, for the simulated force sensor.
    public func stackForceNewtons() -> Double {
        lock.lock(); defer { lock.unlock() }
        advanceLocked()
        return state.stackForceNewtons + forceNoiseNewtons * random.nextGaussian()
    }

    /// Stack pressure now, MPa (noise-free).
    public func stackPressureMegapascals() -> Double {
        lock.lock(); defer { lock.unlock() }
        advanceLocked()
        return state.stackPressureMegapascals
    }

    /// A copy of the model state now.
    public func snapshot() -> CellState {
        lock.lock(); defer { lock.unlock() }
        advanceLocked()
        return state
    }
}

/// Small deterministic PRNG (SplitMix64) so simulated runs are reproducible.
struct SplitMix64: Sendable {
    private var x: UInt64
    init(seed: UInt64) { x = seed }
    mutating func next() -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Box–Muller standard normal.
    mutating func nextGaussian() -> Double {
        let u1 = max(nextUniform(), 1e-300), u2 = nextUniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
