import AgentKit
import Foundation
import Sensors
import Store

/// `cellpress-bench sampler [SECONDS]`: a simulated NAU7802 at 320 SPS and ADS1115 at 860 SPS,
/// each on its own sampler thread, into a real SQLite file through the batched writer.
/// Prints samples expected vs stored, CPU seconds per wall second and peak RSS.
enum SamplerBenchmarkCommand {
    static func run(arguments: [String]) async throws {
        let seconds = arguments.first.flatMap(Double.init) ?? 10
        let dir = NSTemporaryDirectory() + "cellpress-bench-sampler-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = try AppDatabase.openForWriting(path: dir + "/bench.sqlite")
        let cell = try database.findOrCreateCell(named: "bench", diameterMillimetres: 2)
        let writer = SampleWriter(database: database)
        writer.start()
        let nauSink = StoreForceSink(writer: writer, cellId: cell.id!, sensorId: "nau7802", cellAreaSquareMillimetres: 3.14159)
        let adsSink = StoreForceSink(writer: writer, cellId: cell.id!, sensorId: "ads1115", cellAreaSquareMillimetres: 3.14159)
        let result = try await runSamplerBenchmark(durationSeconds: seconds, nau7802Sink: nauSink, ads1115Sink: adsSink)
        try writer.close()
        print(result.description)
        print("stored in SQLite: \(try database.count(table: "force_sample")) rows (\(writer.droppedRows) dropped)")
    }
}
