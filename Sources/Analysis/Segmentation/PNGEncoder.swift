import Foundation

/// Minimal 8-bit greyscale PNG writer. Foundation has no zlib on Linux, so the image data
/// goes in *stored* (uncompressed) deflate blocks: valid PNG, just not small. Contact maps
/// are 400×400 at most, so that is 160 kB.
enum PNGEncoder {
    static func greyscale(width: Int, height: Int, pixels: [UInt8]) -> Data {
        precondition(pixels.count == width * height)
        // Scanlines with filter type 0.
        var raw = [UInt8]()
        raw.reserveCapacity((width + 1) * height)
        for y in 0..<height {
            raw.append(0)
            raw.append(contentsOf: pixels[(y * width)..<((y + 1) * width)])
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = Swift.min(65_535, raw.count - offset)
            let final: UInt8 = offset + n == raw.count ? 1 : 0
            zlib.append(final)
            zlib.append(contentsOf: [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)])
            zlib.append(contentsOf: raw[offset..<(offset + n)])
            offset += n
        } while offset < raw.count
        zlib.append(contentsOf: bigEndian(adler32(raw)))

        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 0, 0, 0, 0]   // 8-bit, greyscale, deflate, adaptive filtering, no interlace
        appendChunk(&png, "IHDR", header)
        appendChunk(&png, "IDAT", zlib)
        appendChunk(&png, "IEND", [])
        return png
    }

    static func appendChunk(_ png: inout Data, _ type: String, _ body: [UInt8]) {
        let typeBytes = Array(type.utf8)
        png.append(contentsOf: bigEndian(UInt32(body.count)))
        png.append(contentsOf: typeBytes)
        png.append(contentsOf: body)
        png.append(contentsOf: bigEndian(crc32(typeBytes + body)))
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return (b << 16) | a
    }
}

extension ContactMap {
    /// 8-bit greyscale PNG, contact white (255) on black.
    public func pngData() -> Data {
        PNGEncoder.greyscale(width: width, height: height, pixels: pixels.map { $0 != 0 ? 255 : 0 })
    }

    /// Writes the map as PNG (`.png`) or binary PGM (any other extension).
    public func write(path: String) throws {
        let data = path.lowercased().hasSuffix(".png") ? pngData() : pgmData()
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw VolumeFileError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
