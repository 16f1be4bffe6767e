import Dispatch
import Foundation

/// Column geometry of the synthetic stack, in voxel indices (planes).
struct SyntheticColumns {
    var topCollector: [Int32]      // first Li voxel
    var topInterface: [Int32]      // one past the last Li/void voxel
    var bottomInterface: [Int32]   // first void/Li voxel of the bottom electrode
    var bottomCollector: [Int32]   // one past the last Li voxel
    var topVoid: [Int32]           // void thickness at the top interface (0 = contact)
    var bottomVoid: [Int32]
}

/// Builds a synthetic stack, steel / Li / interphase / LSPS with bulk pores / interphase /
/// Li / steel, with rough interfaces, interfacial void patches and Gaussian noise, and
/// returns it with its ground truth (same keys as a `SegmentationResult`, thresholds set
/// to `SegmentationThresholds.paperDefaults`, `elapsed_s` 0). Deterministic in `seed`;
/// slices are filled in parallel on `threads` workers.
public func generateSyntheticVolume(
    _ p: SyntheticVolumeParameters, threads: Int = ProcessInfo.processInfo.activeProcessorCount
) throws -> (volume: Volume<Float>, truth: SegmentationResult) {
    let size = p.size
    guard size.x > 0, size.y > 0, size.z >= 16 else {
        throw SyntheticParameterError(reason: "size \(size) too small (needs X, Y ≥ 1 and Z ≥ 16)")
    }
    guard p.voxelUm > 0, p.voxelUm.isFinite else { throw SyntheticParameterError(reason: "voxel size must be > 0") }
    guard (0...1).contains(p.contactFractionTop), (0...1).contains(p.contactFractionBottom) else {
        throw SyntheticParameterError(reason: "contact fractions must be within 0...1")
    }
    let vox = p.voxelUm
    let columns = size.columnCount
    let half = size.z / 2
    let voidVoxels = Int32(Swift.max(1, (p.voidThicknessUm / vox).rounded()))
    let interphase = Int32(Swift.max(3, (p.interphaseThicknessUm / vox).rounded()))
    let amplitude = Swift.max(0, p.roughnessUm / vox)
    let topCollectorBase = (Double(size.z) * vox - p.stackThicknessUm) / 2 / vox
    let bottomCollectorBase = topCollectorBase + p.stackThicknessUm / vox
    let liTop = p.lithiumThicknessTopUm / vox, liBottom = p.lithiumThicknessBottomUm / vox
    // A run needs room for its void patch and the 5 voxels of the contact rule.
    let minLithium = voidVoxels + 6

    var rng = SplitMix64(seed: p.seed)
    let fields = (0..<6).map { _ in SmoothField(rng: &rng, width: size.x, height: size.y) }
    var cols = SyntheticColumns(
        topCollector: .init(repeating: 0, count: columns), topInterface: .init(repeating: 0, count: columns),
        bottomInterface: .init(repeating: 0, count: columns), bottomCollector: .init(repeating: 0, count: columns),
        topVoid: .init(repeating: 0, count: columns), bottomVoid: .init(repeating: 0, count: columns))
    var voidScoreTop = [Double](repeating: 0, count: columns)
    var voidScoreBottom = [Double](repeating: 0, count: columns)
    for y in 0..<size.y {
        for x in 0..<size.x {
            let c = x + size.x * y
            let tc = Int32((topCollectorBase + amplitude * fields[0].value(x: x, y: y)).rounded())
            let ti = Swift.max(tc + minLithium, Int32((topCollectorBase + liTop + amplitude * fields[1].value(x: x, y: y)).rounded()))
            let bc = Int32((bottomCollectorBase + amplitude * fields[2].value(x: x, y: y)).rounded())
            let bi = Swift.min(bc - minLithium, Int32((bottomCollectorBase - liBottom + amplitude * fields[3].value(x: x, y: y)).rounded()))
            cols.topCollector[c] = tc; cols.topInterface[c] = ti
            cols.bottomCollector[c] = bc; cols.bottomInterface[c] = bi
            voidScoreTop[c] = fields[4].value(x: x, y: y)
            voidScoreBottom[c] = fields[5].value(x: x, y: y)
        }
    }
    let minTopCollector = cols.topCollector.min()!, maxTopInterface = cols.topInterface.max()!
    let minBottomInterface = cols.bottomInterface.min()!, maxBottomCollector = cols.bottomCollector.max()!
    guard minTopCollector >= 0, maxBottomCollector <= Int32(size.z),
          maxTopInterface + interphase < Int32(half), minBottomInterface - interphase > Int32(half) else {
        throw SyntheticParameterError(reason:
            "stack does not fit: top collector ≥ 0, top interface + interphase < Z/2 < bottom interface − interphase, bottom collector ≤ Z required (got \(minTopCollector), \(maxTopInterface), \(minBottomInterface), \(maxBottomCollector) for Z = \(size.z))")
    }
    // Void patches: the columns with the highest smooth score, exactly (1 − fraction)·N of them.
    func markVoids(_ score: [Double], fraction: Double, into target: inout [Int32]) {
        let count = Int(((1 - fraction) * Double(columns)).rounded())
        let order = score.indices.sorted { score[$0] > score[$1] }
        for c in order.prefix(count) { target[c] = voidVoxels }
    }
    markVoids(voidScoreTop, fraction: p.contactFractionTop, into: &cols.topVoid)
    markVoids(voidScoreBottom, fraction: p.contactFractionBottom, into: &cols.bottomVoid)

    // Fill slices in parallel; noise is a hash of (seed, voxel index).
    var voxels = [Float](repeating: 0, count: size.voxelCount)
    let plane = columns
    let sigma = p.noiseSigma
    let seedMix = mix(p.seed ^ 0xA5A5_5A5A_0F0F_F0F0)
    voxels.withUnsafeMutableBufferPointer { buffer in
        let out = SendablePointer(buffer.baseAddress!)
        let workers = Swift.max(1, Swift.min(threads, size.z))
        cols.topCollector.withUnsafeBufferPointer { tcB in
        cols.topInterface.withUnsafeBufferPointer { tiB in
        cols.bottomInterface.withUnsafeBufferPointer { biB in
        cols.bottomCollector.withUnsafeBufferPointer { bcB in
        cols.topVoid.withUnsafeBufferPointer { tvB in
        cols.bottomVoid.withUnsafeBufferPointer { bvB in
        gaussianTable.withUnsafeBufferPointer { gaussB in
            let geo = SendableGeometry(tc: tcB.baseAddress!, ti: tiB.baseAddress!, bi: biB.baseAddress!,
                                       bc: bcB.baseAddress!, tv: tvB.baseAddress!, bv: bvB.baseAddress!,
                                       gauss: gaussB.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var z = worker
                while z < size.z {
                    let z32 = Int32(z)
                    let slice = out.pointer + z * plane
                    for c in 0..<plane {
                        let base: Float
                        if z32 < geo.tc[c] { base = SyntheticGreyLevels.steel }
                        else if z32 < geo.ti[c] - geo.tv[c] { base = SyntheticGreyLevels.lithium }
                        else if z32 < geo.ti[c] { base = SyntheticGreyLevels.void }
                        else if z32 < geo.ti[c] + interphase { base = SyntheticGreyLevels.interphase }
                        else if z32 < geo.bi[c] - interphase { base = SyntheticGreyLevels.lsps }
                        else if z32 < geo.bi[c] { base = SyntheticGreyLevels.interphase }
                        else if z32 < geo.bi[c] + geo.bv[c] { base = SyntheticGreyLevels.void }
                        else if z32 < geo.bc[c] { base = SyntheticGreyLevels.lithium }
                        else { base = SyntheticGreyLevels.steel }
                        let h = mix(seedMix &+ UInt64(z * plane + c))
                        slice[c] = base + sigma * geo.gauss[Int(h >> 48)]
                    }
                    z += workers
                }
            }
        }}}}}}}
    }

    // Bulk pores: spheres wholly inside the LSPS slab that every column shares.
    let r = Swift.max(1, p.bulkPoreRadiusVoxels)
    let zLow = Int(maxTopInterface + interphase) + r + 2
    let zHigh = Int(minBottomInterface - interphase) - r - 3
    var bulkPores = 0
    if p.bulkPoreFraction > 0, zHigh > zLow {
        let sphereVolume = 4.0 / 3.0 * Double.pi * Double(r * r * r)
        let count = Int((p.bulkPoreFraction * Double(columns * (zHigh - zLow)) / sphereVolume).rounded())
        for _ in 0..<count {
            let cx = Int(rng.unit() * Double(size.x)), cy = Int(rng.unit() * Double(size.y))
            let cz = zLow + Int(rng.unit() * Double(zHigh - zLow + 1))
            for z in (cz - r)...(cz + r) {
                for y in Swift.max(0, cy - r)...Swift.min(size.y - 1, cy + r) {
                    for x in Swift.max(0, cx - r)...Swift.min(size.x - 1, cx + r) {
                        let d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz)
                        guard d2 <= r * r else { continue }
                        let i = x + size.x * (y + size.y * z)
                        if voxels[i] > 0.3 {   // LSPS, not already a pore
                            let h = mix(seedMix &+ UInt64(i) &+ 0x1234_5678)
                            voxels[i] = SyntheticGreyLevels.void + sigma * gaussianTable[Int(h >> 48)]
                            bulkPores += 1
                        }
                    }
                }
            }
        }
    }

    let truth = syntheticTruth(cols, size: size, voxelUm: vox, bulkPores: bulkPores)
    return (try Volume(size: size, voxels: voxels), truth)
}

