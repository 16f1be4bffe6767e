import GRDB

/// One electrochemical sample: what the potentiostat measured at one instant.
public struct EchemSample: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "echem_sample"
    public var runId: Int64
    public var unixTimeSeconds: Double
    public var runTimeSeconds: Double
    public var voltageVolts: Double
    public var currentAmps: Double
    public var chargeCoulombs: Double
    public var stepIndex: Int
    public var cycle: Int

    enum CodingKeys: String, CodingKey {
        case runId = "run_id"
        case unixTimeSeconds = "unix_time_s"
        case runTimeSeconds = "run_time_s"
        case voltageVolts = "voltage_v"
        case currentAmps = "current_a"
        case chargeCoulombs = "charge_c"
        case stepIndex = "step_index"
        case cycle
    }

    public init(runId: Int64, unixTimeSeconds: Double, runTimeSeconds: Double, voltageVolts: Double,
                currentAmps: Double, chargeCoulombs: Double, stepIndex: Int, cycle: Int) {
        self.runId = runId
        self.unixTimeSeconds = unixTimeSeconds
        self.runTimeSeconds = runTimeSeconds
        self.voltageVolts = voltageVolts
        self.currentAmps = currentAmps
        self.chargeCoulombs = chargeCoulombs
        self.stepIndex = stepIndex
        self.cycle = cycle
    }
}

/// One force sample from the stack-pressure sensor, raw and converted.
/// Recorded against the cell (also before and between runs: assembly, relaxation) and,
/// while one is active, the run.
public struct ForceSample: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "force_sample"
    public var cellId: Int64
    public var runId: Int64?
    public var sensorId: String
    public var unixTimeSeconds: Double
    /// CLOCK_MONOTONIC seconds of the board: orders samples even when the wall clock steps.
    public var monotonicSeconds: Double
    public var rawCounts: Int64?
    public var forceNewtons: Double
    public var pressureMegapascals: Double
    public var temperatureCelsius: Double?

    enum CodingKeys: String, CodingKey {
        case cellId = "cell_id"
        case runId = "run_id"
        case sensorId = "sensor_id"
        case unixTimeSeconds = "unix_time_s"
        case monotonicSeconds = "monotonic_s"
        case rawCounts = "raw_counts"
        case forceNewtons = "force_n"
        case pressureMegapascals = "pressure_mpa"
        case temperatureCelsius = "temperature_c"
    }

    public init(cellId: Int64, runId: Int64?, sensorId: String, unixTimeSeconds: Double,
                monotonicSeconds: Double, rawCounts: Int64?, forceNewtons: Double,
                pressureMegapascals: Double, temperatureCelsius: Double?) {
        self.cellId = cellId
        self.runId = runId
        self.sensorId = sensorId
        self.unixTimeSeconds = unixTimeSeconds
        self.monotonicSeconds = monotonicSeconds
        self.rawCounts = rawCounts
        self.forceNewtons = forceNewtons
        self.pressureMegapascals = pressureMegapascals
        self.temperatureCelsius = temperatureCelsius
    }
}
