import AgentKit
import ArgumentParser
import Analysis
import Foundation
import Store

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import instrument files or tomography scans into a run.",
        subcommands: [MPT.self, ScanImport.self])

    struct MPT: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mpt",
            abstract: "Import a BioLogic EC-Lab .mpt text export (into --run N, or a new run of --cell).")

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The .mpt file.") var file: String
        @Option(name: .customLong("run"), help: "Append to this run.") var runId: Int64?
        @Option(help: "Create a new run for this cell (created if new).") var cell: String?
        @Option(name: .customLong("diameter-mm"), help: "Cell diameter for a new cell, mm.") var diameterMillimetres: Double = 2
        @Option(name: .customLong("utc-offset-hours"), help: "Zone of the file's acquisition start (default: this machine's).")
        var utcOffsetHours: Double?

        func validate() throws {
            if (runId == nil) == (cell == nil) { throw ValidationError("give exactly one of --run N or --cell NAME") }
            if let h = utcOffsetHours, !(-14...14).contains(h) { throw ValidationError("--utc-offset-hours must be within ±14") }
        }

        func run() throws {
            try reportingFailures {
                let db = try AppDatabase.openForWriting(path: database.db, durability: .normal)
                let result = try ECLabImport.run(database: db, path: file, intoRunId: runId, cellName: cell,
                                                 diameterMillimetres: diameterMillimetres,
                                                 utcOffsetSeconds: utcOffsetHours.map { Int($0 * 3600) })
                print("imported \(result.samples) samples from \(file) into run \(result.runId)"
                      + (result.skippedWithoutVoltage > 0 ? " (\(result.skippedWithoutVoltage) rows without a voltage skipped)" : "")
                      + "; start time from the \(result.startSource)")
            }
        }
    }
}

extension ImportCommand {
    struct ScanImport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan",
            abstract: "Segment a tomography volume and store it with a run, at the time it was taken.")

        @OptionGroup var database: DatabaseOption
        @Argument(help: "Volume: TIFF stack (file or folder) or raw file (give --size).") var path: String
        @Option(name: .customLong("run"), help: "Run the scan belongs to.") var runId: Int64
        @Option(help: "Scan start: Unix seconds or ISO 8601 (e.g. 2026-11-27T10:15:00Z).") var time: String
        @Option(name: .customLong("duration-s"), help: "Scan duration (2-BM: about 7 min).") var durationSeconds: Double = 420
        @Option(help: "Size X,Y,Z in voxels (raw volumes).") var size: String?
        @Option(help: "float32, uint16 or uint8.") var dtype: String = "float32"
        @Option(name: .customLong("voxel-um")) var voxelMicrometres: Double = 1.7
        @Option(name: .customLong("void-max")) var voidMax: Float?
        @Option(name: .customLong("lithium-max")) var lithiumMax: Float?
        @Option(name: .customLong("interphase-min")) var interphaseMin: Float?
        @Option(help: "Worker threads.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard ScanTime.parse(time) != nil else { throw ValidationError("--time \(time): expected Unix seconds or ISO 8601") }
            guard VoxelDataType(rawValue: dtype) != nil else { throw ValidationError("--dtype must be float32, uint16 or uint8") }
            if let size { guard VolumeAnalysis.parseSize(size) != nil else { throw ValidationError("--size must be X,Y,Z") } }
            let given = [voidMax, lithiumMax, interphaseMin].compactMap { $0 }.count
            guard given == 0 || given == 3 else { throw ValidationError("give all three thresholds, or none for automatic ones") }
            guard durationSeconds > 0 else { throw ValidationError("--duration-s must be positive") }
        }

        func run() throws {
            try reportingFailures {
                let db = try AppDatabase.openForWriting(path: database.db)
                guard try db.run(id: runId) != nil else { throw StoreError.notFound(what: "run \(runId) in \(database.db)") }
                let thresholds = voidMax.map { SegmentationThresholds(voidMax: $0, lithiumMax: lithiumMax!, interphaseMin: interphaseMin!) }
                let outcome = try VolumeAnalysis.analyze(.init(path: path, size: size.flatMap(VolumeAnalysis.parseSize),
                                                              dataType: VoxelDataType(rawValue: dtype)!, voxelMicrometres: voxelMicrometres,
                                                              thresholds: thresholds, threads: threads))
                let start = ScanTime.parse(time)!
                let (scan, _) = try ScanStorage.store(outcome.result, runId: runId, startedUnixTimeSeconds: start,
                                                      endedUnixTimeSeconds: start + durationSeconds,
                                                      path: URL(fileURLWithPath: path).standardizedFileURL.path, database: db)
                print("stored scan \(scan.id!) of run \(runId)\n" + VolumeAnalysis.text(outcome))
            }
        }
    }
}

/// Scan times as people and beamline logs write them.
enum ScanTime {
    static func parse(_ text: String) -> Double? {
        if let seconds = Double(text), seconds.isFinite { return seconds }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        }
        return nil
    }
}
