// Interphase classifier benchmark: features alone, then features + forest prediction
// (`InterphaseModel.classify`), on a textured synthetic stack, 1 and 2 threads, best of N.
import Analysis
import Dispatch
import Foundation

func runClassifierBenchmark(_ args: [String]) {
    var size = VolumeSize(x: 200, y: 200, z: 200)
    var repeats = 2
    var trees = 32, depth = 12
    var noise: Float = 0.03
    var i = 0
    while i < args.count {
        let value = i + 1 < args.count ? args[i + 1] : ""
        switch args[i] {
        case "--size":
            let parts = value.split(separator: ",").compactMap { Int($0) }
            guard parts.count == 3 else { print("--size wants X,Y,Z"); exit(2) }
            size = VolumeSize(x: parts[0], y: parts[1], z: parts[2])
        case "--repeats": repeats = Swift.max(1, Int(value) ?? 2)
        case "--trees": trees = Swift.max(1, Int(value) ?? 32)
        case "--depth": depth = Swift.max(1, Int(value) ?? 12)
        // More noise: phases overlap, trees grow to full depth (the slow case for prediction).
        case "--noise": noise = Swift.max(0, Float(value) ?? 0.03)
        default:
            print("unknown option \(args[i])")
            exit(2)
        }
        i += 2
    }
    do {
        let parameters = SyntheticVolumeParameters(size: size, voxelUm: 1.7, interphaseThicknessUm: 12,
                                                   noiseSigma: noise, seed: 2026)
        var volume = Volume<Float>(size: size, repeating: 0), phases = Volume<UInt8>(size: size, repeating: 0)
        let generation = try seconds { (volume, phases) = try SyntheticInterphase.generate(parameters, threads: 2) }
        print("synthetic interphase stack \(size) float32, noise σ \(noise), generated in \(String(format: "%.2f", generation)) s")

        // Labels: three xz slices of the truth, as a person would paint them.
        var labelVolume = Volume<UInt8>(size: size, repeating: 0)
        for y in [size.y / 6, size.y / 2, 5 * size.y / 6] {
            for z in 0..<size.z { for x in 0..<size.x { labelVolume[x, y, z] = phases[x, y, z] } }
        }
        let labels = try TrainingLabels.fromLabelVolume(labelVolume, classNames: SyntheticInterphase.classNames,
                                                        volumeSize: size, path: "three slices")
        var model: InterphaseModel?
        let training = try seconds {
            model = try InterphaseModel.train(volume: volume, labels: labels,
                                              forest: ForestParameters(trees: trees, maxDepth: depth, seed: 1), threads: 2)
        }
        guard let model else { return }
        let nodes = model.forest.trees.map(\.nodeCount).reduce(0, +)
        print("trained \(trees) trees (depth ≤ \(depth), \(nodes) nodes) on \(labels.voxelIndices.count) labelled voxels in \(String(format: "%.2f", training)) s (2 threads), OOB error \(String(format: "%.4f", model.forest.outOfBagError ?? .nan))")

        let voxels = Double(size.voxelCount)
        let truth = phases.voxels.filter { $0 == SyntheticInterphase.interphaseLabel }.count
        print("wall-clock figures; CPU seconds in brackets (the machine is shared, so wall ≥ CPU / threads)")
        print("threads  features Mvox/s  classify Mvox/s  classify s (CPU s)  interphase vs truth")
        for threads in [1, 2] {
            var bestFeatures = Double.infinity, bestClassify = Double.infinity, classifyCPU = Double.infinity
            var found = 0
            for _ in 0..<repeats {
                bestFeatures = Swift.min(bestFeatures, try seconds { _ = try model.featureBank.featureMeans(volume, threads: threads) })
                var labelled = Volume<UInt8>(size: size, repeating: 0)
                let cpu0 = processCPUSeconds()
                let wall = try seconds { labelled = try model.classify(volume, threads: threads) }
                if wall < bestClassify { bestClassify = wall; classifyCPU = processCPUSeconds() - cpu0 }
                found = labelled.voxels.filter { $0 == SyntheticInterphase.interphaseLabel }.count
            }
            print(String(format: "%7d  %15.2f  %15.2f  %10.2f (%5.2f)  %d vs %d (%+.1f %%)", threads,
                         voxels / bestFeatures / 1e6, voxels / bestClassify / 1e6, bestClassify, classifyCPU,
                         found, truth, 100 * Double(found - truth) / Double(truth)))
        }
        print("peak RSS \(peakRSSBytes() / 1_048_576) MiB")
    } catch {
        print("classifier benchmark failed: \(error)")
        exit(1)
    }
}

/// CPU time of the whole process (all threads), seconds.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
