import Dispatch
import Foundation

/// Columns per slab: the slab's state (~100 B/column) and three slices of it stay in L2.
let segmentationSlabColumns = 1024

/// Segments a volume with the paper's column-wise rules (SCIENCE.md, "Segmentation
/// conventions"): lithium runs, contact, interfacial voids and bulk pores for the top and
/// the bottom electrode. One pass over the voxels; `threads` workers take slabs of columns.
/// - Parameters:
///   - voxelUm: voxel edge length in µm (1.7 at 2-BM).
///   - threads: worker count (≥ 1).
///   - progress: called with the fraction done (0...1] after each slab of columns, from the
///     worker threads; keep it cheap (e.g. redraw a terminal bar when the percent changes).
// Specialised so callers in other modules (which see only the generic entry point) get
// the concrete voxel loads instead of witness-table calls per voxel.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == UInt16)
@_specialize(where Scalar == UInt8)
public func segment<Scalar: VoxelScalar>(
    _ volume: Volume<Scalar>, thresholds: SegmentationThresholds, voxelUm: Double, threads: Int = 1,
    progress: (@Sendable (Double) -> Void)? = nil
) throws -> SegmentationResult {
    try thresholds.validate()
    guard voxelUm.isFinite, voxelUm > 0 else { throw SegmentationError.invalidVoxelSize(voxelUm) }
    let size = volume.size
    guard size.z >= 4 else { throw SegmentationError.volumeTooThin(z: size.z) }
    let started = DispatchTime.now().uptimeNanoseconds

    let columns = size.columnCount
    let slabCount = (columns + segmentationSlabColumns - 1) / segmentationSlabColumns
    let workers = Swift.max(1, Swift.min(threads, slabCount))
    var topPixels = [UInt8](repeating: 0, count: columns)
    var bottomPixels = [UInt8](repeating: 0, count: columns)
    var perWorker = [SlabTotals](repeating: SlabTotals(), count: workers)
    let slabsDone = SlabCounter()

    volume.voxels.withUnsafeBufferPointer { vox in
        topPixels.withUnsafeMutableBufferPointer { topBuf in
            bottomPixels.withUnsafeMutableBufferPointer { bottomBuf in
                perWorker.withUnsafeMutableBufferPointer { totalsBuf in
                    // Each worker writes only its own slabs' map pixels and its own totals.
                    let job = SlabJob(voxels: vox.baseAddress!, top: topBuf.baseAddress!,
                                      bottom: bottomBuf.baseAddress!, totals: totalsBuf.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        let state = UnsafeMutablePointer<ColumnState>.allocate(capacity: segmentationSlabColumns)
                        defer { state.deallocate() }
                        var totals = SlabTotals()
                        var slab = worker
                        while slab < slabCount {
                            let c0 = slab * segmentationSlabColumns
                            let c1 = Swift.min(columns, c0 + segmentationSlabColumns)
                            totals.add(segmentSlab(voxels: job.voxels, size: size, c0: c0, c1: c1,
                                                   thresholds: thresholds, state: state,
                                                   topMap: job.top, bottomMap: job.bottom))
                            slab += workers
                            if let progress {
                                progress(Double(slabsDone.increment()) / Double(slabCount))
                            }
                        }
                        job.totals[worker] = totals
                    }
                }
            }
        }
    }
    var t = SlabTotals()
    for w in perWorker { t.add(w) }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9

    func mean(_ sum: Int, _ n: Int) -> Double { n > 0 ? Double(sum) / Double(n) * voxelUm : 0 }
    let top = ElectrodeMeasurements(
        lithiumVoxels: t.topLithium, voidVoxels: t.topVoid, lithiumColumns: t.topColumns,
        contactPixels: t.topContact, interfaceZUm: mean(t.topEndSum, t.topColumns),
        collectorZUm: mean(t.topStartSum, t.topColumns), voxelUm: voxelUm, columnCount: columns,
        contactMap: ContactMap(width: size.x, height: size.y, pixels: topPixels))
    let bottom = ElectrodeMeasurements(
        lithiumVoxels: t.bottomLithium, voidVoxels: t.bottomVoid, lithiumColumns: t.bottomColumns,
        contactPixels: t.bottomContact, interfaceZUm: mean(t.bottomInterfaceSum, t.bottomColumns),
        collectorZUm: mean(t.bottomCollectorSum, t.bottomColumns), voxelUm: voxelUm,
        columnCount: columns,
        contactMap: ContactMap(width: size.x, height: size.y, pixels: bottomPixels))
    return SegmentationResult(top: top, bottom: bottom, voxelUm: voxelUm, size: size,
                              bulkPoreVoxels: t.bulkPores,
                              stackThicknessUm: mean(t.stackSum, t.stackColumns),
                              thresholds: thresholds, elapsedS: elapsed)
}

/// Raw pointers handed to the workers; each worker touches disjoint columns and its own
/// totals slot, and the buffers outlive concurrentPerform.
private struct SlabJob<Scalar: VoxelScalar>: @unchecked Sendable {
    let voxels: UnsafePointer<Scalar>
    let top: UnsafeMutablePointer<UInt8>
    let bottom: UnsafeMutablePointer<UInt8>
    let totals: UnsafeMutablePointer<SlabTotals>
}

/// Slabs finished so far, shared by the workers for progress reports.
private final class SlabCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0   // guarded by lock

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
