import Foundation
import XCTest

/// `cellpress sensor` and `cellpress gpio` against the simulated bus and lines, run as a
/// user would. The real-kernel paths (i2c-stub, gpio-sim) are board/hil/run.sh's job.
final class SensorCommandTests: XCTestCase {
    /// The reading lines of `sensor read` text output: (counts, volts?, force N).
    private func readings(_ stdout: String) -> [(counts: Double, volts: Double?, forceNewtons: Double)] {
        stdout.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard let c = words.firstIndex(of: "counts"), let f = words.firstIndex(of: "force"),
                  let counts = Double(words[c + 1]), let force = Double(words[f + 1]) else { return nil }
            let volts = words.firstIndex(of: "volts").flatMap { Double(words[$0 + 1]) }
            return (counts, volts, force)
        }
    }

    func testAReadAppliesTheGivenSpanAndZeroToEachReading() throws {
        let output = try CommandLineRunner.run(["sensor", "read", "--chip", "nau7802", "--simulate", "--count", "3",
                                                "--counts-per-newton", "4000", "--zero-counts=-1500"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("nau7802 on sim at 0x2a: calibration manual (4000 counts/N, zero at -1500 counts)"),
                      output.stdout)
        let rows = readings(output.stdout)
        XCTAssertEqual(rows.count, 3, output.stdout)
        for row in rows {
            XCTAssertGreaterThan(row.counts, 0)
            XCTAssertEqual(row.forceNewtons, (row.counts + 1500) / 4000, accuracy: 0.00005, output.stdout)
        }
    }

    func testTheNominalScaleTracksTheSimulatedForce() throws {
        func force(_ newtons: String) throws -> Double {
            let output = try CommandLineRunner.run(["sensor", "read", "--chip", "nau7802", "--simulate", "--simulated-newtons", newtons])
            XCTAssertEqual(output.status, 0, output.stderr)
            return try XCTUnwrap(readings(output.stdout).first?.forceNewtons, output.stdout)
        }
        // The simulated bridge has a zero offset of its own, so compare a difference.
        XCTAssertEqual(try force("20") - force("0"), 20, accuracy: 0.05)
    }

    func testADS1115JSONHasVoltsFromItsCountsAndRange() throws {
        let output = try CommandLineRunner.run(["sensor", "read", "--chip", "ads1115", "--simulate", "--range-volts", "0.512",
                                                "--simulated-newtons", "40", "--count", "2", "--format", "json"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["chip"] as? String, "ads1115")
        XCTAssertEqual(object["address"] as? String, "0x48")
        let rows = try XCTUnwrap(object["readings"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["index"] as? Int }, [1, 2])
        for row in rows {
            let counts = try XCTUnwrap(row["raw_counts"] as? Int)
            // (40 N / 50 N × 2 mV/V + 0.05 mV/V zero balance) × 3.3 V = 5.445 mV; ±0.512 V is 15.625 µV a count.
            XCTAssertEqual(Double(counts), 5.445e-3 / (0.512 / 32768), accuracy: 2)
            XCTAssertEqual(try XCTUnwrap(row["volts"] as? Double), Double(counts) * 0.512 / 32768, accuracy: 1e-12)
        }
    }

    func testScanOfTheSimulatedRigNamesEachPart() throws {
        let output = try CommandLineRunner.run(["sensor", "scan", "--simulate"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout, """
            sim: 3 devices
              0x28: FMA or FX29 could answer (no identity register; name the part in the config)
              0x2a: NAU7802 (REVISION 0x1F reads 0x0f)
              0x48: ADS1115 could answer (no identity register; config reads 0x8583)

            """)
        let json = try CommandLineRunner.run(["sensor", "scan", "--simulate", "--format", "json"])
        let devices = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["devices"] as? [[String: Any]])
        XCTAssertEqual(devices.map { $0["address"] as? String }, ["0x28", "0x2a", "0x48"])
        XCTAssertEqual(devices.map { $0["candidates"] as? [String] }, [["fma", "fx29"], ["nau7802"], ["ads1115"]])
    }

    func testBadSensorInputIsOneLineAndExitOne() throws {
        let cases: [([String], String)] = [
            (["--chip", "hx711", "--simulate"], "cellpress: unknown chip 'hx711': expected one of nau7802, ads1115, fma, fx29\n"),
            (["--chip", "nau7802", "--bus", "1", "--address", "0x50"], "cellpress: nau7802 cannot be at address 0x50: it answers at 0x2a only\n"),
            (["--chip", "nau7802"], "cellpress: no I2C bus given: pass a bus number (e.g. --bus 1) or use --simulate\n"),
        ]
        for (arguments, message) in cases {
            let output = try CommandLineRunner.run(["sensor", "read"] + arguments)
            XCTAssertEqual(output.status, 1, "\(arguments)")
            XCTAssertEqual(output.stderr, message)
            XCTAssertEqual(output.stdout, "")
        }
    }

    func testAMissingBusNamesTheDeviceNode() throws {
        let path = "/dev/i2c-250"
        try XCTSkipIf(FileManager.default.fileExists(atPath: path), "\(path) exists here")
        let output = try CommandLineRunner.run(["sensor", "read", "--chip", "ads1115", "--bus", "250"])
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
        XCTAssertTrue(output.stderr.contains("\(path): no such I2C bus"), output.stderr)
        XCTAssertTrue(output.stderr.contains("ENOENT"), output.stderr)
    }

    func testFlagCombinationsThatMeanNothingAreRefused() throws {
        let zeroAlone = try CommandLineRunner.run(["sensor", "read", "--chip", "nau7802", "--simulate", "--zero-counts", "100"])
        XCTAssertNotEqual(zeroAlone.status, 0)
        XCTAssertTrue(zeroAlone.stderr.contains("--zero-counts needs --counts-per-newton"), zeroAlone.stderr)
        let badRange = try CommandLineRunner.run(["sensor", "read", "--chip", "ads1115", "--simulate", "--range-volts", "3"])
        XCTAssertNotEqual(badRange.status, 0)
        XCTAssertTrue(badRange.stderr.contains("--range-volts 3.0 is not an ADS1115 range"), badRange.stderr)
        let scanNothing = try CommandLineRunner.run(["sensor", "scan"])
        XCTAssertNotEqual(scanNothing.status, 0)
        XCTAssertTrue(scanNothing.stderr.contains("give --bus N"), scanNothing.stderr)
    }

    func testGPIOWatchPrintsAlternatingEdgesWithIncreasingTimestamps() throws {
        let output = try CommandLineRunner.run(["gpio", "watch", "--simulate", "--line", "sim-in", "--edges", "4", "--timeout", "30"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stderr.hasPrefix("cellpress: watching line \"sim-in\" for 4 edges"), output.stderr)
        let lines = output.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(lines.map { $0.first }, ["1", "2", "3", "4"], output.stdout)
        XCTAssertEqual(lines.map { $0[1] }, ["rising", "falling", "rising", "falling"], output.stdout)
        // SECONDS.NANOSECONDS with all nine digits, compared exactly as integers.
        let stamps = try lines.map { words -> UInt64 in
            let parts = words[2].split(separator: ".")
            XCTAssertEqual(parts.count, 2)
            XCTAssertEqual(parts[1].count, 9, words[2])
            return try XCTUnwrap(UInt64(parts[0])) * 1_000_000_000 + XCTUnwrap(UInt64(parts[1]))
        }
        XCTAssertEqual(stamps, stamps.sorted())
        XCTAssertEqual(Set(stamps).count, 4, "strictly increasing")
    }

    func testGPIOWatchWithTooFewEdgesFailsAfterTheTimeout() throws {
        let output = try CommandLineRunner.run(["gpio", "watch", "--simulate", "--line", "sim-out", "--edges", "2", "--timeout", "0.3"])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.hasSuffix("cellpress: GPIO watch on line \"sim-out\": 0 of 2 edges within 0.3 s\n"), output.stderr)
    }

    func testGPIOSetReadsBackAndGetReadsTheLine() throws {
        let set = try CommandLineRunner.run(["gpio", "set", "--simulate", "--line", "sim-out", "--value", "1", "--format", "json"])
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertEqual(set.stdout, "{\"line\":\"line \\\"sim-out\\\"\",\"value\":1}\n")
        let get = try CommandLineRunner.run(["gpio", "get", "--simulate", "--chip", "gpiochip0", "--line", "1"])
        XCTAssertEqual(get.status, 0, get.stderr)
        XCTAssertEqual(get.stdout, "gpiochip0 line 1 = 0\n", "a fresh simulated line starts low")
    }

    func testBadGPIOInputIsOneLineAndExitOne() throws {
        let unknown = try CommandLineRunner.run(["gpio", "get", "--simulate", "--line", "no-such-line"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "cellpress: GPIO request on line \"no-such-line\": notFound (errno 2)\n")
        let offsetWithoutChip = try CommandLineRunner.run(["gpio", "get", "--line", "3"])
        XCTAssertNotEqual(offsetWithoutChip.status, 0)
        XCTAssertTrue(offsetWithoutChip.stderr.contains("--line 3 is an offset: give --chip too"), offsetWithoutChip.stderr)
        let badValue = try CommandLineRunner.run(["gpio", "set", "--simulate", "--line", "sim-out", "--value", "2"])
        XCTAssertNotEqual(badValue.status, 0)
        XCTAssertTrue(badValue.stderr.contains("--value must be 0 or 1"), badValue.stderr)
    }
}
