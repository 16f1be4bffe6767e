import Foundation
import XCTest

/// What goes onto the board: install script, systemd unit, udev rules.
final class BoardFilesTests: XCTestCase {
    private var board: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("board").path
    }

    private func shell(_ command: String, environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testInstallIsIdempotentAndKeepsTheOperatorsConfig() throws {
        let dir = try ScratchDirectory()
        let root = dir.file("root")
        let install = "\(board)/install.sh \(CommandLineRunner.executable)"
        var (status, output) = try shell(install, environment: ["ROOT": root])
        XCTAssertEqual(status, 0, output)
        for file in ["usr/local/bin/cellpress", "etc/systemd/system/cellpress.service", "etc/udev/rules.d/60-cellpress.rules",
                     "etc/cellpress/cellpress.toml", "usr/share/doc/cellpress/README.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(root)/\(file)"), "missing \(file)")
        }
        let config = "\(root)/etc/cellpress/cellpress.toml"
        try "# edited by the operator\n".write(toFile: config, atomically: true, encoding: .utf8)
        (status, output) = try shell(install, environment: ["ROOT": root])
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(try String(contentsOfFile: config, encoding: .utf8), "# edited by the operator\n")
        (status, output) = try shell("\(board)/install.sh /nonexistent/cellpress", environment: ["ROOT": root])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(output.contains("no cellpress binary at /nonexistent/cellpress"), output)
    }

    func testTheInstalledUnitPassesSystemdAnalyzeVerify() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else {
            return XCTFail("systemd-analyze is missing: setup.sh installs systemd")
        }
        let dir = try ScratchDirectory()
        let root = dir.file("root")
        XCTAssertEqual(try shell("\(board)/install.sh \(CommandLineRunner.executable)", environment: ["ROOT": root]).0, 0)
        // Verify the installed unit with ExecStart pointing at the installed copy.
        let unit = try String(contentsOfFile: "\(root)/etc/systemd/system/cellpress.service", encoding: .utf8)
            .replacingOccurrences(of: "ExecStart=/usr/local/bin/cellpress", with: "ExecStart=\(root)/usr/local/bin/cellpress")
        try unit.write(toFile: dir.file("cellpress.service"), atomically: true, encoding: .utf8)
        let (status, output) = try shell("systemd-analyze verify --man=no \(dir.file("cellpress.service"))")
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "", "verify prints warnings: \(output)")
        // And it does catch a broken unit.
        try unit.replacingOccurrences(of: "WatchdogSec=10s", with: "WatchdogSec=soon").write(toFile: dir.file("cellpress.service"), atomically: true, encoding: .utf8)
        XCTAssertTrue(try shell("systemd-analyze verify --man=no \(dir.file("cellpress.service"))").1.contains("Failed to parse sec value"))
        for line in ["Type=notify", "User=cellpress", "WatchdogSec=", "Restart=on-failure", "ProtectSystem=strict",
                     "ReadWritePaths=/var/lib/cellpress", "NoNewPrivileges=yes", "DeviceAllow=char-i2c rw", "DeviceAllow=char-gpiochip rw"] {
            XCTAssertTrue(unit.contains(line), "unit lacks \(line)")
        }
    }

    func testUdevRulesAreWellFormedAndGrantTheRightGroups() throws {
        let text = try String(contentsOfFile: "\(board)/60-cellpress.rules", encoding: .utf8)
        let matchKeys: Set<String> = ["SUBSYSTEM", "KERNEL", "ATTRS", "ACTION", "DRIVERS"]
        let assignKeys: Set<String> = ["GROUP", "MODE", "SYMLINK", "OWNER", "TAG"]
        var groupsByKernel: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var kernel = "", group = ""
            for field in line.components(separatedBy: ", ") {
                let pattern = #"^([A-Z]+)(\{[A-Za-z_]+\})?(==|!=|\+=|=)"([^"]*)"$"#
                guard let match = field.range(of: pattern, options: .regularExpression), match == field.startIndex..<field.endIndex else {
                    XCTFail("line \(number + 1): malformed field \(field)"); continue
                }
                let key = String(field.prefix { $0.isUppercase })
                let isMatch = field.contains("==") || field.contains("!=")
                XCTAssertTrue(isMatch ? matchKeys.contains(key) : assignKeys.contains(key), "line \(number + 1): \(key) used as \(isMatch ? "match" : "assignment")")
                let value = field.split(separator: "\"")[1]
                if key == "KERNEL" { kernel = String(value) }
                if key == "GROUP" { group = String(value) }
                if key == "MODE" { XCTAssertEqual(value, "0660", "line \(number + 1)") }
            }
            if !kernel.isEmpty { groupsByKernel[kernel] = group }
        }
        XCTAssertEqual(groupsByKernel["i2c-[0-9]*"], "i2c")
        XCTAssertEqual(groupsByKernel["gpiochip[0-9]*"], "gpio")
        XCTAssertEqual(groupsByKernel["ttyUSB[0-9]*"], "dialout")
    }
}
