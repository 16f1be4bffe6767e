import Foundation
import XCTest

/// Runs the built `cellpress` executable as a child process, the way a user would.
struct CommandLineRunner {
    struct Output { var status: Int32; var stdout: String; var stderr: String }

    /// The `cellpress` binary beside the test bundle in the build products folder.
    static var executable: String {
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // The XCTest binary may sit inside a .xctest bundle folder.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("cellpress").path), dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("cellpress").path
    }

    static func run(_ arguments: [String], currentDirectory: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting so a chatty child cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh directory, removed when the test ends.
final class ScratchDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "cellpress-agent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

extension CommandLineRunner {
    /// Starts the binary in the background (a daemon, an emulator): stdout piped, stderr dropped.
    static func start(_ arguments: [String]) throws -> (process: Process, stdout: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    /// Starts `cellpress emulate smu --port 0 …` and returns the process and the port it bound,
    /// read from its first line.
    static func startEmulator(extraArguments: [String] = []) throws -> (process: Process, port: UInt16) {
        let (process, out) = try start(["emulate", "smu", "--port", "0"] + extraArguments)
        var banner = ""
        while !banner.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            banner += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = banner.firstMatch(of: /127\.0\.0\.1:(\d+)/).flatMap({ UInt16($0.1) }) else {
            process.terminate()
            throw EmulatorStartFailure(banner: banner)
        }
        return (process, port)
    }
}

struct EmulatorStartFailure: Error, CustomStringConvertible {
    var banner: String
    var description: String { "the emulator printed no port: \(banner)" }
}
