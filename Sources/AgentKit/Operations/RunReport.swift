import Analysis
import Foundation
import Store

/// `cellpress report`: the run's correlation as one self-contained HTML file.
public enum RunReport {
    @discardableResult
    public static func write(database: AppDatabase, runId: Int64, to path: String, clockOffsetSeconds: Double = 0) throws -> CorrelationSummary {
        let input = try RunCorrelation.input(database: database, runId: runId, clockOffsetSeconds: clockOffsetSeconds)
        let summary = Correlator.summarize(input)
        let html = HTMLReport.render(input: input, summary: summary, title: "cellpress — run \(runId)",
                                     generatedAt: StatusReport.iso(Date().timeIntervalSince1970))
        do {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw StoreError.writeFailed(path: path, reason: (error as NSError).localizedDescription)
        }
        return summary
    }
}
