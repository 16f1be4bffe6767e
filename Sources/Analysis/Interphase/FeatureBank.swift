import Dispatch

/// Features of one z-slab, handed to the consumer of `FeatureBank.forEachSlab`.
/// Valid only during the callback (the buffer is the worker's scratch, reused for its next slab).
struct FeatureSlab {
    /// Slices [zStart, zEnd) of the volume.
    let zStart: Int
    let zEnd: Int
    /// Voxels per slice (X·Y).
    let plane: Int
    /// Feature f of slab voxel i (i = x + X·(y + Y·(z − zStart))) is `features[f * stride + i]`.
    let features: UnsafePointer<Float>
    let stride: Int
    var voxelCount: Int { plane * (zEnd - zStart) }
    /// Index in the whole volume of the slab's first voxel.
    var firstVoxel: Int { zStart * plane }
}

/// The 3-D filter bank, computed slab by slab with a halo so memory stays bounded by the slab
/// size whatever the volume size. Borders replicate the edge voxel. Slabs are spread over
/// `threads` workers; each worker allocates its scratch once and reuses it for all its slabs.
enum FeatureBank {
    /// Slab thickness in slices: about `voxelBudget` voxels per slab, and enough slabs for
    /// every worker to get two.
    static func slabThickness(size: VolumeSize, threads: Int, voxelBudget: Int) -> Int {
        let byBudget = Swift.max(2, voxelBudget / Swift.max(1, size.columnCount))
        let byWorkers = Swift.max(2, (size.z + 2 * threads - 1) / (2 * threads))
        return Swift.max(1, Swift.min(size.z, byBudget, byWorkers))
    }

    /// Calls `body` once per slab (concurrently from up to `threads` workers; slabs in no set
    /// order). `wanted(zStart, zEnd)` can skip slabs nobody needs (e.g. without labels).
    static func forEachSlab(
        _ volume: Volume<Float>, settings: FeatureBankSettings, threads: Int,
        voxelBudget: Int = 1 << 20,
        wanted: @Sendable (Int, Int) -> Bool = { _, _ in true },
        body: @Sendable (FeatureSlab) -> Void
    ) {
        let size = volume.size
        guard size.voxelCount > 0 else { return }
        let thickness = slabThickness(size: size, threads: threads, voxelBudget: voxelBudget)
        let slabStarts = Swift.stride(from: 0, to: size.z, by: thickness).filter {
            wanted($0, Swift.min(size.z, $0 + thickness))
        }
        guard !slabStarts.isEmpty else { return }
        let workers = Swift.max(1, Swift.min(threads, slabStarts.count))
        volume.voxels.withUnsafeBufferPointer { voxels in
            let source = SharedPointer(voxels.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let scratch = FeatureScratch(size: size, thickness: thickness, settings: settings)
                defer { scratch.deallocate() }
                var s = worker
                while s < slabStarts.count {
                    let z0 = slabStarts[s], z1 = Swift.min(size.z, z0 + thickness)
                    scratch.compute(source: source.pointer, zStart: z0, zEnd: z1)
                    body(FeatureSlab(zStart: z0, zEnd: z1, plane: size.columnCount,
                                     features: UnsafePointer(scratch.features), stride: scratch.featureStride))
                    s += workers
                }
            }
        }
    }
}

/// A pointer shared read-only (or written at disjoint indices) by the workers.
struct SharedPointer<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>
    init(_ p: UnsafePointer<T>) { pointer = p }
}

struct SharedMutablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { pointer = p }
}

/// One worker's buffers and the filter arithmetic. Every loop runs over contiguous rows so
/// the release build vectorises it; nothing is allocated per voxel or per slab.
struct FeatureScratch {
    let size: VolumeSize
    let thickness: Int
    let sigmas: [Double]
    let kernels: [[Float]]
    let maxRadius: Int
    let featureCount: Int
    let featureStride: Int
    /// features[f * featureStride + i], i within the slab.
    let features: UnsafeMutablePointer<Float>
    /// x- and y-filtered input slices, for the z pass (thickness + 2·radius + 2 slices).
    let xyFiltered: UnsafeMutablePointer<Float>
    /// One x-filtered slice.
    let xFiltered: UnsafeMutablePointer<Float>
    /// One padded row for the x pass.
    let paddedRow: UnsafeMutablePointer<Float>
    /// The current σ's blur on the slab's slices plus one each side (thickness + 2).
    let blurred: UnsafeMutablePointer<Float>

    init(size: VolumeSize, thickness: Int, settings: FeatureBankSettings) {
        self.size = size
        self.thickness = thickness
        sigmas = settings.sigmas
        kernels = settings.sigmas.map { sigma in
            let r = FeatureBankSettings.radius(sigma)
            var w = (-r...r).map { k in Float(Foundation_exp(-Double(k * k) / (2 * sigma * sigma))) }
            let total = w.reduce(0, +)
            for i in w.indices { w[i] /= total }
            return w
        }
        maxRadius = settings.sigmas.map(FeatureBankSettings.radius).max() ?? 1
        featureCount = settings.featureCount
        let plane = size.columnCount
        featureStride = plane * thickness
        features = .allocate(capacity: featureCount * featureStride)
        xyFiltered = .allocate(capacity: plane * Swift.min(size.z, thickness + 2 * maxRadius + 2))
        xFiltered = .allocate(capacity: plane)
        paddedRow = .allocate(capacity: size.x + 2 * maxRadius)
        blurred = .allocate(capacity: plane * (thickness + 2))
    }

    func deallocate() {
        features.deallocate(); xyFiltered.deallocate(); xFiltered.deallocate()
        paddedRow.deallocate(); blurred.deallocate()
    }

