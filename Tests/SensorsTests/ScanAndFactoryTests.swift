import XCTest
import Foundation
@testable import Sensors

final class ScanTests: XCTestCase {
    func testScanNamesKnownPartsAndSaysCouldForAmbiguousOnes() {
        let bus = SimulatedI2CBus(supportsPlainI2C: false)
        bus.attach(SimulatedNAU7802(), at: 0x2A)
        bus.attach(SimulatedADS1115(), at: 0x49)
        bus.attach(SimulatedDigitalForceSensor(model: .fx29(rangeNewtons: 100)), at: 0x28)
        bus.attach(RegisterMapDevice(), at: 0x50)
        let results = scan(bus: bus)
        XCTAssertEqual(results.map(\.address), [0x28, 0x2A, 0x49, 0x50])
        XCTAssertEqual(results[0].candidates, ["fma", "fx29"])
        XCTAssertFalse(results[0].identified)
        XCTAssertTrue(results[0].note.contains("FMA or FX29 could answer"), results[0].note)
        XCTAssertEqual(results[1].candidates, ["nau7802"])
        XCTAssertTrue(results[1].identified)
        XCTAssertEqual(results[2].candidates, ["ads1115"])
        XCTAssertTrue(results[2].note.contains("could answer"))
        XCTAssertEqual(results[3].note, "unknown device")
        XCTAssertEqual(results[1].description.prefix(5), "0x2a:")
    }

    func testScanRejectsAnImpostorAtNAU7802AddressAndReportsNonAbsenceErrors() {
        let bus = SimulatedI2CBus()
        bus.attach(RegisterMapDevice(), at: 0x2A)
        bus.attach(RegisterMapDevice(), at: 0x10)
        bus.inject(.timeout, at: 0x10)
        let results = scan(bus: bus)
        XCTAssertEqual(results.map(\.address), [0x10, 0x2A])
        XCTAssertTrue(results[0].note.contains("timed out"), results[0].note)
        XCTAssertEqual(results[1].candidates, [])
        XCTAssertTrue(results[1].note.contains("not a NAU7802"))
    }
}

final class FactoryTests: XCTestCase {
    func testBadInputIsOneClearLine() {
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "no error" } catch { return String(describing: error) }
        }
        let unknown = message { try makeForceSensor(chip: "hx711", bus: 1, address: nil, simulate: false) }
        XCTAssertTrue(unknown.contains("unknown chip 'hx711'") && unknown.contains("nau7802, ads1115, fma, fx29"), unknown)
        XCTAssertTrue(message { try makeForceSensor(chip: "fma", bus: 1, address: 0x78, simulate: true) }.contains("0x03...0x77"))
        XCTAssertTrue(message { try makeForceSensor(chip: "fma", bus: 1, address: 0x02, simulate: true) }.contains("out of range"))
        XCTAssertTrue(message { try makeForceSensor(chip: "ads1115", bus: nil, address: 0x40, simulate: true) }
            .contains("0x48...0x4b"))
        XCTAssertTrue(message { try makeForceSensor(chip: "nau7802", bus: nil, address: nil, simulate: false) }
            .contains("no I2C bus"))
        let noBus = message { try makeForceSensor(chip: "nau7802", bus: 977, address: nil, simulate: false) }
        XCTAssertTrue(noBus.contains("/dev/i2c-977") && noBus.contains("no such I2C bus"), noBus)
        for m in [unknown, noBus] { XCTAssertFalse(m.contains("\n")) }
    }

    func testSimulatedSensorsReadTenMegapascalsOnTheCell() throws {
        let cell = CellGeometry(diameterMillimetres: 2)
        let zeroBalanceFree = BridgeModel(capacityNewtons: 50, sensitivityMillivoltsPerVolt: 2, zeroBalanceMillivoltsPerVolt: 0)
        for chip in ["NAU7802", "ads1115", "fma", "fx29"] {
            let options = ForceSensorOptions(bridge: zeroBalanceFree,
                                             nau7802: .init(gain: .x128, rate: .sps320),
                                             fmaPart: .init(rangeNewtons: 50))
            let sensor = try makeForceSensor(chip: chip, bus: nil, address: nil, simulate: true, options: options)
            try sensor.probe()
            if chip == "ads1115" { usleep(5000) }  // first continuous conversion
            let r = try sensor.read()
            // Tolerance: one count of the coarsest part (ADS1115 ±0.256 V: 50 N/844.8 counts ≈ 0.06 N).
            XCTAssertEqual(cell.pressureMegapascals(forceNewtons: r.forceNewtons), 10, accuracy: 0.03, chip)
        }
    }
}

/// EACCES: tests run as root, so a child process (the test binary itself, under
/// `setpriv --reuid=65534`) opens a root-only 0600 file through `LinuxI2CBus(path:)`.
final class PermissionDeniedTests: XCTestCase {
    static let childEnv = "CELLPRESS_EACCES_CHILD_PATH"
    static let marker = "EACCES-CHILD-RESULT: "

    func testOpenAsUnprivilegedUserNamesTheGroup() throws {
        if let path = ProcessInfo.processInfo.environment[Self.childEnv] {
            // Child role: report what LinuxI2CBus says.
            var line = Self.marker
            do {
                _ = try LinuxI2CBus(path: path)
                line += "opened"
            } catch let e as I2CError {
                line += "\(e.kind.rawValue)|\(e.errno)|\(e.description)"
            }
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
            return
        }
        var template = Array("/tmp/cellpress-eacces-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        XCTAssertGreaterThanOrEqual(fd, 0)
        close(fd)
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        chmod(path, 0o600)

        if geteuid() != 0 {
            // Not root (e.g. a CI runner): a mode-000 file of our own gives the same EACCES in-process.
            chmod(path, 0)
            XCTAssertThrowsError(try LinuxI2CBus(path: path)) {
                XCTAssertEqual(($0 as? I2CError)?.kind, .permissionDenied)
                XCTAssertTrue(String(describing: $0).contains("'i2c' group"))
            }
            return
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("/usr/bin/setpriv (util-linux) not found: cannot drop privileges in a child")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "--",
                             CommandLine.arguments[0], "SensorsTests.PermissionDeniedTests/testOpenAsUnprivilegedUserNamesTheGroup"]
        var env = ProcessInfo.processInfo.environment
        env[Self.childEnv] = path
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(Self.marker) }) else {
            throw XCTSkip("the unprivileged child could not run the test binary (exit \(process.terminationStatus)); is the build directory readable by uid 65534?")
        }
        let fields = line.dropFirst(Self.marker.count).split(separator: "|", maxSplits: 2).map(String.init)
        XCTAssertEqual(fields.first, "permissionDenied", String(line))
        XCTAssertEqual(fields.count > 1 ? fields[1] : "", String(EACCES))
        XCTAssertTrue(fields.last?.contains("'i2c' group") ?? false, String(line))
        XCTAssertTrue(fields.last?.contains(path) ?? false, String(line))
    }
}
