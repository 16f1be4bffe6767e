import XCTest
@testable import AgentKit

final class ConfigTests: XCTestCase {
    private var exampleConfigPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("board/cellpress.example.toml").path
    }

    func testTheShippedExampleConfigIsValid() throws {
        let config = try AgentConfig.load(path: exampleConfigPath)
        XCTAssertEqual(config.rigs.count, 1)
        let rig = config.rigs[0]
        XCTAssertEqual(rig.cell.diameterMillimetres, 2)
        XCTAssertEqual(rig.sensor?.address, 0x2a)
        XCTAssertEqual(rig.sensor?.chip, "nau7802")
        XCTAssertEqual(rig.instrument?.port, 5025)
        XCTAssertEqual(rig.pressureWindowMegapascals, 5...40)
        XCTAssertEqual(rig.gpio.map(\.role), ["scan_trigger", "interlock"])
        XCTAssertTrue(rig.protocolFile?.hasSuffix("board/paper-1mA.toml") ?? false, "relative to the config file")
        XCTAssertEqual(config.database.synchronous, "full")
    }

    func testEveryProblemIsReportedInOneRunWithItsKeyPath() {
        let text = """
            [database]
            path = "x.sqlite"
            synchronus = "full"

            [[rig]]
            name = "a"
            [rig.cell]
            name = "C"
            diameter_mm = "two"
            [rig.sensor]
            chip = "hx711"
            address = 0x90
            rate_hz = 10
            """
        XCTAssertThrowsError(try AgentConfig.parse(text, path: "bad.toml")) { error in
            guard let config = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(config.path, "bad.toml")
            let byPath = Dictionary(grouping: config.problems, by: \.keyPath)
            XCTAssertEqual(byPath["database.synchronus"]?.first?.message, "unknown key")
            XCTAssertEqual(byPath["rig[0].cell.diameter_mm"]?.first?.message, "expected a number, found string")
            XCTAssertTrue(byPath["rig[0].sensor.chip"]?.first?.message.contains("\"hx711\" is not one of") ?? false)
            XCTAssertTrue(byPath["rig[0].sensor.address"]?.first?.message.contains("144 is out of range 3…119") ?? false)
            XCTAssertEqual(config.problems.count, 4, "\(config.problems)")
            XCTAssertTrue(config.description.hasPrefix("bad.toml: 4 problems"))
        }
    }

    func testASyntaxErrorGivesLineAndColumn() {
        XCTAssertThrowsError(try AgentConfig.parse("[database]\npath = \"x\"\nretention_days = = 3\n", path: "s.toml")) { error in
            guard let config = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(config.problems.first?.line, 3)
            XCTAssertNotNil(config.problems.first?.column)
            XCTAssertTrue(config.description.hasPrefix("s.toml: line 3, column"), config.description)
        }
    }

    func testMissingSectionsAreNamed() {
        XCTAssertThrowsError(try AgentConfig.parse("", path: "e.toml")) { error in
            let paths = (error as? ConfigError)?.problems.map(\.keyPath) ?? []
            XCTAssertEqual(Set(paths), ["database", "rig"])
        }
    }

    func testAnInvertedPressureWindowAndAnInstrumentWithoutAddressAreErrors() {
        let text = """
            [database]
            path = "x.sqlite"
            [[rig]]
            name = "a"
            [rig.cell]
            name = "C"
            diameter_mm = 2
            [rig.instrument]
            kind = "keithley2450"
            [rig.pressure_window]
            min_mpa = 20
            max_mpa = 10
            """
        XCTAssertThrowsError(try AgentConfig.parse(text)) { error in
            let paths = (error as? ConfigError)?.problems.map(\.keyPath) ?? []
            XCTAssertEqual(Set(paths), ["rig[0].instrument.host", "rig[0].pressure_window"])
        }
    }

    func testTwoRigsNeedDistinctNames() {
        let rig = "[[rig]]\nname = \"same\"\n[rig.cell]\nname = \"C\"\ndiameter_mm = 2\n"
        XCTAssertThrowsError(try AgentConfig.parse("[database]\npath = \"x\"\n" + rig + rig)) { error in
            XCTAssertEqual((error as? ConfigError)?.problems.map(\.message), ["rig name \"same\" is used more than once"])
        }
    }
}
