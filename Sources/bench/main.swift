// cellpress-bench: `swift run -c release cellpress-bench <name> [options]`.
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "segment":
    runSegmentBenchmark(Array(arguments.dropFirst()))
default:
    print("usage: cellpress-bench segment [--size X,Y,Z] [--repeats N (default 5)]")
    exit(arguments.isEmpty ? 0 : 2)
}
