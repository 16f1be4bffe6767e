import CTIFF
import Foundation

/// A box of voxels to read: half-open ranges in x, y, z (z = page or file index).
public struct VolumeRegion: Sendable, Equatable {
    public var x: Range<Int>
    public var y: Range<Int>
    public var z: Range<Int>
    public init(x: Range<Int>, y: Range<Int>, z: Range<Int>) {
        self.x = x
        self.y = y
        self.z = z
    }
    public var size: VolumeSize { VolumeSize(x: x.count, y: y.count, z: z.count) }
}

/// Reads TIFF stacks through libtiff: a multi-page file (one page per z slice) or a folder
/// of single-slice files (sorted by name). Samples: 8/16/32-bit unsigned or signed
/// integers and 32-bit floats, one sample per pixel, strips or tiles, any compression
/// libtiff decodes. Converts to `Scalar` (clamping) and crops to `region` while reading,
/// so only the region is ever held in memory.
public enum TIFFVolumeReader {
    /// Reads `path` (file or folder) as a volume; all pages must share width and height.
    /// `progress` gets the fraction of slices read after each slice (on the caller's thread).
    public static func read<Scalar: VoxelScalar>(
        path: String, as _: Scalar.Type = Scalar.self, region: VolumeRegion? = nil,
        progress: ((Double) -> Void)? = nil
    ) throws -> Volume<Scalar> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw VolumeFileError.cannotOpen(path: path, reason: "no such file or directory")
        }
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { let l = $0.lowercased(); return l.hasSuffix(".tif") || l.hasSuffix(".tiff") }
                .sorted()
            guard !names.isEmpty else { throw VolumeFileError.cannotOpen(path: path, reason: "folder has no .tif/.tiff files") }
            let files = names.map { (path as NSString).appendingPathComponent($0) }
            return try readPages(count: files.count, region: region, sourcePath: path, progress: progress) { z in
                (try TIFFFile(path: files[z]), 0, files[z])
            }
        }
        let file = try TIFFFile(path: path)
        let pages = ctiff_page_count(file.handle)
        guard pages > 0 else { throw file.error(page: nil, "cannot read the page directory chain") }
        return try readPages(count: Int(pages), region: region, sourcePath: path, progress: progress) { z in (file, z, path) }
    }

    /// Shared page loop: `open(z)` gives the file, its page index and the path for errors.
    static func readPages<Scalar: VoxelScalar>(
        count: Int, region: VolumeRegion?, sourcePath: String, progress: ((Double) -> Void)?,
        open: (Int) throws -> (TIFFFile, Int, String)
    ) throws -> Volume<Scalar> {
        let (firstFile, firstPage, firstPath) = try open(0)
        let first = try firstFile.select(page: firstPage, path: firstPath)
        let full = VolumeRegion(x: 0..<Int(first.width), y: 0..<Int(first.height), z: 0..<count)
        let roi = region ?? full
        guard roi.x.lowerBound >= 0, roi.y.lowerBound >= 0, roi.z.lowerBound >= 0,
              roi.x.upperBound <= full.x.upperBound, roi.y.upperBound <= full.y.upperBound,
              roi.z.upperBound <= count, !roi.x.isEmpty, !roi.y.isEmpty, !roi.z.isEmpty else {
            throw VolumeFileError.invalidRegion(path: sourcePath,
                reason: "region x \(roi.x) y \(roi.y) z \(roi.z) not inside the stack's \(full.x.count)×\(full.y.count)×\(count)")
        }
        let size = roi.size
        var voxels = [Scalar](repeating: Scalar(clampingFloat: 0), count: size.voxelCount)
        var row = [UInt8]()
        for (k, z) in roi.z.enumerated() {
            let (file, page, pagePath) = try open(z)
            let info = try file.select(page: page, path: pagePath)
            guard info.width == first.width, info.height == first.height else {
                throw VolumeFileError.tiff(path: pagePath, page: page,
                    reason: "page is \(info.width)×\(info.height), the stack's first page is \(first.width)×\(first.height)")
            }
            let format = try SampleFormat(info, path: pagePath, page: page)
            let sliceSamples = size.x * size.y
            row = [UInt8](repeating: 0, count: sliceSamples * format.bytes)
            let status = row.withUnsafeMutableBytes { raw in
                ctiff_read_region(file.handle, UInt32(roi.y.lowerBound), UInt32(size.y),
                                  UInt32(roi.x.lowerBound), UInt32(size.x), raw.baseAddress)
            }
            guard status == 0 else { throw file.error(page: page, "cannot read pixel data (truncated or corrupt?)", path: pagePath) }
            voxels.withUnsafeMutableBufferPointer { dst in
                row.withUnsafeBytes { src in
                    format.convert(src, into: UnsafeMutableBufferPointer(rebasing: dst[(k * sliceSamples)..<((k + 1) * sliceSamples)]))
                }
            }
            progress?(Double(k + 1) / Double(size.z))
        }
        return try Volume(size: size, voxels: voxels)
    }
}

