import Foundation

/// A trained voxel classifier: the feature bank it was trained with, the class names and the
/// forest. Saved and loaded as JSON.
public struct InterphaseModel: Sendable, Equatable, Codable {
    public static let formatName = "cellpress-voxel-forest"
    public static let formatVersion = 1

    public var format: String
    public var version: Int
    /// Class k (0-based) is written as label k + 1 by `classify`.
    public var classNames: [String]
    public var featureBank: FeatureBankSettings
    /// For people reading the file; `featureBank` is what counts.
    public var featureNames: [String]
    /// Labelled voxels per class used for training (after any subsampling).
    public var trainingCounts: [Int]
    public var forest: RandomForest

    /// Trains on the labelled voxels of `volume`. At most `maxSamples` labelled voxels are
    /// used (a seeded random subset beyond that). Throws when a class has no voxels or the
    /// labels were made for another volume size.
    public static func train(volume: Volume<Float>, labels: TrainingLabels,
                             featureBank: FeatureBankSettings = FeatureBankSettings(),
                             forest parameters: ForestParameters = ForestParameters(),
                             maxSamples: Int = 400_000,
                             threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> InterphaseModel {
        try featureBank.validate()
        guard labels.volumeSize == volume.size else {
            throw InterphaseError.labelSizeMismatch(path: "labels", labelSize: labels.volumeSize, volumeSize: volume.size)
        }
        try labels.requireEveryClass()
        try parameters.validate(featureCount: featureBank.featureCount)
        var chosen = labels
        if labels.voxelIndices.count > maxSamples {
            // Selection sampling keeps the indices ascending.
            var rng = Xoshiro256StarStar(seed: parameters.seed ^ 0x5A4D_504C_4553)
            var indices: [Int] = [], classes: [UInt8] = []
            var needed = maxSamples, left = labels.voxelIndices.count
            for (i, c) in zip(labels.voxelIndices, labels.classes) {
                if rng.below(left) < needed { indices.append(i); classes.append(c); needed -= 1 }
                left -= 1
            }
            chosen.voxelIndices = indices
            chosen.classes = classes
            try chosen.requireEveryClass()
        }
        let samples = featureRows(volume: volume, at: chosen.voxelIndices, featureBank: featureBank, threads: threads)
        let forest = try RandomForest.train(samples: samples, labels: chosen.classes,
                                            featureCount: featureBank.featureCount,
                                            classCount: labels.classNames.count, parameters: parameters, threads: threads)
        return InterphaseModel(format: formatName, version: formatVersion, classNames: labels.classNames,
                               featureBank: featureBank, featureNames: featureBank.featureNames,
                               trainingCounts: chosen.countsPerClass, forest: forest)
    }

    /// Feature rows (row-major) of the voxels at ascending `indices`; only slabs holding one
    /// of them are filtered.
    static func featureRows(volume: Volume<Float>, at indices: [Int], featureBank: FeatureBankSettings,
                            threads: Int) -> [Float] {
        let F = featureBank.featureCount
        let plane = volume.size.columnCount
        var rows = [Float](repeating: 0, count: indices.count * F)
        @Sendable func firstAtOrAfter(_ voxel: Int) -> Int {
            var lo = 0, hi = indices.count
            while lo < hi { let mid = (lo + hi) / 2; if indices[mid] < voxel { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        rows.withUnsafeMutableBufferPointer { rowBuffer in
            let out = SharedMutablePointer(rowBuffer.baseAddress!)
            FeatureBank.forEachSlab(volume, settings: featureBank, threads: threads,
                                    wanted: { z0, z1 in firstAtOrAfter(z0 * plane) < firstAtOrAfter(z1 * plane) }) { slab in
                let first = firstAtOrAfter(slab.firstVoxel), end = firstAtOrAfter(slab.firstVoxel + slab.voxelCount)
                for j in first..<end {
                    let i = indices[j] - slab.firstVoxel
                    for f in 0..<F { out.pointer[j * F + f] = slab.features[f * slab.stride + i] }
                }
            }
        }
        return rows
    }

    /// Labels every voxel with its most probable class + 1 (1...K), slab by slab.
    public func classify(_ volume: Volume<Float>, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                         voxelBudget: Int = 1 << 20) throws -> Volume<UInt8> {
        try featureBank.validate()
        guard forest.featureCount == featureBank.featureCount, forest.classCount == classNames.count else {
            throw InterphaseError.model(path: "model", reason: "forest has \(forest.featureCount) features and \(forest.classCount) classes, the feature bank \(featureBank.featureCount) and the names \(classNames.count)")
        }
        let packed = PackedForest(forest)
        var labels = [UInt8](repeating: 0, count: volume.size.voxelCount)
        labels.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let out = SharedMutablePointer(base)
            FeatureBank.forEachSlab(volume, settings: featureBank, threads: threads, voxelBudget: voxelBudget) { slab in
                packed.classify(features: slab.features, stride: slab.stride, count: slab.voxelCount,
                                into: out.pointer + slab.firstVoxel)
            }
        }
        return try Volume(size: volume.size, voxels: labels)
    }

    /// The model as compact JSON with sorted keys (stable diffs between runs with one seed).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    public func write(path: String) throws {
        do { try jsonData().write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw VolumeFileError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads and checks a model file (format, version, consistent sizes).
    public static func read(path: String) throws -> InterphaseModel {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw VolumeFileError.cannotOpen(path: path, reason: error.localizedDescription)
        }
        let model: InterphaseModel
        do { model = try JSONDecoder().decode(InterphaseModel.self, from: data) } catch {
            throw InterphaseError.model(path: path, reason: "not a model file: \(error)")
        }
        guard model.format == formatName else {
            throw InterphaseError.model(path: path, reason: "format is \"\(model.format)\", expected \"\(formatName)\"")
        }
        guard model.version == formatVersion else {
            throw InterphaseError.model(path: path, reason: "version \(model.version), this build reads \(formatVersion)")
        }
        try model.checkConsistency(path: path)
        return model
    }

    /// Every node must point inside its tree and every feature inside the bank, so a
    /// corrupted file cannot make `classify` read out of bounds.
    func checkConsistency(path: String) throws {
        try featureBank.validate()
        let F = featureBank.featureCount, K = classNames.count
        guard forest.featureCount == F, forest.classCount == K, !forest.trees.isEmpty else {
            throw InterphaseError.model(path: path, reason: "forest does not match the feature bank or the class names")
        }
        for (t, tree) in forest.trees.enumerated() {
            let n = tree.nodeCount
            guard n > 0, tree.threshold.count == n, tree.left.count == n, tree.right.count == n, tree.classCount == K else {
                throw InterphaseError.model(path: path, reason: "tree \(t): arrays of different lengths")
            }
            for i in 0..<n {
                if tree.feature[i] < 0 {
                    guard tree.left[i] >= 0, Int(tree.left[i]) + K <= tree.probabilities.count else {
                        throw InterphaseError.model(path: path, reason: "tree \(t) node \(i): leaf outside the probabilities")
                    }
                } else {
                    guard Int(tree.feature[i]) < F, tree.left[i] > Int32(i), tree.right[i] > Int32(i),
                          Int(tree.left[i]) < n, Int(tree.right[i]) < n else {
                        throw InterphaseError.model(path: path, reason: "tree \(t) node \(i): feature or child out of range")
                    }
                }
            }
        }
    }
}
