import AgentKit
import ArgumentParser
import Store

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List events (GPIO edges, steps, limits, alarms, notes), oldest first.")

    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("run"), help: "Only this run's events.") var runId: Int64?
    @Option(help: "Only these kinds, comma-separated (e.g. alarm,limit).") var kinds: String?
    @Option(help: "Show at most the last N.") var last: Int = 200

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openReadOnly(path: database.db)
            let events = try db.events(runId: runId, kinds: kinds.map { $0.split(separator: ",").map(String.init) })
            print(EventListing.text(events.suffix(last)))
        }
    }
}

struct AlarmsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alarms",
        abstract: "List alarms and limit hits, oldest first.")

    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("run"), help: "Only this run's alarms.") var runId: Int64?

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openReadOnly(path: database.db)
            let events = try db.events(runId: runId, kinds: [Event.Kind.alarm, Event.Kind.limit])
            print(events.isEmpty ? "no alarms" : EventListing.text(events[...]))
        }
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a consistent snapshot of the database (safe while the agent writes).")

    @OptionGroup var database: DatabaseOption
    @Option(help: "Destination file (must not exist).") var out: String

    func run() throws {
        try reportingFailures {
            let db = try AppDatabase.openReadOnly(path: database.db)
            try db.backup(to: out)
            print("backed up \(database.db) to \(out)")
        }
    }
}