/// An open libtiff handle, closed on deinit.
final class TIFFFile {
    let handle: UnsafeMutableRawPointer
    let path: String

    init(path: String) throws {
        guard let h = ctiff_open(path) else {
            let message = String(cString: ctiff_last_error())
            throw VolumeFileError.tiff(path: path, page: nil, reason: message.isEmpty ? "cannot open as TIFF" : message)
        }
        handle = h
        self.path = path
    }

    deinit { ctiff_close(handle) }

    func select(page: Int, path: String) throws -> ctiff_page_info {
        var info = ctiff_page_info()
        guard ctiff_select_page(handle, Int32(page), &info) == 0 else {
            throw error(page: page, "cannot read page directory", path: path)
        }
        return info
    }

    func error(page: Int?, _ what: String, path: String? = nil) -> VolumeFileError {
        let detail = String(cString: ctiff_last_error())
        ctiff_clear_error()
        return .tiff(path: path ?? self.path, page: page, reason: detail.isEmpty ? what : "\(what): \(detail)")
    }
}

/// Sample layouts the reader converts.
enum SampleFormat {
    case uint8, int8, uint16, int16, uint32, int32, float32

    var bytes: Int {
        switch self {
        case .uint8, .int8: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        }
    }

    init(_ info: ctiff_page_info, path: String, page: Int) throws {
        guard info.samples_per_pixel == 1 else {
            throw VolumeFileError.tiff(path: path, page: page, reason: "\(info.samples_per_pixel) samples per pixel; only greyscale (1) is supported")
        }
        switch (info.sample_format, info.bits_per_sample) {
        case (1, 8), (4, 8): self = .uint8
        case (2, 8): self = .int8
        case (1, 16), (4, 16): self = .uint16
        case (2, 16): self = .int16
        case (1, 32), (4, 32): self = .uint32
        case (2, 32): self = .int32
        case (3, 32): self = .float32
        default:
            throw VolumeFileError.tiff(path: path, page: page,
                reason: "unsupported sample format \(info.sample_format) with \(info.bits_per_sample) bits (want 8/16/32-bit integers or float32)")
        }
    }

    /// Native-endian samples (libtiff swaps) to `Scalar`; same type copies directly.
    func convert<Scalar: VoxelScalar>(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableBufferPointer<Scalar>) {
        if bytes == Scalar.byteWidth,
           (self == .float32 && Scalar.self == Float.self) || (self == .uint16 && Scalar.self == UInt16.self)
            || (self == .uint8 && Scalar.self == UInt8.self) {
            UnsafeMutableRawBufferPointer(dst).copyMemory(from: src)
            return
        }
        func each<T>(_ type: T.Type, _ f: (T) -> Float) {
            let typed = src.bindMemory(to: T.self)
            for i in 0..<dst.count { dst[i] = Scalar(clampingFloat: f(typed[i])) }
        }
        switch self {
        case .uint8: each(UInt8.self) { Float($0) }
        case .int8: each(Int8.self) { Float($0) }
        case .uint16: each(UInt16.self) { Float($0) }
        case .int16: each(Int16.self) { Float($0) }
        case .uint32: each(UInt32.self) { Float($0) }
        case .int32: each(Int32.self) { Float($0) }
        case .float32: each(Float.self) { $0 }
        }
    }
}