/// Ground truth straight from the construction.
func syntheticTruth(_ cols: SyntheticColumns, size: VolumeSize, voxelUm: Double, bulkPores: Int) -> SegmentationResult {
    let n = size.columnCount
    var topLi = 0, topVoid = 0, topContact = 0, bottomLi = 0, bottomVoid = 0, bottomContact = 0
    var tcSum = 0, tiSum = 0, biSum = 0, bcSum = 0
    var topMap = [UInt8](repeating: 0, count: n), bottomMap = [UInt8](repeating: 0, count: n)
    for c in 0..<n {
        let tc = Int(cols.topCollector[c]), ti = Int(cols.topInterface[c])
        let bi = Int(cols.bottomInterface[c]), bc = Int(cols.bottomCollector[c])
        let tv = Int(cols.topVoid[c]), bv = Int(cols.bottomVoid[c])
        topLi += ti - tc - tv; topVoid += tv
        bottomLi += bc - bi - bv; bottomVoid += bv
        if tv == 0 { topContact += 1; topMap[c] = 1 }
        if bv == 0 { bottomContact += 1; bottomMap[c] = 1 }
        tcSum += tc; tiSum += ti; biSum += bi; bcSum += bc
    }
    func mean(_ s: Int) -> Double { Double(s) / Double(n) * voxelUm }
    let top = ElectrodeMeasurements(lithiumVoxels: topLi, voidVoxels: topVoid, lithiumColumns: n,
                                    contactPixels: topContact, interfaceZUm: mean(tiSum), collectorZUm: mean(tcSum),
                                    voxelUm: voxelUm, columnCount: n,
                                    contactMap: ContactMap(width: size.x, height: size.y, pixels: topMap))
    let bottom = ElectrodeMeasurements(lithiumVoxels: bottomLi, voidVoxels: bottomVoid, lithiumColumns: n,
                                       contactPixels: bottomContact, interfaceZUm: mean(biSum), collectorZUm: mean(bcSum),
                                       voxelUm: voxelUm, columnCount: n,
                                       contactMap: ContactMap(width: size.x, height: size.y, pixels: bottomMap))
    return SegmentationResult(top: top, bottom: bottom, voxelUm: voxelUm, size: size, bulkPoreVoxels: bulkPores,
                              stackThicknessUm: mean(bcSum - tcSum), thresholds: .paperDefaults, elapsedS: 0)
}

/// Raw pointers shared by the fill workers; each writes only its own slices.
private struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ p: UnsafeMutablePointer<Float>) { pointer = p }
}

private struct SendableGeometry: @unchecked Sendable {
    let tc, ti, bi, bc, tv, bv: UnsafePointer<Int32>
    let gauss: UnsafePointer<Float>
}
