import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A terminal put into character-at-a-time mode (no line buffering, no echo, no signals from
/// Ctrl-C) for the live assembly view; the saved settings come back on `restore()` or deinit.
/// Wraps tcgetattr/tcsetattr and poll/read on one descriptor.
public final class RawTerminal {
    public let fileDescriptor: Int32
    private var saved = termios()
    private var active = false

    /// nil when the descriptor is not a terminal.
    public init?(fileDescriptor: Int32 = STDIN_FILENO) {
        guard isatty(fileDescriptor) == 1, tcgetattr(fileDescriptor, &saved) == 0 else { return nil }
        self.fileDescriptor = fileDescriptor
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        // Armed before the switch, so a SIGTERM/SIGHUP at any point leaves the terminal usable.
        rawTerminalSavedSettings = saved
        rawTerminalDescriptor = fileDescriptor
        signal(SIGTERM, restoreTerminalThenDie)
        signal(SIGHUP, restoreTerminalThenDie)
        guard tcsetattr(fileDescriptor, TCSANOW, &raw) == 0 else {
            disarmSignalRestore()
            return nil
        }
        active = true
    }

    /// Bytes typed within `timeoutSeconds` (empty: none); nil at end of input or on error.
    public func read(timeoutSeconds: Double) -> [UInt8]? {
        var pfd = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, Int32(max(0, timeoutSeconds) * 1000))
        if ready < 0 { return errno == EINTR ? [] : nil }
        if ready == 0 { return [] }
        if pfd.revents & Int16(POLLIN) == 0 { return nil }   // hang-up or error without data
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = Glibc.read(fileDescriptor, &buffer, buffer.count)
        if n < 0 { return errno == EINTR || errno == EAGAIN ? [] : nil }
        if n == 0 { return nil }
        return Array(buffer.prefix(n))
    }

    public func restore() {
        guard active else { return }
        _ = tcsetattr(fileDescriptor, TCSANOW, &saved)
        active = false
        disarmSignalRestore()
    }

    deinit { restore() }
}

// A C signal handler cannot capture context, so the one raw terminal's saved settings live in
// globals; written only while no handler is armed or before the switch to raw mode.
nonisolated(unsafe) private var rawTerminalDescriptor: Int32 = -1
nonisolated(unsafe) private var rawTerminalSavedSettings = termios()

private func disarmSignalRestore() {
    signal(SIGTERM, SIG_DFL)
    signal(SIGHUP, SIG_DFL)
    rawTerminalDescriptor = -1
}

/// SIGTERM/SIGHUP while the terminal is raw: put the operator's terminal back (tcsetattr is
/// async-signal-safe), then die of the same signal so the exit status says what happened.
private func restoreTerminalThenDie(_ signalNumber: Int32) {
    if rawTerminalDescriptor >= 0 { _ = tcsetattr(rawTerminalDescriptor, TCSANOW, &rawTerminalSavedSettings) }
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}

/// The operator's half-typed torque: pure line editing over raw key bytes.
public struct TorqueLineEditor: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case none
        /// Enter with this text (may be empty).
        case submit(String)
        /// `q`: finish the assembly.
        case quit
        /// Ctrl-C or Ctrl-D: stop without recording the assembly.
        case abort
    }

    public private(set) var text = ""
    public init() {}

    /// Feeds one key byte.
    public mutating func feed(_ byte: UInt8) -> Action {
        switch byte {
        case 0x0D, 0x0A:
            defer { text = "" }
            return .submit(text)
        case 0x7F, 0x08:
            if !text.isEmpty { text.removeLast() }
        case 0x03, 0x04:
            return .abort
        case UInt8(ascii: "q"), UInt8(ascii: "Q"):
            return .quit
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "="), UInt8(ascii: "-"), UInt8(ascii: "+"),
             UInt8(ascii: "e"), UInt8(ascii: "E"):
            if text.count < 24 { text.append(Character(UnicodeScalar(byte))) }
        default:
            break   // arrows, letters, escape sequences: ignored
        }
        return .none
    }
}
