import Foundation
import TOMLKit

/// The agent's configuration, read from TOML (see board/cellpress.example.toml).
///
/// One board can run several rigs; each rig is one cell with its own force sensor,
/// instrument, protocol and GPIO lines. Everything is validated on load: unknown keys,
/// wrong types and out-of-range values are all reported together, by key path.
public struct AgentConfig: Sendable, Equatable {
    public struct Database: Sendable, Equatable {
        public var path: String
        public var synchronous: String = "full"
        public var retentionDays: Double = 30
        public var commitIntervalSeconds: Double = 1
        /// Cap on the database file (SQLite max_page_count): a full card must not take the
        /// system down with it. nil: no cap.
        public var maxSizeMegabytes: Double?
    }

    public struct CellSection: Sendable, Equatable {
        public var name: String
        public var diameterMillimetres: Double
        public var electrolyte: String = ""
    }

    public struct Sensor: Sendable, Equatable {
        public static let chips = ["nau7802", "ads1115", "fma", "fx29", "simulated"]
        public var chip: String
        public var bus: Int = 1
        public var address: Int?
        public var rateHertz: Double = 10
        public var id: String
        public var countsPerNewton: Double?
        public var zeroCounts: Double?
    }

    public struct GPIOLine: Sendable, Equatable {
        public static let roles = ["scan_trigger", "interlock", "relay", "drdy", "door", "alarm"]
        public var role: String
        public var chip: String
        public var offset: Int?
        public var lineName: String?
        public var activeLow: Bool = false
    }

    public struct Instrument: Sendable, Equatable {
        public static let kinds = ["keithley2450", "keithley2400", "methodscript", "simulated"]
        public var kind: String
        public var transport: String = "tcp"
        public var host: String?
        public var port: Int?
        public var device: String?
        public var baud: Int = 115_200
        public var voltageLimitVolts: Double = 4.5
        /// Seconds between electrochemical samples.
        public var sampleIntervalSeconds: Double = 10
    }

    public struct Rig: Sendable, Equatable {
        public var name: String
        public var cell: CellSection
        public var sensor: Sensor?
        public var instrument: Instrument?
        public var protocolFile: String?
        public var gpio: [GPIOLine] = []
        public var pressureWindowMegapascals: ClosedRange<Double>?
    }

    public var database: Database
    public var rigs: [Rig]
    public var onAlarmCommand: String?

    /// Where the file came from (for messages).
    public var sourcePath: String = ""
}

/// A configuration that could not be used: every problem found, with the file's name.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var problems: [ConfigProblem]
    public var description: String {
        if problems.count == 1 { return "\(path): \(problems[0])" }
        return "\(path): \(problems.count) problems:\n" + problems.map { "  \(path): \($0)" }.joined(separator: "\n")
    }
}

