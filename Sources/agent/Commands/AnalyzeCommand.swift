import AgentKit
import Analysis
import ArgumentParser
import Foundation

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Segment a tomography volume (lithium, voids, contact, thickness).",
        discussion: "Reads a TIFF stack (a multi-page .tif or a folder of slices) or a headerless raw volume (x fastest, then y, then z; give --size). Thresholds are given, or chosen from the histogram with --auto-thresholds.")

    @Argument(help: "Volume file.") var path: String
    @Option(help: "Size X,Y,Z in voxels (raw volumes).") var size: String?
    @Option(help: "float32, uint16 or uint8.") var dtype: String = "float32"
    @Option(name: .customLong("byte-order"), help: "little or big.") var byteOrder: String = "little"
    @Option(name: .customLong("voxel-um"), help: "Voxel edge in µm.") var voxelMicrometres: Double = 1.7
    @Option(name: .customLong("void-max")) var voidMax: Float?
    @Option(name: .customLong("lithium-max")) var lithiumMax: Float?
    @Option(name: .customLong("interphase-min")) var interphaseMin: Float?
    @Flag(name: .customLong("auto-thresholds"), help: "Choose thresholds from the histogram (reported).") var autoThresholds = false
    @Option(help: "Worker threads.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "text or json.") var format: String = "text"
    @Option(name: .customLong("contact-map"), help: "Write the top and bottom contact maps as PGM (NAME-top.pgm, NAME-bottom.pgm).")
    var contactMap: String?

    func validate() throws {
        if let size { guard VolumeAnalysis.parseSize(size) != nil else { throw ValidationError("--size must be X,Y,Z with positive integers, got \(size)") } }
        else if !VolumeAnalysis.isTIFF(path) { throw ValidationError("a raw volume needs --size X,Y,Z") }
        guard VolumeAnalysis.DataType(rawValue: dtype) != nil else { throw ValidationError("--dtype must be float32, uint16 or uint8") }
        guard ["little", "big"].contains(byteOrder) else { throw ValidationError("--byte-order must be little or big") }
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        let given = [voidMax, lithiumMax, interphaseMin].compactMap { $0 }.count
        if autoThresholds && given > 0 { throw ValidationError("give thresholds or --auto-thresholds, not both") }
        if !autoThresholds && given != 3 { throw ValidationError("give --void-max, --lithium-max and --interphase-min, or --auto-thresholds") }
    }

    func run() throws {
        try reportingFailures {
            let thresholds = autoThresholds ? nil : SegmentationThresholds(voidMax: voidMax!, lithiumMax: lithiumMax!, interphaseMin: interphaseMin!)
            let outcome = try VolumeAnalysis.analyze(.init(
                path: path, size: size.flatMap(VolumeAnalysis.parseSize), dataType: VolumeAnalysis.DataType(rawValue: dtype)!,
                byteOrder: byteOrder == "big" ? .big : .little, voxelMicrometres: voxelMicrometres,
                thresholds: thresholds, threads: threads), progress: StageProgress.onTerminal())
            StageProgress.clear()
            if let contactMap {
                let base = contactMap.hasSuffix(".pgm") ? String(contactMap.dropLast(4)) : contactMap
                try outcome.result.top.contactMap.writePGM(path: base + "-top.pgm")
                try outcome.result.bottom.contactMap.writePGM(path: base + "-bottom.pgm")
            }
            print(format == "json" ? try VolumeAnalysis.json(outcome.result) : VolumeAnalysis.text(outcome))
        }
    }
}
