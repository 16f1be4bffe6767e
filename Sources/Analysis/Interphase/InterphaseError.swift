/// Errors from labelling, training and applying the interphase classifier; each names what
/// was wrong and where (file, line, class, voxel).
public enum InterphaseError: Error, Equatable, CustomStringConvertible {
    case invalidSettings(String)
    case labelSizeMismatch(path: String, labelSize: VolumeSize, volumeSize: VolumeSize)
    case labelOutOfRange(path: String, value: Int, x: Int, y: Int, z: Int, classCount: Int)
    case emptyClass(name: String)
    case unknownClass(name: String, path: String, line: Int, known: [String])
    case boxFile(path: String, line: Int, reason: String)
    case noLabels(path: String)
    case model(path: String, reason: String)
    case volumeSizeMismatch(expected: VolumeSize, actual: VolumeSize)
    case noInterphaseClass(classes: [String])

    public var description: String {
        switch self {
        case let .invalidSettings(reason): return "interphase: \(reason)"
        case let .labelSizeMismatch(path, labelSize, volumeSize):
            return "\(path): label volume is \(labelSize) but the image volume is \(volumeSize)"
        case let .labelOutOfRange(path, value, x, y, z, count):
            return "\(path): label \(value) at voxel (\(x), \(y), \(z)) but only \(count) classes are named (labels 1...\(count), 0 = unlabelled)"
        case let .emptyClass(name): return "class \"\(name)\" has no labelled voxels"
        case let .unknownClass(name, path, line, known):
            return "\(path):\(line): unknown class \"\(name)\" (known: \(known.joined(separator: ", ")))"
        case let .boxFile(path, line, reason): return "\(path):\(line): \(reason)"
        case let .noLabels(path): return "\(path): no labelled voxels"
        case let .model(path, reason): return "\(path): \(reason)"
        case let .volumeSizeMismatch(expected, actual): return "volume is \(actual), expected \(expected)"
        case let .noInterphaseClass(classes):
            return "model has no class named \"interphase\" (classes: \(classes.joined(separator: ", ")))"
        }
    }
}
