import Foundation

/// Errors from reading or writing volume files; each says which file and what was wrong.
public enum VolumeFileError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case wrongByteCount(path: String, expectedBytes: Int, actualBytes: Int)
    case dtypeMismatch(path: String, fileDtype: String, requested: String)
    case cannotWrite(path: String, reason: String)
    case tiff(path: String, page: Int?, reason: String)
    case invalidRegion(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot open: \(reason)"
        case let .wrongByteCount(path, expected, actual):
            return "\(path): size mismatch: expected \(expected) bytes for the given dimensions and dtype, file has \(actual) bytes"
        case let .dtypeMismatch(path, fileDtype, requested):
            return "\(path): file holds \(fileDtype) voxels, \(requested) was requested"
        case let .cannotWrite(path, reason): return "\(path): cannot write: \(reason)"
        case let .tiff(path, page, reason):
            if let page { return "\(path): page \(page): \(reason)" }
            return "\(path): \(reason)"
        case let .invalidRegion(path, reason): return "\(path): invalid region of interest: \(reason)"
        }
    }
}

/// Reads and writes headerless raw volumes (x fastest, then y, then z).
public enum RawVolumeIO {
    /// Reads a raw file of `size` voxels of type `Scalar` in `byteOrder`.
    /// Throws `wrongByteCount` (expected vs actual bytes) when the file size does not match.
    public static func read<Scalar: VoxelScalar>(
        path: String, size: VolumeSize, as _: Scalar.Type = Scalar.self,
        byteOrder: ByteOrder = .little
    ) throws -> Volume<Scalar> {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw VolumeFileError.cannotOpen(path: path, reason: error.localizedDescription)
        }
        let expected = size.voxelCount * Scalar.byteWidth
        guard data.count == expected else {
            throw VolumeFileError.wrongByteCount(path: path, expectedBytes: expected, actualBytes: data.count)
        }
        var voxels = [Scalar](unsafeUninitializedCapacity: size.voxelCount) { buffer, initialized in
            data.withUnsafeBytes { raw in
                let dst = UnsafeMutableRawBufferPointer(buffer)
                dst.copyMemory(from: raw)
            }
            initialized = size.voxelCount
        }
        if needsSwap(byteOrder) { swapBytes(&voxels) }
        return try Volume(size: size, voxels: voxels)
    }

    /// Reads only `region` of a raw file of `size` voxels: one band of rows per slice is
    /// read at a time, so memory stays bounded by the region. The whole file's size is
    /// still checked against `size`.
    public static func read<Scalar: VoxelScalar>(
        path: String, size: VolumeSize, region: VolumeRegion, as _: Scalar.Type = Scalar.self,
        byteOrder: ByteOrder = .little
    ) throws -> Volume<Scalar> {
        let width = Scalar.byteWidth
        let expected = size.voxelCount * width
        let actual: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            actual = (attributes[.size] as? NSNumber)?.intValue ?? -1
        } catch {
            throw VolumeFileError.cannotOpen(path: path, reason: error.localizedDescription)
        }
        guard actual == expected else {
            throw VolumeFileError.wrongByteCount(path: path, expectedBytes: expected, actualBytes: actual)
        }
        guard region.x.lowerBound >= 0, region.y.lowerBound >= 0, region.z.lowerBound >= 0,
              region.x.upperBound <= size.x, region.y.upperBound <= size.y, region.z.upperBound <= size.z,
              !region.x.isEmpty, !region.y.isEmpty, !region.z.isEmpty else {
            throw VolumeFileError.invalidRegion(path: path,
                reason: "region x \(region.x) y \(region.y) z \(region.z) not inside \(size)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw VolumeFileError.cannotOpen(path: path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let out = region.size
        var voxels = [Scalar](repeating: Scalar(clampingFloat: 0), count: out.voxelCount)
        let bandBytes = region.y.count * size.x * width
        for (k, z) in region.z.enumerated() {
            let offset = ((z * size.y + region.y.lowerBound) * size.x) * width
            let band: Data
            do {
                try handle.seek(toOffset: UInt64(offset))
                band = try handle.read(upToCount: bandBytes) ?? Data()
            } catch {
                throw VolumeFileError.cannotOpen(path: path, reason: "read at byte \(offset): \(error.localizedDescription)")
            }
            guard band.count == bandBytes else {
                throw VolumeFileError.wrongByteCount(path: path, expectedBytes: offset + bandBytes, actualBytes: offset + band.count)
            }
            voxels.withUnsafeMutableBytes { dst in
                band.withUnsafeBytes { src in
                    for row in 0..<region.y.count {
                        let from = (row * size.x + region.x.lowerBound) * width
                        let to = ((k * out.y + row) * out.x) * width
                        UnsafeMutableRawBufferPointer(rebasing: dst[to..<(to + out.x * width)])
                            .copyMemory(from: UnsafeRawBufferPointer(rebasing: src[from..<(from + out.x * width)]))
                    }
                }
            }
        }
        if needsSwap(byteOrder) { swapBytes(&voxels) }
        return try Volume(size: out, voxels: voxels)
    }

    /// Writes the volume's voxels as a raw file in `byteOrder`.
    public static func write<Scalar: VoxelScalar>(
        _ volume: Volume<Scalar>, path: String, byteOrder: ByteOrder = .little
    ) throws {
        var voxels = volume.voxels
        if needsSwap(byteOrder) { swapBytes(&voxels) }
        let data = voxels.withUnsafeBytes { Data($0) }
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw VolumeFileError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    static func needsSwap(_ order: ByteOrder) -> Bool {
        #if _endian(little)
        return order == .big
        #else
        return order == .little
        #endif
    }

    /// Reverses the bytes of each voxel in place.
    static func swapBytes<Scalar: VoxelScalar>(_ voxels: inout [Scalar]) {
        let width = Scalar.byteWidth
        guard width > 1 else { return }
        voxels.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                var lo = offset, hi = offset + width - 1
                while lo < hi {
                    raw.swapAt(lo, hi)
                    lo += 1
                    hi -= 1
                }
                offset += width
            }
        }
    }
}
