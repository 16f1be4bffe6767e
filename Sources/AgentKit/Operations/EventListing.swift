import Foundation
import Store

/// One line per event: time, run, kind, message, value.
public enum EventListing {
    public static func text(_ events: ArraySlice<Event>) -> String {
        if events.isEmpty { return "no events" }
        return events.map { event in
            var line = "\(StatusReport.iso(event.unixTimeSeconds))  "
            line += event.runId.map { "run \($0)  " } ?? ""
            line += "\(event.kind): \(event.message)"
            if let value = event.value { line += " (\(value))" }
            return line
        }.joined(separator: "\n")
    }
}
