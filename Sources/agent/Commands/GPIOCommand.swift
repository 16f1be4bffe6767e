import ArgumentParser
import Foundation
import Sensors

struct GPIOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpio",
        abstract: "Watch, set and read GPIO lines (libgpiod character device).",
        subcommands: [GPIOWatchCommand.self, GPIOSetCommand.self, GPIOGetCommand.self])
}

/// Which line, shared by the gpio subcommands.
struct GPIOLineOptions: ParsableArguments {
    @Option(help: "Chip: gpiochip0, /dev/gpiochip0, its label or number (needed with a numeric --line).") var chip: String?
    @Option(help: "Line name (as gpioinfo shows it) or offset on --chip.") var line: String
    @Flag(help: "Use simulated lines: gpiochip0 line 0 \"sim-in\" (toggles every 20 ms), line 1 \"sim-out\".") var simulate = false

    func validate() throws {
        if UInt32(line) != nil, chip == nil { throw ValidationError("--line \(line) is an offset: give --chip too") }
        if line.isEmpty { throw ValidationError("--line must not be empty") }
    }

    /// A name is looked up on every chip (libgpiod's gpiod_chip_find_line); an offset on --chip.
    var spec: GPIOLineSpec {
        if let offset = UInt32(line), let chip { return .offset(chip: chip, offset: offset) }
        return .name(line)
    }

    func lines() -> any GPIOLines {
        guard simulate else { return LinuxGPIO() }
        let sim = SimulatedGPIO()
        sim.addLine(chip: "gpiochip0", offset: 0, name: "sim-in")
        sim.addLine(chip: "gpiochip0", offset: 1, name: "sim-out")
        // A square wave on sim-in, starting with a rising edge, so `watch --simulate` has edges.
        Thread.detachNewThread {
            var level = false
            while true {
                Thread.sleep(forTimeInterval: 0.02)
                level.toggle()
                sim.drive(.name("sim-in"), to: level)
            }
        }
        return sim
    }
}

/// Too few edges before the deadline.
struct GPIOWatchTimeout: Error, CustomStringConvertible {
    var line: String
    var seen: Int
    var wanted: Int
    var timeoutSeconds: Double
    var description: String {
        "GPIO watch on \(line): \(seen) of \(wanted) edges within \(String(format: "%g", timeoutSeconds)) s"
    }
}

/// `cellpress gpio watch`: both-edge events with the kernel's CLOCK_MONOTONIC timestamps.
struct GPIOWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print rising and falling edges on an input line with the kernel's timestamps.",
        discussion: """
            Text lines read `N rising|falling SECONDS` (CLOCK_MONOTONIC, nanosecond digits). Once the
            line is requested, "watching ..." goes to stderr: edges from then on are caught.
            Fewer edges than --edges within --timeout is an error (exit 1).
            """)

    @OptionGroup var target: GPIOLineOptions
    @Option(help: "Edges to wait for.") var edges: Int = 1
    @Option(help: "Give up after this many seconds in all.") var timeout: Double = 10
    @Option(help: "Output format: text or json (one object per edge).") var format: OutputFormat = .text

    func validate() throws {
        guard (1...1_000_000).contains(edges) else { throw ValidationError("--edges must be 1…1000000, got \(edges)") }
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be 0…86400 s") }
    }

    func run() throws {
        try reportingFailures {
            let spec = target.spec
            let line = try target.lines().request(spec, mode: .bothEdges, consumer: "cellpress")
            defer { line.release() }
            FileHandle.standardError.write(Data("cellpress: watching \(spec) for \(edges) edge\(edges == 1 ? "" : "s"), timeout \(String(format: "%g", timeout)) s\n".utf8))
            let deadline = Date().addingTimeInterval(timeout)
            for index in 1...edges {
                let remaining = deadline.timeIntervalSinceNow
                guard remaining > 0, let event = try line.waitForEdge(timeoutSeconds: remaining) else {
                    throw GPIOWatchTimeout(line: spec.description, seen: index - 1, wanted: edges, timeoutSeconds: timeout)
                }
                switch format {
                case .text: writeStdoutLine(Self.textLine(index: index, event: event))
                case .json:
                    writeStdoutLine(try jsonLine(["index": index, "edge": event.edge.rawValue,
                                                  "timestamp_ns": event.timestampNanoseconds]))
                }
            }
        }
    }

    /// `2 falling 7.052805670`: seconds with all nine nanosecond digits, no rounding.
    static func textLine(index: Int, event: GPIOEdgeEvent) -> String {
        let ns = event.timestampNanoseconds
        return "\(index) \(event.edge.rawValue) \(ns / 1_000_000_000)." + String(format: "%09llu", ns % 1_000_000_000)
    }
}

/// `cellpress gpio set`: drive an output, read it back, optionally hold it.
struct GPIOSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Drive an output line (relay, LED), read it back, hold it for --hold-seconds.",
        discussion: """
            The line is released when the command ends; what a released line does then is the
            driver's business (most SoC GPIOs keep the level; gpio-sim falls back to its pull).
            """)

    @OptionGroup var target: GPIOLineOptions
    @Option(help: "0 or 1.") var value: Int
    @Option(name: .customLong("hold-seconds"), help: "Keep driving the line this long before releasing it.") var holdSeconds: Double = 0
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text

    func validate() throws {
        guard value == 0 || value == 1 else { throw ValidationError("--value must be 0 or 1, got \(value)") }
        guard holdSeconds.isFinite, holdSeconds >= 0, holdSeconds <= 86_400 else { throw ValidationError("--hold-seconds must be 0…86400") }
    }

    func run() throws {
        try reportingFailures {
            let spec = target.spec
            let line = try target.lines().request(spec, mode: .output(initialValue: value == 1), consumer: "cellpress")
            defer { line.release() }
            let readBack = try line.value() ? 1 : 0
            guard readBack == value else {
                throw GPIOError(kind: .io, errno: 0, line: spec.description, operation: "set \(value) (reads back \(readBack))")
            }
            switch format {
            case .text: writeStdoutLine("\(spec) = \(readBack)")
            case .json: writeStdoutLine(try jsonLine(["line": spec.description, "value": readBack]))
            }
            if holdSeconds > 0 { Thread.sleep(forTimeInterval: holdSeconds) }
        }
    }
}

/// `cellpress gpio get`: read an input line once.
struct GPIOGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Read an input line (door, interlock).")

    @OptionGroup var target: GPIOLineOptions
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text

    func run() throws {
        try reportingFailures {
            let spec = target.spec
            let line = try target.lines().request(spec, mode: .input, consumer: "cellpress")
            defer { line.release() }
            let value = try line.value() ? 1 : 0
            switch format {
            case .text: writeStdoutLine("\(spec) = \(value)")
            case .json: writeStdoutLine(try jsonLine(["line": spec.description, "value": value]))
            }
        }
    }
}
