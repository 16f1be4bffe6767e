import AgentKit
import ArgumentParser
import Foundation

/// `--db PATH`, shared by every command that reads or writes the database.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "SQLite database file.")
    var db: String = "cellpress.sqlite"
}

/// Runs a command body; a known failure is printed as one line on stderr and ends the
/// process with a non-zero status (1), instead of a stack trace or a Swift error dump.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("cellpress: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// A subcommand whose capability is not built yet says so and exits 2.
func notBuiltYet(_ name: String) throws -> Never {
    FileHandle.standardError.write(Data("cellpress \(name): not built yet in this version\n".utf8))
    throw ExitCode(2)
}
