import Foundation
import GRDB
import XCTest
@testable import Store

final class AppDatabaseOpeningTests: XCTestCase {
    func testMigratesAnEmptyFileToTheFullSchemaInWALWithFullSync() throws {
        let dir = try TemporaryDirectory()
        let database = try AppDatabase.openForWriting(path: dir.file("a.sqlite"))
        let (tables, journal, sync) = try database.writer.write { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        for table in ["cell", "assembly", "run", "echem_sample", "force_sample", "event", "scan", "scan_result", "calibration", "node"] {
            XCTAssertTrue(tables.contains(table), "missing table \(table) in \(tables)")
        }
        XCTAssertEqual(journal, "wal")
        XCTAssertEqual(sync, 2, "synchronous=FULL is 2")
        XCTAssertEqual(try database.integrityCheck(), "ok")
    }

    func testNormalDurabilityIsAnOptionForBulkImports() throws {
        let dir = try TemporaryDirectory()
        let database = try AppDatabase.openForWriting(path: dir.file("a.sqlite"), durability: .normal)
        XCTAssertEqual(try database.writer.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }, 1, "the writer connection decides durability")
    }

    func testNodeIdentityIsStableAcrossOpens() throws {
        let dir = try TemporaryDirectory()
        let first = try AppDatabase.openForWriting(path: dir.file("a.sqlite")).nodeUUID
        let second = try AppDatabase.openForWriting(path: dir.file("a.sqlite")).nodeUUID
        let third = try AppDatabase.openReadOnly(path: dir.file("a.sqlite")).nodeUUID
        XCTAssertEqual(first, second)
        XCTAssertEqual(first, third)
        XCTAssertEqual(first.count, 36)
        XCTAssertNotEqual(first, try AppDatabase.openForWriting(path: dir.file("b.sqlite")).nodeUUID)
    }

    func testAPathUnderARegularFileIsRefusedWithItsName() throws {
        let dir = try TemporaryDirectory()
        let regular = dir.file("plain")
        try Data("x".utf8).write(to: URL(fileURLWithPath: regular))
        XCTAssertThrowsError(try AppDatabase.openForWriting(path: regular + "/db.sqlite")) { error in
            XCTAssertEqual(error as? StoreError, .cannotCreate(path: regular + "/db.sqlite", reason: "\(regular) is not a directory"))
        }
        XCTAssertThrowsError(try AppDatabase.openForWriting(path: dir.file("nope/db.sqlite")))
    }

    func testAForeignFileIsRefusedAndLeftByteForByteAsItWas() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("notes.sqlite")
        let text = Data(String(repeating: "not a database\n", count: 300).utf8)
        try text.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try AppDatabase.openForWriting(path: path)) { error in
            guard case .notADatabase(let p, _)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(p, path)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), text)
    }

    func testAnotherApplicationsSQLiteFileIsNotAdoptedOrConvertedToWAL() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("other.sqlite")
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE contacts(name TEXT)") }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try AppDatabase.openForWriting(path: path))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    func testADatabaseFromANewerCellpressIsRefusedAndUntouched() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("new.sqlite")
        let database = try AppDatabase.openForWriting(path: path)
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
        }
        let cells = try database.cells().count
        XCTAssertThrowsError(try AppDatabase.openForWriting(path: path)) { error in
            XCTAssertEqual(error as? StoreError, .newerSchema(path: path, unknownMigrations: ["v99: from the future"]))
            XCTAssertTrue("\(error)".hasPrefix(path + ": database was written by a newer cellpress"))
        }
        XCTAssertThrowsError(try AppDatabase.openReadOnly(path: path))
        XCTAssertEqual(try database.cells().count, cells)
    }

    func testReadOnlyOpenNeverCreatesAFile() throws {
        let dir = try TemporaryDirectory()
        XCTAssertThrowsError(try AppDatabase.openReadOnly(path: dir.file("absent.sqlite"))) { error in
            XCTAssertEqual(error as? StoreError, .missing(path: dir.file("absent.sqlite")))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("absent.sqlite")))
    }

    func testReadOnlyOpenRefusesWrites() throws {
        let dir = try TemporaryDirectory()
        _ = try AppDatabase.openForWriting(path: dir.file("a.sqlite"))
        let reader = try AppDatabase.openReadOnly(path: dir.file("a.sqlite"))
        XCTAssertThrowsError(try reader.findOrCreateCell(named: "X", diameterMillimetres: 2))
    }
}
