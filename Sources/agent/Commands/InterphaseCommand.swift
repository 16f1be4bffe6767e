import AgentKit
import Analysis
import ArgumentParser
import Foundation

/// `cellpress interphase train|apply`: the trainable voxel classifier for the interphase
/// (the paper used WEKA in Fiji on hand-labelled slices).
struct InterphaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interphase",
        abstract: "Train a voxel classifier on labelled voxels and measure the interphase with it.",
        subcommands: [Train.self, Apply.self])

    /// Options shared by both subcommands: the image volume.
    struct VolumeOptions: ParsableArguments {
        @Option(help: "Image volume (headerless raw, x fastest, then y, then z).") var volume: String
        @Option(help: "Size X,Y,Z in voxels.") var size: String
        @Option(help: "float32, uint16 or uint8.") var dtype: String = "float32"
        @Option(name: .customLong("byte-order"), help: "little or big.") var byteOrder: String = "little"
        @Option(help: "Worker threads.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard VolumeAnalysis.parseSize(size) != nil else { throw ValidationError("--size must be X,Y,Z with positive integers, got \(size)") }
            guard VoxelDataType(rawValue: dtype) != nil else { throw ValidationError("--dtype must be float32, uint16 or uint8") }
            guard ["little", "big"].contains(byteOrder) else { throw ValidationError("--byte-order must be little or big") }
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        }

        var volumeSize: VolumeSize { VolumeAnalysis.parseSize(size)! }

        func read() throws -> Volume<Float> {
            try AnyVolume.readRaw(path: volume, size: volumeSize, dtype: VoxelDataType(rawValue: dtype)!,
                                  byteOrder: byteOrder == "big" ? .big : .little).floatVolume
        }
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train a random forest on labelled voxels and save it as JSON.",
            discussion: "Labels are a raw uint8 volume (0 = unlabelled, k = the k-th name of --classes) "
                + "or a box file of [[box]] tables (class = \"name\", x = [first, last], y = [...], z = [...], "
                + "inclusive voxel indices; an axis left out spans the volume).")

        @OptionGroup var image: VolumeOptions
        @Option(help: "Label volume (raw uint8, same size as the image).") var labels: String?
        @Option(name: .customLong("label-size"), help: "Size X,Y,Z of the label volume (default: --size).") var labelSize: String?
        @Option(help: "Box file (TOML [[box]] tables).") var boxes: String?
        @Option(help: "Class names in label order, comma-separated (default for label volumes: void,lithium,interphase,electrolyte,steel; for boxes: as they appear).")
        var classes: String?
        @Option(help: "Model file to write (JSON).") var out: String
        @Option(help: "Trees in the forest.") var trees: Int = 32
        @Option(help: "Maximum tree depth.") var depth: Int = 12
        @Option(help: "Random seed (same seed, same model).") var seed: UInt64 = 1
        @Option(help: "Gaussian scales of the feature bank in voxels, comma-separated.") var sigmas: String = "1,2,4"
        @Option(help: "text or json.") var format: String = "text"

        func validate() throws {
            guard (labels == nil) != (boxes == nil) else { throw ValidationError("give --labels or --boxes (one of them)") }
            if labelSize != nil, labels == nil { throw ValidationError("--label-size goes with --labels") }
            if let labelSize, VolumeAnalysis.parseSize(labelSize) == nil {
                throw ValidationError("--label-size must be X,Y,Z with positive integers, got \(labelSize)")
            }
            guard sigmaValues != nil else { throw ValidationError("--sigmas must be numbers separated by commas, got \(sigmas)") }
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        }

        var sigmaValues: [Double]? {
            let values = sigmas.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            return values.isEmpty || values.contains(nil) ? nil : values.map { $0! }
        }

        func run() throws {
            try reportingFailures {
                let names = classes.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                let bank = FeatureBankSettings(sigmas: sigmaValues!)
                try bank.validate()
                let parameters = ForestParameters(trees: trees, maxDepth: depth, seed: seed)
                try parameters.validate(featureCount: bank.featureCount)
                let size = image.volumeSize
                let training: TrainingLabels
                if let labels {
                    training = try TrainingLabels.readLabelVolume(
                        path: labels, labelSize: labelSize.flatMap(VolumeAnalysis.parseSize),
                        classNames: names ?? SyntheticInterphase.classNames, volumeSize: size)
                } else {
                    training = try TrainingLabels.readBoxes(path: boxes!, classNames: names, volumeSize: size)
                }
                try training.requireEveryClass()
                let volume = try image.read()
                let model = try InterphaseModel.train(volume: volume, labels: training, featureBank: bank,
                                                      forest: parameters, threads: image.threads)
                try model.write(path: out)
                let oob = model.forest.outOfBagError
                if format == "json" {
                    var summary: [String: Any] = ["model": out, "classes": model.classNames,
                                                  "training_voxels": model.trainingCounts,
                                                  "trees": trees, "depth": depth, "seed": seed]
                    summary["out_of_bag_error"] = oob ?? NSNull()
                    let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    let counts = zip(model.classNames, model.trainingCounts).map { "\($0) \($1)" }.joined(separator: ", ")
                    print("trained \(trees) trees (depth ≤ \(depth), seed \(seed)) on \(model.trainingCounts.reduce(0, +)) voxels: \(counts)")
                    print("out-of-bag error: " + (oob.map { String(format: "%.4f", $0) } ?? "n/a"))
                    print("model written to \(out)")
                }
            }
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Classify every voxel with a trained model; report interphase voxels and volume per interface.",
            discussion: "The top interface is the top half of the volume (z < Z/2), the bottom interface the rest.")

        @OptionGroup var image: VolumeOptions
        @Option(help: "Model file (JSON) from `interphase train`.") var model: String
        @Option(help: "Write the labels as a raw uint8 volume (class k of the model = k, from 1).") var out: String?
        @Option(name: .customLong("voxel-um"), help: "Voxel edge in µm.") var voxelMicrometres: Double = 1.7
        @Option(help: "text or json.") var format: String = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
            guard voxelMicrometres > 0, voxelMicrometres.isFinite else { throw ValidationError("--voxel-um must be > 0") }
        }

        func run() throws {
            try reportingFailures {
                let classifier = try InterphaseModel.read(path: model)
                guard classifier.classNames.contains("interphase") else {
                    throw InterphaseError.noInterphaseClass(classes: classifier.classNames)
                }
                let volume = try image.read()
                let labels = try classifier.classify(volume, threads: image.threads)
                let report = try InterphaseReport(labels: labels, model: classifier, voxelUm: voxelMicrometres)
                if let out { try RawVolumeIO.write(labels, path: out) }
                if format == "json" {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    print(String(decoding: try encoder.encode(report), as: UTF8.self))
                } else {
                    print(report.text)
                    if let out { print("labels written to \(out) (uint8, \(classifier.classNames.enumerated().map { "\($0.offset + 1) = \($0.element)" }.joined(separator: ", ")))") }
                }
            }
        }
    }
}