    /// Fills `features` for slices [zStart, zEnd).
    func compute(source: UnsafePointer<Float>, zStart: Int, zEnd: Int) {
        let plane = size.columnCount
        let n = sigmas.count
        let count = plane * (zEnd - zStart)
        // Raw intensity.
        features.update(from: source + zStart * plane, count: count)
        for (s, kernel) in kernels.enumerated() {
            let gauss = features + (1 + s) * featureStride
            let gradient = features + (2 * n + s) * featureStride
            let laplacian = features + (3 * n + s) * featureStride
            let variance = features + (4 * n + s) * featureStride
            // Blur on the slab plus one slice each side (clamped at the volume's faces).
            blur(source: source, squared: false, kernel: kernel, zFirst: zStart - 1, sliceCount: zEnd - zStart + 2, into: blurred)
            gauss.update(from: blurred + plane, count: count)
            differentiate(slices: zEnd - zStart, gradient: gradient, laplacian: laplacian)
            // Local variance: E[v²] − E[v]², with the same weights.
            blur(source: source, squared: true, kernel: kernel, zFirst: zStart, sliceCount: zEnd - zStart, into: blurred)
            for i in 0..<count {
                let m = gauss[i]
                variance[i] = Swift.max(0, blurred[i] - m * m)
            }
        }
        // Differences of consecutive Gaussians.
        for s in 0..<Swift.max(0, n - 1) {
            let fine = features + (1 + s) * featureStride, coarse = features + (2 + s) * featureStride
            let dog = features + (1 + n + s) * featureStride
            for i in 0..<count { dog[i] = fine[i] - coarse[i] }
        }
    }

    /// Separable Gaussian of the volume (or of its square) on slices zFirst ..< zFirst + sliceCount,
    /// each clamped into the volume, written contiguously to `output`.
    private func blur(source: UnsafePointer<Float>, squared: Bool, kernel: [Float],
                      zFirst: Int, sliceCount: Int, into output: UnsafeMutablePointer<Float>) {
        let X = size.x, Y = size.y, Z = size.z, plane = size.columnCount
        let r = kernel.count / 2
        let lowestInput = Swift.max(0, Swift.min(Z - 1, zFirst) - r)
        let highestInput = Swift.min(Z - 1, Swift.max(0, zFirst + sliceCount - 1) + r)
        kernel.withUnsafeBufferPointer { w in
            // x then y pass on every input slice the z pass will read.
            for zi in lowestInput...highestInput {
                let slice = source + zi * plane
                for y in 0..<Y {
                    let row = slice + y * X
                    let pad = paddedRow
                    let left = row[0], right = row[X - 1]
                    for k in 0..<r { pad[k] = left; pad[r + X + k] = right }
                    for x in 0..<X { pad[r + x] = row[x] }
                    if squared {
                        for k in 0..<(X + 2 * r) { pad[k] = pad[k] * pad[k] }
                    }
                    let out = xFiltered + y * X
                    let w0 = w[0]
                    for x in 0..<X { out[x] = w0 * pad[x] }
                    for k in 1..<w.count {
                        let wk = w[k], shifted = pad + k
                        for x in 0..<X { out[x] += wk * shifted[x] }
                    }
                }
                let target = xyFiltered + (zi - lowestInput) * plane
                for y in 0..<Y {
                    let out = target + y * X
                    for x in 0..<X { out[x] = 0 }
                    for k in 0..<w.count {
                        let yy = Swift.min(Y - 1, Swift.max(0, y + k - r))
                        let wk = w[k], src = xFiltered + yy * X
                        for x in 0..<X { out[x] += wk * src[x] }
                    }
                }
            }
            // z pass.
            for o in 0..<sliceCount {
                let z = Swift.min(Z - 1, Swift.max(0, zFirst + o))
                let out = output + o * plane
                for i in 0..<plane { out[i] = 0 }
                for k in 0..<w.count {
                    let zz = Swift.min(Z - 1, Swift.max(0, z + k - r))
                    let wk = w[k], src = xyFiltered + (zz - lowestInput) * plane
                    for i in 0..<plane { out[i] += wk * src[i] }
                }
            }
        }
    }

    /// Gradient magnitude and Laplacian (central differences) of `blurred`, whose slice 0 and
    /// slice `slices + 1` are the neighbours above and below the slab.
    private func differentiate(slices: Int, gradient: UnsafeMutablePointer<Float>, laplacian: UnsafeMutablePointer<Float>) {
        let X = size.x, Y = size.y, plane = size.columnCount
        for s in 0..<slices {
            let above = blurred + s * plane, centre = blurred + (s + 1) * plane, below = blurred + (s + 2) * plane
            for y in 0..<Y {
                let c = centre + y * X
                let north = centre + Swift.max(0, y - 1) * X, south = centre + Swift.min(Y - 1, y + 1) * X
                let up = above + y * X, down = below + y * X
                let g = gradient + s * plane + y * X, l = laplacian + s * plane + y * X
                @inline(__always) func at(_ x: Int, _ xm: Int, _ xp: Int) {
                    let gx = (c[xp] - c[xm]) * 0.5, gy = (south[x] - north[x]) * 0.5, gz = (down[x] - up[x]) * 0.5
                    g[x] = (gx * gx + gy * gy + gz * gz).squareRoot()
                    l[x] = c[xp] + c[xm] + south[x] + north[x] + down[x] + up[x] - 6 * c[x]
                }
                if X == 1 { at(0, 0, 0); continue }
                at(0, 0, 1)
                if X > 2 { for x in 1..<(X - 1) { at(x, x - 1, x + 1) } }
                at(X - 1, X - 2, X - 1)
            }
        }
    }
}
