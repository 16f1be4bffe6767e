#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Write end of the self-pipe the C signal handler writes the signal number to.
/// Set once before any handler is installed; read only by the handler.
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

/// Turns SIGTERM/SIGINT into a callback (the agent cancels the run task there; the engine then
/// switches the output off). A sigaction handler (async-signal-safe: one write(2) to a pipe)
/// is installed synchronously in `init`, so no signal can slip past between install and use;
/// a reader thread calls `onSignal`. One instance at a time per process.
public final class SignalCancellation: @unchecked Sendable {
    private let signals: [Int32]
    private var previous: [Int32: sigaction] = [:]
    private var readFD: Int32 = -1
    private var writeFD: Int32 = -1

    public init(signals: [Int32] = [SIGTERM, SIGINT], onSignal: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        readFD = fds[0]; writeFD = fds[1]
        signalPipeWriteFD = writeFD
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signo in
                var byte = UInt8(truncatingIfNeeded: signo)
                _ = write(signalPipeWriteFD, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(number, &action, &old)
            previous[number] = old
        }
        let fd = readFD
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let n = read(fd, &byte, 1)
                if n == 1 { if byte == 0 { return }; onSignal(Int32(byte)); continue }
                if n < 0 && errno == EINTR { continue }
                return
            }
        }
        thread.name = "cellpress-signals"
        thread.start()
    }

    /// Restore the previous handlers and stop the reader thread.
    public func uninstall() {
        for (number, var old) in previous { sigaction(number, &old, nil) }
        previous.removeAll()
        if writeFD >= 0 {
            var zero: UInt8 = 0
            _ = write(writeFD, &zero, 1)   // wakes the reader, which exits
            Thread.sleep(forTimeInterval: 0.01)
            signalPipeWriteFD = -1
            close(writeFD); writeFD = -1
            close(readFD); readFD = -1
        }
    }
}
