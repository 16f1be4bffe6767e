import Foundation
import XCTest
@testable import Analysis

/// Reads TIFF stacks written by another tool (Python tifffile, and libtiff's tiffcp).
/// CI needs: python3 with numpy and tifffile (`pip install tifffile`), libtiff-tools.
final class TIFFReaderTests: XCTestCase {
    /// Writes the fixtures; values follow formulas the assertions recompute.
    static let script = #"""
import os, sys
import numpy as np
import tifffile
out = sys.argv[1]
Z, Y, X = 5, 12, 10
z, y, x = np.meshgrid(np.arange(Z), np.arange(Y), np.arange(X), indexing="ij")
f = (x * 0.5 + y * 0.25 - z).astype(np.float32)
tifffile.imwrite(os.path.join(out, "float32.tif"), f)
tifffile.imwrite(os.path.join(out, "float32_zlib_tiled.tif"), f, tile=(16, 16), compression="zlib")
u16 = ((x + 3 * y + 7 * z) * 300).astype(np.uint16)
os.mkdir(os.path.join(out, "slices"))
for k in range(Z):
    tifffile.imwrite(os.path.join(out, "slices", "slice_%04d.tif" % k), u16[k])
tifffile.imwrite(os.path.join(out, "uint8.tif"), ((x + 3 * y + 7 * z) % 251).astype(np.uint8))
tifffile.imwrite(os.path.join(out, "int16.tif"), (x - 3 * y - 7 * z).astype(np.int16))
tifffile.imwrite(os.path.join(out, "int32.tif"), ((x + 3 * y + 7 * z) * 100000).astype(np.int32))
tifffile.imwrite(os.path.join(out, "rgb.tif"), np.zeros((4, 4, 3), np.uint8), photometric="rgb")
data = open(os.path.join(out, "float32.tif"), "rb").read()
open(os.path.join(out, "truncated.tif"), "wb").write(data[: len(data) // 2])
open(os.path.join(out, "corrupt.tif"), "wb").write(b"II*\x00" + bytes(range(256)) * 4)
os.mkdir(os.path.join(out, "mixed"))
tifffile.imwrite(os.path.join(out, "mixed", "a.tif"), np.zeros((12, 10), np.uint16))
tifffile.imwrite(os.path.join(out, "mixed", "b.tif"), np.zeros((11, 10), np.uint16))
"""#

    var dir: String = ""

    override func setUpWithError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cellpress-tiff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        dir = url.path
        let scriptPath = url.appendingPathComponent("make_tiffs.py").path
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, dir]
        let stderr = Pipe()
        process.standardError = stderr
        do { try process.run() } catch { throw XCTSkip("python3 not available: \(error)") }
        process.waitUntilExit()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if process.terminationStatus != 0 {
            if message.contains("No module named") { throw XCTSkip("needs numpy and tifffile (pip install tifffile): \(message)") }
            XCTFail("fixture script failed: \(message)")
        }
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

    func testMultiPageFloat32PlainAndTiledCompressed() throws {
        for name in ["float32.tif", "float32_zlib_tiled.tif"] {
            let v = try TIFFVolumeReader.read(path: path(name), as: Float.self)
            XCTAssertEqual(v.size, VolumeSize(x: 10, y: 12, z: 5), name)
            for (x, y, z) in [(0, 0, 0), (9, 11, 4), (3, 7, 2)] {
                XCTAssertEqual(v[x, y, z], Float(x) * 0.5 + Float(y) * 0.25 - Float(z), "\(name) \(x),\(y),\(z)")
            }
        }
    }

    func testFolderOfUInt16SlicesAndCropWhileReading() throws {
        let full = try TIFFVolumeReader.read(path: path("slices"), as: UInt16.self)
        XCTAssertEqual(full.size, VolumeSize(x: 10, y: 12, z: 5))
        XCTAssertEqual(full[4, 5, 3], UInt16((4 + 15 + 21) * 300))
        let roi = VolumeRegion(x: 2..<7, y: 3..<11, z: 1..<4)
        let cropped = try TIFFVolumeReader.read(path: path("slices"), as: UInt16.self, region: roi)
        XCTAssertEqual(cropped.size, VolumeSize(x: 5, y: 8, z: 3))
        for z in 0..<3 { for y in 0..<8 { for x in 0..<5 {
            XCTAssertEqual(cropped[x, y, z], full[x + 2, y + 3, z + 1])
        } } }
        // Same crop from a tiled file: tiles partly inside the region.
        let tiled = try TIFFVolumeReader.read(path: path("float32_zlib_tiled.tif"), as: Float.self, region: roi)
        XCTAssertEqual(tiled[0, 0, 0], 2 * 0.5 + 3 * 0.25 - 1)
        XCTAssertEqual(tiled[4, 7, 2], 6 * 0.5 + 10 * 0.25 - 3)
        XCTAssertThrowsError(try TIFFVolumeReader.read(path: path("slices"), as: UInt16.self,
                                                       region: VolumeRegion(x: 0..<11, y: 0..<2, z: 0..<1))) {
            guard case .invalidRegion = $0 as? VolumeFileError else { return XCTFail("\($0)") }
        }
    }

    func testIntegerTypesConvertToFloat() throws {
        let u8 = try TIFFVolumeReader.read(path: path("uint8.tif"), as: Float.self)
        XCTAssertEqual(u8[9, 11, 4], Float((9 + 33 + 28) % 251))
        let same = try TIFFVolumeReader.read(path: path("uint8.tif"), as: UInt8.self)
        XCTAssertEqual(same[9, 11, 4], UInt8((9 + 33 + 28) % 251))
        let i16 = try TIFFVolumeReader.read(path: path("int16.tif"), as: Float.self)
        XCTAssertEqual(i16[1, 11, 4], Float(1 - 33 - 28))
        let i32 = try TIFFVolumeReader.read(path: path("int32.tif"), as: Float.self)
        XCTAssertEqual(i32[2, 2, 2], Float((2 + 6 + 14) * 100_000))
    }

    func testTiffcpRewriteReadsTheSame() throws {
        let out = path("tiffcp.tif")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tiffcp", "-c", "lzw", "-r", "3", path("float32.tif"), out]
        do { try process.run() } catch { throw XCTSkip("tiffcp (libtiff-tools) not available") }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("tiffcp failed (libtiff-tools missing?)") }
        let a = try TIFFVolumeReader.read(path: out, as: Float.self, region: VolumeRegion(x: 1..<9, y: 5..<12, z: 2..<5))
        let b = try TIFFVolumeReader.read(path: path("float32.tif"), as: Float.self, region: VolumeRegion(x: 1..<9, y: 5..<12, z: 2..<5))
        XCTAssertEqual(a.voxels, b.voxels)
    }

    func testBadFilesGiveClearErrors() throws {
        for name in ["truncated.tif", "corrupt.tif"] {
            XCTAssertThrowsError(try TIFFVolumeReader.read(path: path(name), as: Float.self)) { error in
                guard case let .tiff(p, _, reason) = error as? VolumeFileError else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual(p, self.path(name))
                XCTAssertFalse(reason.isEmpty)
            }
        }
        XCTAssertThrowsError(try TIFFVolumeReader.read(path: path("mixed"), as: UInt16.self)) { error in
            XCTAssertTrue("\(error)".contains("11"), "\(error)")
            XCTAssertTrue("\(error)".contains("b.tif"), "\(error)")
        }
        XCTAssertThrowsError(try TIFFVolumeReader.read(path: path("rgb.tif"), as: Float.self)) { error in
            XCTAssertTrue("\(error)".contains("samples per pixel"), "\(error)")
        }
        XCTAssertThrowsError(try TIFFVolumeReader.read(path: path("nothing-here.tif"), as: Float.self)) { error in
            guard case .cannotOpen = error as? VolumeFileError else { return XCTFail("\(error)") }
        }
    }
}
