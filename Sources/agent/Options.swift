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

/// An I2C address as written by people: `0x2a`, `0X2A` or `42`; nil outside 0x03…0x77.
func parseI2CAddress(_ text: String) -> Int? {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    let value = trimmed.hasPrefix("0x") ? Int(trimmed.dropFirst(2), radix: 16) : Int(trimmed)
    guard let value, (0x03...0x77).contains(value) else { return nil }
    return value
}
