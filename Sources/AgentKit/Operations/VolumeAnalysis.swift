import Analysis
import Foundation

/// `cellpress analyze` and `cellpress synth`: reading a volume, choosing thresholds,
/// segmenting, and writing synthetic volumes with their truth.
public enum VolumeAnalysis {
    public typealias DataType = VoxelDataType

    public struct Request: Sendable {
        public var path: String
        /// Needed for raw files; TIFF stacks carry their own.
        public var size: VolumeSize?
        public var dataType: DataType
        public var byteOrder: ByteOrder
        public var voxelMicrometres: Double
        /// nil: chosen from the histogram.
        public var thresholds: SegmentationThresholds?
        public var threads: Int
        public init(path: String, size: VolumeSize?, dataType: DataType, byteOrder: ByteOrder = .little,
                    voxelMicrometres: Double, thresholds: SegmentationThresholds?, threads: Int) {
            self.path = path; self.size = size; self.dataType = dataType; self.byteOrder = byteOrder
            self.voxelMicrometres = voxelMicrometres; self.thresholds = thresholds; self.threads = threads
        }
    }

    public struct Outcome: Sendable {
        public var result: SegmentationResult
        /// How the thresholds were chosen: "given" or a description of the automatic choice.
        public var thresholdSource: String
        public var readSeconds: Double
    }

    /// A TIFF stack: a .tif/.tiff file or a folder of slices.
    public static func isTIFF(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return true }
        let lower = path.lowercased()
        return lower.hasSuffix(".tif") || lower.hasSuffix(".tiff")
    }

    /// - Parameter progress: called with (stage, fraction 0…1) while reading and segmenting.
    public static func analyze(_ request: Request, progress: (@Sendable (String, Double) -> Void)? = nil) throws -> Outcome {
        let started = DispatchTime.now().uptimeNanoseconds
        let volume: AnyVolume
        if isTIFF(request.path) {
            volume = try AnyVolume.readTIFF(path: request.path, dtype: request.dataType, progress: progress.map { report in { report("reading", $0) } })
        } else {
            guard let size = request.size else {
                throw VolumeFileError.cannotOpen(path: request.path, reason: "a raw volume needs its size (--size X,Y,Z)")
            }
            volume = try AnyVolume.readRaw(path: request.path, size: size, dtype: request.dataType, byteOrder: request.byteOrder)
        }
        let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let chosen: SegmentationThresholds
        let source: String
        if let thresholds = request.thresholds {
            (chosen, source) = (thresholds, "given")
        } else {
            let report = try volume.autoThresholds()
            chosen = report.thresholds
            source = describe(report)
        }
        let result = try volume.segment(thresholds: chosen, voxelUm: request.voxelMicrometres, threads: request.threads,
                                        progress: progress.map { report in { @Sendable fraction in report("segmenting", fraction) } })
        return Outcome(result: result, thresholdSource: source, readSeconds: readSeconds)
    }

    static func describe(_ report: AutoThresholdReport) -> String {
        String(format: "automatic (3-level Otsu: %@; lithium peak %.3f)",
               report.otsu.map { String(format: "%.3f", $0) }.joined(separator: ", "), report.lithiumPeak)
    }

    /// Segments a volume already in memory.
    public static func analyze<Scalar: VoxelScalar>(_ volume: Volume<Scalar>, voxelMicrometres: Double,
                                                    thresholds: SegmentationThresholds?, threads: Int,
                                                    readSeconds: Double = 0) throws -> Outcome {
        let chosen: SegmentationThresholds
        let source: String
        if let thresholds {
            chosen = thresholds
            source = "given"
        } else {
            let report = try autoThresholds(volume)
            chosen = report.thresholds
            source = describe(report)
        }
        let result = try segment(volume, thresholds: chosen, voxelUm: voxelMicrometres, threads: threads)
        return Outcome(result: result, thresholdSource: source, readSeconds: readSeconds)
    }

    public static func json(_ result: SegmentationResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    public static func text(_ outcome: Outcome) -> String {
        let r = outcome.result
        var lines = [
            "volume \(r.size.map(String.init).joined(separator: "×")) voxels of \(r.voxelUm) µm",
            String(format: "thresholds: void < %.3f, lithium < %.3f, interphase > %.3f (%@)",
                   r.thresholds.voidMax, r.thresholds.lithiumMax, r.thresholds.interphaseMin, outcome.thresholdSource),
        ]
        for (name, e) in [("top", r.top), ("bottom", r.bottom)] {
            lines.append(String(format: "%@: lithium %.4g µm³ (%d voxels), voids %.4g µm³, contact %.4g µm² = %.1f %% of %d columns, interface at %.1f µm, collector at %.1f µm",
                                name, e.lithiumVolumeUm3, e.lithiumVoxels, e.voidVolumeUm3, e.contactAreaUm2,
                                e.contactFraction * 100, e.lithiumColumns, e.interfaceZUm, e.collectorZUm))
        }
        lines.append(String(format: "stack thickness %.1f µm; bulk pores %d voxels; segmentation %.3f s, reading %.3f s",
                            r.stackThicknessUm, r.bulkPoreVoxels, r.elapsedS, outcome.readSeconds))
        return lines.joined(separator: "\n")
    }

    /// Parses "X,Y,Z".
    public static func parseSize(_ text: String) -> VolumeSize? {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let x = parts[0], let y = parts[1], let z = parts[2], x > 0, y > 0, z > 0 else { return nil }
        return VolumeSize(x: x, y: y, z: z)
    }

    /// Writes a synthetic volume (raw float32, little-endian) and its truth JSON beside it.
    public static func writeSynthetic(_ parameters: SyntheticVolumeParameters, path: String) throws -> (truthPath: String, truth: SegmentationResult) {
        let (volume, truth) = try generateSyntheticVolume(parameters)
        try RawVolumeIO.write(volume, path: path)
        let truthPath = (path.hasSuffix(".raw") ? String(path.dropLast(4)) : path) + ".truth.json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var document = try JSONSerialization.jsonObject(with: encoder.encode(truth)) as! [String: Any]
        document["parameters"] = try JSONSerialization.jsonObject(with: encoder.encode(parameters))
        try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: truthPath))
        return (truthPath, truth)
    }
}
