import Foundation
import XCTest
@testable import Analysis

final class RawVolumeIOTests: XCTestCase {
    func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cellpress-raw-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.appendingPathComponent(name).path
    }

    func testIndexIsXFastestThenYThenZ() throws {
        let size = VolumeSize(x: 3, y: 2, z: 2)
        let volume = try Volume(size: size, voxels: (0..<12).map { Float($0) })
        XCTAssertEqual(volume[1, 0, 0], 1)
        XCTAssertEqual(volume[0, 1, 0], 3)
        XCTAssertEqual(volume[0, 0, 1], 6)
        XCTAssertEqual(volume[2, 1, 1], 11)
    }

    func testRoundTripFloatBigEndianAndUInt16() throws {
        let size = VolumeSize(x: 4, y: 3, z: 2)
        let floats = try Volume(size: size, voxels: (0..<24).map { Float($0) * 0.25 - 1 })
        let path = temporaryPath("f.raw")
        try RawVolumeIO.write(floats, path: path, byteOrder: .big)
        // Big endian on disk: the first float -1.0 is bf 80 00 00.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(Array(bytes.prefix(4)), [0xBF, 0x80, 0x00, 0x00])
        let back: Volume<Float> = try RawVolumeIO.read(path: path, size: size, byteOrder: .big)
        XCTAssertEqual(back.voxels, floats.voxels)
        let wrongOrder: Volume<Float> = try RawVolumeIO.read(path: path, size: size, byteOrder: .little)
        XCTAssertNotEqual(wrongOrder.voxels, floats.voxels)

        let shorts = try Volume(size: size, voxels: (0..<24).map { UInt16($0 * 1000) })
        let path16 = temporaryPath("s.raw")
        try RawVolumeIO.write(shorts, path: path16)
        let back16: Volume<UInt16> = try RawVolumeIO.read(path: path16, size: size)
        XCTAssertEqual(back16.voxels, shorts.voxels)
    }

    func testWrongSizeGivesExpectedAndActualBytes() throws {
        let path = temporaryPath("short.raw")
        try Data(count: 100).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RawVolumeIO.read(path: path, size: VolumeSize(x: 5, y: 5, z: 2), as: Float.self)) { error in
            XCTAssertEqual(error as? VolumeFileError, .wrongByteCount(path: path, expectedBytes: 200, actualBytes: 100))
            XCTAssertTrue("\(error)".contains("expected 200 bytes"))
        }
        XCTAssertThrowsError(try RawVolumeIO.read(path: path + ".missing", size: VolumeSize(x: 1, y: 1, z: 1), as: UInt8.self)) { error in
            guard case .cannotOpen = error as? VolumeFileError else { return XCTFail("\(error)") }
        }
    }
}

final class RawRegionTests: XCTestCase {
    func testRegionReadMatchesFullReadAndChecksBounds() throws {
        let size = VolumeSize(x: 7, y: 5, z: 4)
        let volume = try Volume(size: size, voxels: (0..<size.voxelCount).map { UInt16($0 * 3) })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cellpress-roi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("v.raw").path
        try RawVolumeIO.write(volume, path: path, byteOrder: .big)
        let region = VolumeRegion(x: 2..<6, y: 1..<4, z: 1..<3)
        let cropped: Volume<UInt16> = try RawVolumeIO.read(path: path, size: size, region: region, byteOrder: .big)
        XCTAssertEqual(cropped.size, VolumeSize(x: 4, y: 3, z: 2))
        for z in 0..<2 { for y in 0..<3 { for x in 0..<4 {
            XCTAssertEqual(cropped[x, y, z], volume[x + 2, y + 1, z + 1])
        } } }
        let any = try AnyVolume.readRaw(path: path, size: size, dtype: .uint16, byteOrder: .big, region: region)
        guard case let .uint16(v) = any else { return XCTFail("wrong dtype") }
        XCTAssertEqual(v.voxels, cropped.voxels)
        XCTAssertThrowsError(try RawVolumeIO.read(path: path, size: size, region: VolumeRegion(x: 0..<8, y: 0..<1, z: 0..<1), as: UInt16.self)) {
            guard case .invalidRegion = $0 as? VolumeFileError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try RawVolumeIO.read(path: path, size: VolumeSize(x: 7, y: 5, z: 5), region: region, as: UInt16.self)) {
            XCTAssertEqual($0 as? VolumeFileError, .wrongByteCount(path: path, expectedBytes: 350, actualBytes: 280))
        }
    }
}
