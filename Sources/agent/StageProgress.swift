import Foundation

/// A one-line progress bar on stderr for long steps (reading, segmenting), drawn only when
/// stderr is a terminal and at most ten times a second; stdout stays clean for JSON.
enum StageProgress {
    private static let lastDraw = NSLock()
    nonisolated(unsafe) private static var lastDrawNanoseconds: UInt64 = 0
    nonisolated(unsafe) private static var drawn = false

    static func onTerminal() -> (@Sendable (String, Double) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let started = DispatchTime.now().uptimeNanoseconds
        return { stage, fraction in
            let now = DispatchTime.now().uptimeNanoseconds
            lastDraw.lock(); defer { lastDraw.unlock() }
            // Nothing for the first second: short jobs stay quiet.
            guard now - started > 1_000_000_000, now - lastDrawNanoseconds > 100_000_000 || fraction >= 1 else { return }
            lastDrawNanoseconds = now
            drawn = true
            let width = 30, filled = Int(min(1, max(0, fraction)) * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data(String(format: "\r%@ [%@] %3.0f %%\u{1B}[K", stage, bar, fraction * 100).utf8))
        }
    }

    static func clear() {
        lastDraw.lock(); defer { lastDraw.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)); drawn = false }
    }
}
