import Foundation

let benchArguments = Array(CommandLine.arguments.dropFirst())
switch benchArguments.first {
case "store":
    try StoreBenchmark.run(arguments: Array(benchArguments.dropFirst()))
default:
    FileHandle.standardError.write(Data("usage: cellpress-bench store [ROWS] [BATCH]\n".utf8))
    exit(2)
}
