import AgentKit
import Analysis
import ArgumentParser
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the paper's experiment end to end on simulated parts.",
        discussion: """
            A simulated Li|Li10SnP2S12|Li cell behind a Keithley 2450 emulator on a loopback TCP
            port, a simulated NAU7802 force sensor on a simulated I2C bus, a simulated beamline
            scan trigger, and synthetic tomography scans every 15 simulated minutes — driven by
            the same engine, drivers, store and analysis as a real rig.
            """)

    @Option(help: "SQLite database (created or extended).") var db: String = "demo.sqlite"
    @Option(help: "HTML report to write.") var report: String = "demo.html"
    @Option(help: "Simulated hours at most (the run ends earlier at the voltage cut-off).") var hours: Double = 14
    @Option(name: .customLong("time-scale"), help: "Simulated seconds per wall second (default: the run takes about 40 s).")
    var timeScale: Double?
    @Option(name: .customLong("scan-size"), help: "Synthetic scan size X,Y,Z in voxels.") var scanSize: String = "200,200,400"
    @Flag(name: .customLong("no-progress"), help: "No progress bar on stderr.") var noProgress = false

    func validate() throws {
        guard hours > 0, hours <= 1000 else { throw ValidationError("--hours must be in (0, 1000]") }
        if let timeScale { guard timeScale >= 1 else { throw ValidationError("--time-scale must be ≥ 1") } }
        guard let size = VolumeAnalysis.parseSize(scanSize), size.z >= 64, size.x >= 8, size.y >= 8 else {
            throw ValidationError("--scan-size must be X,Y,Z with X, Y ≥ 8 and Z ≥ 64")
        }
    }

    func run() async throws {
        var options = PaperDemo.Options(databasePath: db, reportPath: report)
        options.simulatedHours = hours
        options.timeScale = timeScale
        options.scanGeometry = ScanGeometry(size: VolumeAnalysis.parseSize(scanSize)!)
        let showProgress = !noProgress && isatty(STDERR_FILENO) == 1
        do {
            let draw: @Sendable (PaperDemo.Progress) -> Void = { progress in ProgressBar.draw(progress) }
            let progress: (@Sendable (PaperDemo.Progress) -> Void)? = showProgress ? draw : nil
            let outcome = try await PaperDemo.run(options, progress: progress)
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            print(outcome.text)
        } catch {
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            FileHandle.standardError.write(Data("cellpress demo: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// One line on stderr, redrawn in place.
enum ProgressBar {
    static func draw(_ p: PaperDemo.Progress) {
        let width = 30
        let fraction = min(1, max(0, p.simulatedHours / p.totalHours))
        let filled = Int(fraction * Double(width))
        var line = "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        line += String(format: " %5.2f h", p.simulatedHours)
        if let v = p.voltageVolts { line += String(format: "  %+.3f V", v) }
        if let mpa = p.pressureMegapascals { line += String(format: "  %.2f MPa", mpa) }
        line += "  \(p.scans) scans\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
