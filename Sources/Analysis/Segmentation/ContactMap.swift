import Foundation

/// A 2-D bitmap over the (x, y) columns: 1 where the electrode is in contact, else 0.
/// Row-major, x fastest (same order as the volume's slices).
public struct ContactMap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]? = nil) {
        self.width = width
        self.height = height
        self.pixels = pixels ?? [UInt8](repeating: 0, count: width * height)
    }

    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[x + width * y] }
        set { pixels[x + width * y] = newValue }
    }

    public var contactCount: Int { pixels.reduce(0) { $0 + Int($1) } }

    /// Binary PGM (P5), contact white (255) on black.
    public func pgmData() -> Data {
        var data = Data("P5\n\(width) \(height)\n255\n".utf8)
        data.append(contentsOf: pixels.map { $0 != 0 ? 255 : 0 })
        return data
    }

    /// Writes the map as a binary PGM file.
    public func writePGM(path: String) throws {
        do {
            try pgmData().write(to: URL(fileURLWithPath: path))
        } catch {
            throw VolumeFileError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
