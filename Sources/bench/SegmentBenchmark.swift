// Segmentation benchmark: Swift (Analysis.segment) vs the C reference (CBenchReference)
// on the same synthetic float32 volume, 1 and 2 threads, best of N runs, interleaved so
// load from other processes hits both alike.
import Analysis
import CBenchReference
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024   // Linux reports kilobytes
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
}

func runSegmentBenchmark(_ args: [String]) {
    var size = VolumeSize(x: 400, y: 400, z: 800)
    var repeats = 5
    var i = 0
    while i < args.count {
        switch args[i] {
        case "--size" where i + 1 < args.count:
            let parts = args[i + 1].split(separator: ",").compactMap { Int($0) }
            guard parts.count == 3 else { print("--size wants X,Y,Z"); exit(2) }
            size = VolumeSize(x: parts[0], y: parts[1], z: parts[2])
            i += 2
        case "--repeats" where i + 1 < args.count:
            repeats = Swift.max(1, Int(args[i + 1]) ?? 3)
            i += 2
        default:
            print("unknown option \(args[i])")
            exit(2)
        }
    }
    let parameters = SyntheticVolumeParameters(size: size, voxelUm: 1.7, contactFractionTop: 0.5,
                                               contactFractionBottom: 0.25, seed: 2026)
    let volume: Volume<Float>
    let truth: SegmentationResult
    do {
        let t0 = DispatchTime.now().uptimeNanoseconds
        (volume, truth) = try generateSyntheticVolume(parameters)
        let generation = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
        print("synthetic \(size) float32 (\(volume.byteCount / 1_048_576) MiB) generated in \(String(format: "%.2f", generation)) s")
    } catch {
        print("generation failed: \(error)")
        exit(1)
    }
    let t = SegmentationThresholds.paperDefaults
    let voxels = Double(size.voxelCount)
    var topMap = [UInt8](repeating: 0, count: size.columnCount)
    var bottomMap = [UInt8](repeating: 0, count: size.columnCount)
    var allMatch = true
    print("threads  swift Mvox/s  C Mvox/s  swift/C")
    for threads in [1, 2] {
        var bestSwift = Double.infinity, bestC = Double.infinity
        var swiftResult: SegmentationResult?
        var c = cref_totals()
        for _ in 0..<repeats {
            do {
                let r = try segment(volume, thresholds: t, voxelUm: 1.7, threads: threads)
                bestSwift = Swift.min(bestSwift, r.elapsedS)
                swiftResult = r
            } catch {
                print("segment failed: \(error)")
                exit(1)
            }
            let elapsedC = volume.voxels.withUnsafeBufferPointer { vox in
                seconds {
                    _ = cref_segment(vox.baseAddress, Int32(size.x), Int32(size.y), Int32(size.z),
                                     t.voidMax, t.lithiumMax, t.interphaseMin, Int32(threads), 1024,
                                     &c, &topMap, &bottomMap)
                }
            }
            bestC = Swift.min(bestC, elapsedC)
        }
        let s = swiftResult!
        let match = s.top.lithiumVoxels == Int(c.top_lithium) && s.bottom.lithiumVoxels == Int(c.bottom_lithium)
            && s.top.contactPixels == Int(c.top_contact) && s.bottom.contactPixels == Int(c.bottom_contact)
            && s.top.voidVoxels == Int(c.top_void) && s.bottom.voidVoxels == Int(c.bottom_void)
            && s.bulkPoreVoxels == Int(c.bulk_pores)
        allMatch = allMatch && match
        let swiftRate = voxels / bestSwift / 1e6, cRate = voxels / bestC / 1e6
        print(String(format: "%7d  %12.0f  %8.0f  %7.2f%@", threads, swiftRate, cRate, swiftRate / cRate,
                     match ? "" : "  (RESULTS DIFFER)"))
        if threads == 1 {
            print("  lithium top/bottom \(s.top.lithiumVoxels)/\(s.bottom.lithiumVoxels) (truth \(truth.top.lithiumVoxels)/\(truth.bottom.lithiumVoxels)), contact \(s.top.contactPixels)/\(s.bottom.contactPixels) (truth \(truth.top.contactPixels)/\(truth.bottom.contactPixels)), void \(s.top.voidVoxels)/\(s.bottom.voidVoxels) (truth \(truth.top.voidVoxels)/\(truth.bottom.voidVoxels)), bulk pores \(s.bulkPoreVoxels) (truth \(truth.bulkPoreVoxels))")
        }
    }
    let rss = peakRSSBytes()
    print(String(format: "peak RSS %.0f MiB = %.2f × volume size (%.0f MiB)", Double(rss) / 1_048_576,
                 Double(rss) / Double(volume.byteCount), Double(volume.byteCount) / 1_048_576))
    // The demo generates a 200×200×400 stack every simulated 15 minutes.
    // After the RSS figure, so the extra volumes do not count in it.
    do {
        var best = Double.infinity
        for _ in 0..<repeats {
            best = Swift.min(best, try seconds { _ = try generateSyntheticVolume(SyntheticVolumeParameters(seed: 7)) })
        }
        print(String(format: "synthetic 200×200×400 generation: %.3f s (best of %d)", best, repeats))
    } catch {
        print("generation failed: \(error)")
        exit(1)
    }
    if !allMatch {
        print("Swift and C results differ")
        exit(1)
    }
}
