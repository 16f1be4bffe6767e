import Foundation
import Potentiostat
import Store

/// `cellpress import mpt`: a BioLogic EC-Lab text export into a run.
///
/// The file is parsed completely before anything is written, and its samples go in as one
/// transaction: a bad file stores nothing. EC-Lab writes the acquisition start as local wall
/// time without a zone; `utcOffsetSeconds` says which zone it was (default: this machine's).
public enum ECLabImport {
    public struct Result: Sendable {
        public var runId: Int64
        public var samples: Int
        public var skippedWithoutVoltage: Int
        public var startUnixTimeSeconds: Double
        public var startSource: String
    }

    public static func run(database: AppDatabase, path: String, intoRunId: Int64?, cellName: String?,
                           diameterMillimetres: Double, utcOffsetSeconds: Int? = nil) throws -> Result {
        let data = try ECLabMPTFile.read(path: path)
        let (start, source) = try startTime(of: data, path: path, utcOffsetSeconds: utcOffsetSeconds)
        let run: Run
        if let intoRunId {
            guard let existing = try database.run(id: intoRunId) else { throw StoreError.notFound(what: "run \(intoRunId) in \(database.path)") }
            run = existing
        } else {
            guard let cellName else { throw StoreError.notFound(what: "a target: give --run N or --cell NAME") }
            let cell = try database.findOrCreateCell(named: cellName, diameterMillimetres: diameterMillimetres)
            var new = Run(cellId: cell.id!, protocolText: data.header.lines.joined(separator: "\n"),
                          configSnapshot: "imported from \(path)", startedUnixTimeSeconds: start, status: .imported)
            new.endedUnixTimeSeconds = start + (data.samples.last?.timeSeconds ?? 0)
            new.endReason = "EC-Lab export \((path as NSString).lastPathComponent)\(data.header.technique.map { ", technique \($0)" } ?? "")"
            run = try database.startRun(new)
        }
        let writer = SampleWriter(database: database, options: .init(maxBatchRows: .max))
        var stored = 0, skipped = 0
        for sample in data.samples {
            guard let voltage = sample.voltageVolts else { skipped += 1; continue }
            writer.append(EchemSample(runId: run.id!, unixTimeSeconds: start + sample.timeSeconds, runTimeSeconds: sample.timeSeconds,
                                      voltageVolts: voltage, currentAmps: sample.currentAmps ?? 0,
                                      chargeCoulombs: sample.chargeCoulombs ?? 0, stepIndex: sample.sequenceIndex ?? 0,
                                      cycle: sample.cycle ?? 0))
            stored += 1
        }
        try writer.flush()
        return Result(runId: run.id!, samples: stored, skippedWithoutVoltage: skipped, startUnixTimeSeconds: start, startSource: source)
    }

    /// The acquisition start from the header, else the file's modification time minus the
    /// last sample's time (EC-Lab writes the export when the acquisition ends).
    static func startTime(of data: ECLabMPTData, path: String, utcOffsetSeconds: Int?) throws -> (Double, String) {
        if let wall = data.header.acquisitionStart {
            var components = DateComponents()
            (components.year, components.month, components.day) = (wall.year, wall.month, wall.day)
            (components.hour, components.minute, components.second) = (wall.hour, wall.minute, wall.second)
            components.nanosecond = wall.nanosecond
            var calendar = Calendar(identifier: .gregorian)
            let zone = utcOffsetSeconds.flatMap { TimeZone(secondsFromGMT: $0) } ?? TimeZone.current
            calendar.timeZone = zone
            if let date = calendar.date(from: components) {
                return (date.timeIntervalSince1970, "header \"Acquisition started on\" in \(zone.identifier)")
            }
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? Date().timeIntervalSince1970
        return (modified - (data.samples.last?.timeSeconds ?? 0), "file modification time minus the last sample's time (no acquisition start in the header)")
    }
}
