import Foundation
import XCTest
import Store
#if canImport(Glibc)
import Glibc
#endif

/// `cellpress assemble` on a pseudo-terminal, as an operator at a terminal would use it.
final class AssembleTerminalTests: XCTestCase {
    /// The master side of a pty whose slave is the child's stdin/stdout/stderr; output is
    /// collected on a background thread.
    final class PseudoTerminal: @unchecked Sendable {
        let master: Int32
        let slavePath: String
        private let lock = NSLock()
        private var collected = Data()

        init() throws {
            let pt = try PTYCalls()
            master = pt.posixOpenpt(O_RDWR | O_NOCTTY)
            guard master >= 0, pt.grantpt(master) == 0, pt.unlockpt(master) == 0, let name = pt.ptsname(master) else {
                throw XCTSkip("no pseudo-terminals here (posix_openpt: errno \(errno))")
            }
            slavePath = String(cString: name)
        }

        func startReading() {
            Thread.detachNewThread { [self] in
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = read(master, &buffer, buffer.count)
                    if n <= 0 { if n < 0 && errno == EINTR { continue }; return }   // EIO once the child closed the slave
                    lock.withLock { collected.append(contentsOf: buffer[0..<n]) }
                }
            }
        }

        var text: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }
        /// Bytes received so far: a mark for `text(since:)`.
        var byteCount: Int { lock.withLock { collected.count } }
        func text(since mark: Int) -> String { lock.withLock { String(decoding: collected.dropFirst(mark), as: UTF8.self) } }

        func type(_ s: String) {
            let bytes = Array(s.utf8)
            _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        }

        /// Waits (generous safety timeout, not a timing assertion) until the output satisfies `condition`.
        func waitFor(_ what: String, timeoutSeconds: Double = 60, _ condition: (String) -> Bool) throws {
            let deadline = Date().addingTimeInterval(timeoutSeconds)
            while !condition(text) {
                if Date() > deadline { throw NSError(domain: "pty", code: 1, userInfo: [NSLocalizedDescriptionKey: "no \(what) in:\n\(text)"]) }
                usleep(20_000)
            }
        }
    }

    /// posix_openpt, grantpt, unlockpt and ptsname: Glibc hides them from Swift (they need
    /// _XOPEN_SOURCE), so they are looked up in the C library already loaded.
    struct PTYCalls {
        let posixOpenpt: @convention(c) (Int32) -> Int32
        let grantpt: @convention(c) (Int32) -> Int32
        let unlockpt: @convention(c) (Int32) -> Int32
        let ptsname: @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

        init() throws {
            let process = dlopen(nil, RTLD_NOW)
            func symbol<T>(_ name: String, as type: T.Type) throws -> T {
                guard let pointer = dlsym(process, name) else { throw XCTSkip("\(name) not found in the C library") }
                return unsafeBitCast(pointer, to: type)
            }
            posixOpenpt = try symbol("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
            grantpt = try symbol("grantpt", as: (@convention(c) (Int32) -> Int32).self)
            unlockpt = try symbol("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
            ptsname = try symbol("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
        }
    }

    /// Pressures shown by the live lines so far (each live line is redrawn after a \r).
    static func livePressures(_ text: String) -> [Double] {
        // components(separatedBy:) also splits the \r of a "\r\n" (one Character to Swift).
        text.components(separatedBy: "\r").compactMap { segment -> Double? in
            guard segment.hasPrefix("live ") else { return nil }
            let parts = segment.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let i = parts.firstIndex(of: "MPa"), i > 0 else { return nil }
            return Double(parts[i - 1])
        }
    }

    func testATerminatedAssemblyGivesTheTerminalBack() throws {
        let dir = try ScratchDirectory()
        let pty = try PseudoTerminal()
        defer { close(pty.master) }
        let slave = open(pty.slavePath, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw XCTSkip("cannot open the pty slave \(pty.slavePath): errno \(errno)") }
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineRunner.executable)
        process.arguments = ["assemble", "--db", dir.file("s.sqlite"), "--cell", "S", "--simulate"]
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        pty.startReading()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        try pty.waitFor("live line") { !Self.livePressures($0).isEmpty }
        var settings = termios()
        XCTAssertEqual(tcgetattr(slave, &settings), 0)
        XCTAssertEqual(settings.c_lflag & tcflag_t(ICANON), 0, "raw while assembling")
        process.terminate()   // SIGTERM
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(tcgetattr(slave, &settings), 0)
        XCTAssertNotEqual(settings.c_lflag & tcflag_t(ICANON), 0, "line mode is back")
        XCTAssertNotEqual(settings.c_lflag & tcflag_t(ECHO), 0, "echo is back")
        try handle.close()
    }

    func testTheOperatorTypesTorquesWatchesThePressureLineAndQuits() throws {
        let dir = try ScratchDirectory()
        let db = dir.file("t.sqlite")
        let pty = try PseudoTerminal()
        defer { close(pty.master) }
        let slave = open(pty.slavePath, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw XCTSkip("cannot open the pty slave \(pty.slavePath): errno \(errno)") }
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineRunner.executable)
        // A relaxation that would take 60 real seconds: the operator stops it early with q.
        process.arguments = ["assemble", "--db", db, "--cell", "T1", "--simulate", "--relax-minutes", "60", "--time-scale", "60"]
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        pty.startReading()
        try process.run()
        try handle.close()   // the child holds its own copies
        defer { if process.isRunning { process.terminate() } }

        try pty.waitFor("live line") { !Self.livePressures($0).isEmpty }
        XCTAssertEqual(Self.livePressures(pty.text).last!, 0, accuracy: 0.05, "nothing tightened yet")
        // 0.03 N·m on screw 1 → 0.03 / (0.9 · 0.003) = 11.1 N = 3.54 MPa on the simulated rig.
        pty.type("0.03\r")
        try pty.waitFor("step 1") { $0.contains("step 1: screw 1") }
        let afterFirst = pty.byteCount
        try pty.waitFor("a refreshed live line") { _ in Self.livePressures(pty.text(since: afterFirst)).count >= 2 }
        XCTAssertEqual(Self.livePressures(pty.text(since: afterFirst)).last!, 3.54, accuracy: 0.1)
        pty.type("5\r")   // above an M3 screw's maximum: refused, not stored
        try pty.waitFor("refusal") { $0.contains("not taken: 5.000 N·m is above") }
        pty.type("0.03\r")
        try pty.waitFor("step 2") { $0.contains("step 2: screw 2") }
        let afterSecond = pty.byteCount
        try pty.waitFor("a refreshed live line") { _ in Self.livePressures(pty.text(since: afterSecond)).count >= 2 }
        XCTAssertEqual(Self.livePressures(pty.text(since: afterSecond)).last!, 7.07, accuracy: 0.15)
        pty.type("q")
        try pty.waitFor("the recorded assembly") { $0.contains("recorded assembly 1") }
        try pty.waitFor("relaxation progress") { text in
            text.components(separatedBy: "\r").filter { $0.hasPrefix("relaxing: ") && $0.contains("MPa") }.count >= 2
        }
        pty.type("q")
        try pty.waitFor("the relaxation report") { $0.contains("samples over ") }
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertFalse(process.isRunning)
        XCTAssertEqual(process.terminationStatus, 0, pty.text)

        let database = try AppDatabase.openReadOnly(path: db)
        let cell = try XCTUnwrap(try database.cell(named: "T1"))
        XCTAssertEqual(try database.events(cellId: cell.id!, kinds: ["torque"]).filter { $0.message.hasPrefix("tightening step") }.count, 2)
        let assembly = try XCTUnwrap(try database.assemblies(cellId: cell.id!).first)
        XCTAssertEqual(assembly.torqueNewtonMetresPerScrew, 0.03, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(assembly.measuredForceNewtons), 0.06 / (0.9 * 0.003), accuracy: 0.5)
        // q ended the relaxation log early: it covers well under the 60 min asked for, and what
        // was logged reached the store.
        let loggedMinutes = try XCTUnwrap(AssembleCommandTests.number(after: "samples over ", in: pty.text), pty.text)
        XCTAssertLessThan(loggedMinutes, 30, pty.text)
        XCTAssertGreaterThan(try database.forceSamples(cellId: cell.id!, fromUnixTimeSeconds: 0, toUnixTimeSeconds: .greatestFiniteMagnitude).count, 0)
    }
}