extension AgentConfig {
    /// Reads and validates a configuration file.
    public static func load(path: String) throws -> AgentConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(path: path, problems: [ConfigProblem(keyPath: "", message: "cannot read file (\((error as NSError).localizedDescription))")])
        }
        return try parse(text, path: path)
    }

    /// Parses and validates configuration text; `path` is used in messages and to resolve
    /// relative paths (protocol files) against the file's directory.
    public static func parse(_ text: String, path: String = "<config>") throws -> AgentConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(path: path, problems: [ConfigProblem(keyPath: "", message: error.description,
                                                                   line: error.source.begin.line, column: error.source.begin.column)])
        }
        let problems = ProblemList()
        let top = TOMLFieldReader(root, path: "", problems: problems)

        var database = Database(path: "cellpress.sqlite")
        if let db = top.table("database", required: true) {
            database.path = db.string("path", required: true) ?? database.path
            database.synchronous = db.string("synchronous", oneOf: ["full", "normal"]) ?? "full"
            database.retentionDays = db.double("retention_days", range: 0.01...36_500, unit: " d") ?? 30
            database.commitIntervalSeconds = db.double("commit_interval_s", range: 0.05...60, unit: " s") ?? 1
            database.maxSizeMegabytes = db.double("max_size_mb", range: 0.05...1_000_000, unit: " MB")
            db.rejectUnknownKeys()
        }

        var onAlarm: String?
        if let alarms = top.table("alarms") {
            onAlarm = alarms.string("on_alarm")
            alarms.rejectUnknownKeys()
        }

        let rigReaders = top.arrayOfTables("rig")
        if rigReaders.isEmpty { problems.add("rig", "missing: at least one [[rig]] is needed") }
        var rigs: [Rig] = []
        for rig in rigReaders {
            if let parsed = parseRig(rig, configPath: path) { rigs.append(parsed) }
        }
        let names = rigs.map(\.name)
        for name in Set(names) where names.filter({ $0 == name }).count > 1 {
            problems.add("rig", "rig name \"\(name)\" is used more than once")
        }
        top.rejectUnknownKeys()

        if !problems.problems.isEmpty { throw ConfigError(path: path, problems: problems.problems) }
        return AgentConfig(database: database, rigs: rigs, onAlarmCommand: onAlarm, sourcePath: path)
    }

    private static func parseRig(_ rig: TOMLFieldReader, configPath: String) -> Rig? {
        let name = rig.string("name", required: true)
        var cell: CellSection?
        if let c = rig.table("cell", required: true) {
            let cellName = c.string("name", required: true)
            let diameter = c.double("diameter_mm", required: true, range: 0.1...100, unit: " mm")
            let electrolyte = c.string("electrolyte") ?? ""
            c.rejectUnknownKeys()
            if let cellName, let diameter { cell = CellSection(name: cellName, diameterMillimetres: diameter, electrolyte: electrolyte) }
        }
        var sensor: Sensor?
        if let s = rig.table("sensor") {
            let chip = s.string("chip", required: true, oneOf: Sensor.chips)
            let bus = s.int("bus", range: 0...255) ?? 1
            let address = s.int("address", range: 0x03...0x77)
            let rate = s.double("rate_hz", range: 0.01...3300, unit: " Hz") ?? 10
            let id = s.string("id")
            var countsPerNewton: Double?, zero: Double?
            if let cal = s.table("calibration") {
                countsPerNewton = cal.double("counts_per_newton", required: true)
                if countsPerNewton == 0 { cal.problems.add("\(cal.path).counts_per_newton", "must not be zero"); countsPerNewton = nil }
                zero = cal.double("zero_counts") ?? 0
                cal.rejectUnknownKeys()
            }
            s.rejectUnknownKeys()
            if let chip {
                sensor = Sensor(chip: chip, bus: bus, address: address, rateHertz: rate,
                                id: id ?? "\(chip)@\(bus):0x\(String(address ?? 0, radix: 16))",
                                countsPerNewton: countsPerNewton, zeroCounts: zero)
            }
        }
        var instrument: Instrument?
        if let i = rig.table("instrument") {
            let kind = i.string("kind", required: true, oneOf: Instrument.kinds)
            let transport = i.string("transport", oneOf: ["tcp", "serial"]) ?? "tcp"
            let host = i.string("host"), port = i.int("port", range: 1...65535)
            let device = i.string("device"), baud = i.int("baud", range: 300...4_000_000) ?? 115_200
            let limit = i.double("voltage_limit_v", range: 0.01...210, unit: " V") ?? 4.5
            let interval = i.double("sample_interval_s", range: 0.01...3600, unit: " s") ?? 10
            i.rejectUnknownKeys()
            if kind != nil && kind != "simulated" {
                if transport == "tcp" && host == nil { i.problems.add("\(i.path).host", "missing: a tcp instrument needs host (and port)") }
                if transport == "serial" && device == nil { i.problems.add("\(i.path).device", "missing: a serial instrument needs device") }
            }
            if let kind {
                instrument = Instrument(kind: kind, transport: transport, host: host, port: port, device: device, baud: baud,
                                        voltageLimitVolts: limit, sampleIntervalSeconds: interval)
            }
        }
        var protocolFile = rig.string("protocol")
        if let file = protocolFile, !file.hasPrefix("/") {
            let dir = (configPath as NSString).deletingLastPathComponent
            if !dir.isEmpty { protocolFile = dir + "/" + file }
        }
        var window: ClosedRange<Double>?
        if let w = rig.table("pressure_window") {
            let low = w.double("min_mpa", required: true, range: 0...1000, unit: " MPa")
            let high = w.double("max_mpa", required: true, range: 0...1000, unit: " MPa")
            w.rejectUnknownKeys()
            if let low, let high {
                if low < high { window = low...high } else { w.problems.add("\(w.path)", "min_mpa (\(low)) must be below max_mpa (\(high))") }
            }
        }
        var lines: [GPIOLine] = []
        for g in rig.arrayOfTables("gpio") {
            let role = g.string("role", required: true, oneOf: GPIOLine.roles)
            let chip = g.string("chip") ?? "gpiochip0"
            let offset = g.int("offset", range: 0...1023)
            let lineName = g.string("line_name")
            let activeLow = g.bool("active_low") ?? false
            if offset == nil && lineName == nil { g.problems.add(g.path, "needs offset or line_name") }
            g.rejectUnknownKeys()
            if let role { lines.append(GPIOLine(role: role, chip: chip, offset: offset, lineName: lineName, activeLow: activeLow)) }
        }
        rig.rejectUnknownKeys()
        guard let name, let cell else { return nil }
        return Rig(name: name, cell: cell, sensor: sensor, instrument: instrument, protocolFile: protocolFile,
                   gpio: lines, pressureWindowMegapascals: window)
    }
}
