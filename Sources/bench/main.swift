// cellpress-bench: `swift run -c release cellpress-bench <name> [options]`.
import Foundation

let usage = """
    usage: cellpress-bench segment [--size X,Y,Z] [--repeats N]   segmentation, Swift vs the C reference
           cellpress-bench store [ROWS] [BATCH]                   batched inserts, SampleWriter vs the SQLite C API
           cellpress-bench sampler [SECONDS]                      NAU7802 320 SPS + ADS1115 860 SPS into SQLite
    """
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "segment":
    runSegmentBenchmark(Array(arguments.dropFirst()))
case "sampler":
    try await SamplerBenchmarkCommand.run(arguments: Array(arguments.dropFirst()))
case "store":
    try StoreBenchmark.run(arguments: Array(arguments.dropFirst()))
default:
    print(usage)
    exit(arguments.isEmpty ? 0 : 2)
}
