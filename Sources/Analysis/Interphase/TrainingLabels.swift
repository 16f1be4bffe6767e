import Foundation

/// Hand-labelled voxels for training: ascending voxel indices (x + X·(y + Y·z)) with their
/// class (0-based into `classNames`).
public struct TrainingLabels: Sendable, Equatable {
    public var classNames: [String]
    public var volumeSize: VolumeSize
    public var voxelIndices: [Int]
    public var classes: [UInt8]

    /// Labelled voxels per class.
    public var countsPerClass: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for c in classes { counts[Int(c)] += 1 }
        return counts
    }

    /// Throws `emptyClass` for the first class without a labelled voxel.
    public func requireEveryClass() throws {
        for (name, count) in zip(classNames, countsPerClass) where count == 0 {
            throw InterphaseError.emptyClass(name: name)
        }
    }

    /// From a label volume: 0 = unlabelled, k in 1...K = `classNames[k − 1]`.
    /// `path` only names the source in errors.
    public static func fromLabelVolume(_ labels: Volume<UInt8>, classNames: [String], volumeSize: VolumeSize,
                                       path: String) throws -> TrainingLabels {
        guard labels.size == volumeSize else {
            throw InterphaseError.labelSizeMismatch(path: path, labelSize: labels.size, volumeSize: volumeSize)
        }
        try checkNames(classNames)
        var indices: [Int] = [], classes: [UInt8] = []
        let K = classNames.count
        for (i, v) in labels.voxels.enumerated() where v != 0 {
            guard Int(v) <= K else {
                let X = volumeSize.x, Y = volumeSize.y
                throw InterphaseError.labelOutOfRange(path: path, value: Int(v), x: i % X, y: (i / X) % Y,
                                                      z: i / (X * Y), classCount: K)
            }
            indices.append(i)
            classes.append(v - 1)
        }
        guard !indices.isEmpty else { throw InterphaseError.noLabels(path: path) }
        return TrainingLabels(classNames: classNames, volumeSize: volumeSize, voxelIndices: indices, classes: classes)
    }

    /// Reads a raw uint8 label volume of `labelSize` (default: the image's size) and checks it.
    public static func readLabelVolume(path: String, labelSize: VolumeSize? = nil, classNames: [String],
                                       volumeSize: VolumeSize) throws -> TrainingLabels {
        let size = labelSize ?? volumeSize
        guard size == volumeSize else {
            throw InterphaseError.labelSizeMismatch(path: path, labelSize: size, volumeSize: volumeSize)
        }
        let labels: Volume<UInt8> = try RawVolumeIO.read(path: path, size: size)
        return try fromLabelVolume(labels, classNames: classNames, volumeSize: volumeSize, path: path)
    }

    /// From boxes (see `LabelBoxFile`). Classes are `classNames` when given (a box naming
    /// another class is an error), else the box classes in order of first appearance.
    /// Later boxes overwrite earlier ones where they overlap.
    public static func fromBoxes(_ boxes: [LabelBox], classNames: [String]?, volumeSize: VolumeSize,
                                 path: String) throws -> TrainingLabels {
        var names = classNames ?? []
        if let classNames { try checkNames(classNames) }
        var classOfBox: [UInt8] = []
        for box in boxes {
            if let k = names.firstIndex(of: box.className) { classOfBox.append(UInt8(k)); continue }
            guard classNames == nil else {
                throw InterphaseError.unknownClass(name: box.className, path: path, line: box.line, known: names)
            }
            guard names.count < 255 else { throw InterphaseError.boxFile(path: path, line: box.line, reason: "more than 255 classes") }
            names.append(box.className)
            classOfBox.append(UInt8(names.count - 1))
        }
        for box in boxes {
            for (axis, range, extent) in [("x", box.x, volumeSize.x), ("y", box.y, volumeSize.y), ("z", box.z, volumeSize.z)] {
                guard range.lowerBound >= 0, range.upperBound < extent else {
                    throw InterphaseError.boxFile(path: path, line: box.line,
                                                  reason: "\(axis) = [\(range.lowerBound), \(range.upperBound)] outside the volume (0...\(extent - 1))")
                }
            }
        }
        // Paint boxes in order (later wins) into one byte per voxel (0 = unlabelled), then
        // gather the labelled voxels in index order.
        var painted = [UInt8](repeating: 0, count: volumeSize.voxelCount)
        for (box, k) in zip(boxes, classOfBox) {
            for z in box.z { for y in box.y {
                let row = volumeSize.x * (y + volumeSize.y * z)
                for x in box.x { painted[row + x] = k + 1 }
            } }
        }
        var indices: [Int] = [], classes: [UInt8] = []
        for (i, v) in painted.enumerated() where v != 0 { indices.append(i); classes.append(v - 1) }
        guard !indices.isEmpty else { throw InterphaseError.noLabels(path: path) }
        return TrainingLabels(classNames: names, volumeSize: volumeSize, voxelIndices: indices, classes: classes)
    }

    /// Reads and checks a box file.
    public static func readBoxes(path: String, classNames: [String]?, volumeSize: VolumeSize) throws -> TrainingLabels {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw VolumeFileError.cannotOpen(path: path, reason: error.localizedDescription)
        }
        let boxes = try LabelBoxFile.parse(text, path: path, volumeSize: volumeSize)
        return try fromBoxes(boxes, classNames: classNames, volumeSize: volumeSize, path: path)
    }

    private static func checkNames(_ names: [String]) throws {
        guard !names.isEmpty, names.count <= 255 else {
            throw InterphaseError.invalidSettings("need 1...255 class names, got \(names.count)")
        }
        guard Set(names).count == names.count else {
            throw InterphaseError.invalidSettings("class names repeat: \(names.joined(separator: ", "))")
        }
    }
}

