import AgentKit
import Analysis
import ArgumentParser

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic cell volume (raw float32) with its ground truth (JSON beside it).")

    @Option(help: "Output .raw file.") var out: String
    @Option(help: "Size X,Y,Z in voxels.") var size: String = "200,200,400"
    @Option(name: .customLong("voxel-um")) var voxelMicrometres: Double = 1.7
    @Option(name: .customLong("lithium-top-um")) var lithiumTopMicrometres: Double = 60
    @Option(name: .customLong("lithium-bottom-um")) var lithiumBottomMicrometres: Double = 60
    @Option(name: .customLong("contact-top")) var contactTop: Double = 0.5
    @Option(name: .customLong("contact-bottom")) var contactBottom: Double = 0.25
    @Option(name: .customLong("void-um")) var voidMicrometres: Double = 5
    @Option(help: "Gaussian noise sigma in grey levels.") var noise: Float = 0.02
    @Option var seed: UInt64 = 1

    func validate() throws {
        guard VolumeAnalysis.parseSize(size) != nil else { throw ValidationError("--size must be X,Y,Z with positive integers, got \(size)") }
    }

    func run() throws {
        try reportingFailures {
            let parameters = SyntheticVolumeParameters(
                size: VolumeAnalysis.parseSize(size)!, voxelUm: voxelMicrometres,
                lithiumThicknessTopUm: lithiumTopMicrometres, lithiumThicknessBottomUm: lithiumBottomMicrometres,
                contactFractionTop: contactTop, contactFractionBottom: contactBottom, voidThicknessUm: voidMicrometres,
                noiseSigma: noise, seed: seed)
            let (truthPath, truth) = try VolumeAnalysis.writeSynthetic(parameters, path: out)
            print("wrote \(out) (\(size), float32, little-endian) and its truth \(truthPath): stack \(truth.stackThicknessUm) µm, contact top \(truth.top.contactFraction), bottom \(truth.bottom.contactFraction)")
        }
    }
}
