// swift-tools-version:6.1
// cellpress: an agent for a solid-state battery cell under stack pressure, and the
// analysis that pairs its logs with the cell's X-ray tomography.
import Foundation
import PackageDescription

// Release builds tune the segmentation for the building machine's CPU (that is what reaches
// the C reference's speed). For a binary that must run on other CPUs — a cross-build for the
// Pi, a copy to another machine — set CELLPRESS_PORTABLE=1.
let portable = ProcessInfo.processInfo.environment["CELLPRESS_PORTABLE"] == "1"
let analysisReleaseFlags = portable ? ["-Ounchecked"] : ["-Ounchecked", "-target-cpu", "native"]

let package = Package(
    name: "cellpress",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cellpress", targets: ["cellpress"]),
        .executable(name: "cellpress-bench", targets: ["cellpress-bench"]),
        .library(name: "Sensors", targets: ["Sensors"]),
        .library(name: "Potentiostat", targets: ["Potentiostat"]),
        .library(name: "Analysis", targets: ["Analysis"]),
        .library(name: "Store", targets: ["Store"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C shims: Swift cannot call variadic ioctl(2), and the C libraries' macros and
        // v1/v2 API differences are easier to contain in a few lines of C.
        .target(name: "CI2C", linkerSettings: [.linkedLibrary("i2c")]),
        .target(name: "CGPIOD", linkerSettings: [.linkedLibrary("gpiod")]),
        .target(name: "CTIFF", linkerSettings: [.linkedLibrary("tiff")]),
        .target(name: "CAgentShims"),

        // The cell's physics, written once: used by SimulatedCell and by the model fit.
        .target(name: "CellModel"),
        .target(name: "Sensors", dependencies: ["CI2C", "CGPIOD"]),
        .target(name: "Potentiostat", dependencies: [
            "CellModel",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // Release only: the segmentation hot loop is compiled for the host CPU without
        // runtime overflow/bounds traps (indices are proven in range by construction).
        .target(name: "Analysis", dependencies: ["CellModel", "CTIFF"],
                swiftSettings: [.unsafeFlags(analysisReleaseFlags,
                                             .when(configuration: .release))]),
        .target(name: "Store", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // Everything the executable does, as a library that tests call (buildAgent(config:)).
        .target(name: "AgentKit", dependencies: [
            "CellModel", "Sensors", "Potentiostat", "Analysis", "Store", "CAgentShims",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "cellpress", dependencies: [
            "AgentKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/agent"),

        // Benchmarks: `swift run -c release cellpress-bench <name>`. The C references
        // are compiled for the host CPU so the comparison is against C at its best.
        .target(name: "CBenchReference",
                cSettings: [.unsafeFlags(["-O3", "-march=native"])],
                linkerSettings: [.linkedLibrary("sqlite3")]),
        .executableTarget(name: "cellpress-bench", dependencies: [
            "CBenchReference", "AgentKit", "Store", "Analysis", "Sensors",
        ], path: "Sources/bench"),

        .testTarget(name: "CellModelTests", dependencies: ["CellModel"]),
        .testTarget(name: "SensorsTests", dependencies: ["Sensors"]),
        .testTarget(name: "PotentiostatTests", dependencies: ["Potentiostat", "CellModel"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "AgentTests", dependencies: ["AgentKit", "cellpress"]),
    ],
    swiftLanguageModes: [.v6]
)