/// One labelled box; ranges are voxel indices, both ends included.
public struct LabelBox: Sendable, Equatable {
    public var className: String
    public var x: ClosedRange<Int>
    public var y: ClosedRange<Int>
    public var z: ClosedRange<Int>
    /// Line of the box's `[[box]]` header, for errors.
    public var line: Int

    public init(className: String, x: ClosedRange<Int>, y: ClosedRange<Int>, z: ClosedRange<Int>, line: Int = 0) {
        self.className = className
        self.x = x
        self.y = y
        self.z = z
        self.line = line
    }
}

/// The box file, a small TOML subset:
///
///     [[box]]
///     class = "interphase"
///     x = [10, 50]      # inclusive voxel indices; an axis left out spans the volume
///     y = [0, 63]
///     z = [20, 24]
///
/// Anything else (other tables, keys, value types) is an error naming the line.
public enum LabelBoxFile {
    public static func parse(_ text: String, path: String, volumeSize: VolumeSize) throws -> [LabelBox] {
        struct Partial { var line: Int; var name: String?; var x, y, z: ClosedRange<Int>? }
        var boxes: [LabelBox] = []
        var current: Partial?
        func finish() throws {
            guard let p = current else { return }
            guard let name = p.name else { throw InterphaseError.boxFile(path: path, line: p.line, reason: "box has no class") }
            boxes.append(LabelBox(className: name, x: p.x ?? 0...(volumeSize.x - 1), y: p.y ?? 0...(volumeSize.y - 1),
                                  z: p.z ?? 0...(volumeSize.z - 1), line: p.line))
        }
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line == "[[box]]" {
                try finish()
                current = Partial(line: lineNumber)
                continue
            }
            if line.hasPrefix("[") {
                throw InterphaseError.boxFile(path: path, line: lineNumber, reason: "only [[box]] tables are allowed, got \(line)")
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw InterphaseError.boxFile(path: path, line: lineNumber, reason: "expected key = value, got \(line)")
            }
            guard current != nil else {
                throw InterphaseError.boxFile(path: path, line: lineNumber, reason: "key outside a [[box]] table")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "class":
                guard value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q else {
                    throw InterphaseError.boxFile(path: path, line: lineNumber, reason: "class must be a quoted string, got \(value)")
                }
                let name = String(value.dropFirst().dropLast())
                guard !name.isEmpty else { throw InterphaseError.boxFile(path: path, line: lineNumber, reason: "empty class name") }
                current!.name = name
            case "x", "y", "z":
                let inner = value.hasPrefix("[") && value.hasSuffix("]") ? String(value.dropFirst().dropLast()) : ""
                let parts = inner.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2, let a = parts[0], let b = parts[1] else {
                    throw InterphaseError.boxFile(path: path, line: lineNumber, reason: "\(key) must be [first, last] integers, got \(value)")
                }
                guard a <= b else {
                    throw InterphaseError.boxFile(path: path, line: lineNumber, reason: "\(key) = [\(a), \(b)]: first index is after the last")
                }
                if key == "x" { current!.x = a...b } else if key == "y" { current!.y = a...b } else { current!.z = a...b }
            default:
                throw InterphaseError.boxFile(path: path, line: lineNumber, reason: "unknown key \(key) (class, x, y, z)")
            }
        }
        try finish()
        guard !boxes.isEmpty else { throw InterphaseError.noLabels(path: path) }
        return boxes
    }

    /// Drops a `#` comment that is not inside a quoted string.
    private static func stripComment(_ line: String) -> String {
        var quote: Character?
        for (i, ch) in zip(line.indices, line) {
            if let q = quote { if ch == q { quote = nil } } else if ch == "\"" || ch == "'" { quote = ch } else if ch == "#" {
                return String(line[..<i])
            }
        }
        return line
    }
}
