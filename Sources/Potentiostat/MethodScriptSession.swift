import Foundation

/// Runs a MethodSCRIPT on a PalmSens instrument over a byte transport (USB serial, TCP, or an
/// in-process loopback in tests): sends the script, decodes the replies as they arrive and
/// hands each sample on. The script itself switches the cell off when it ends (its
/// `on_finished:` block); on an instrument error, a decode error, a lost link or
/// cancellation the session sends the abort command `Z`, so the instrument runs
/// `on_finished:` and the cell goes off.
public struct MethodScriptSession: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The script ran to its end (blank line).
        case finished(samples: Int)
        /// Stopped early, output off: why.
        case aborted(reason: String, samples: Int)
    }

    public let transport: any ByteTransport
    /// Longest silence accepted between two replies (a sample interval plus margin).
    public let replyTimeoutSeconds: Double

    public init(transport: any ByteTransport, replyTimeoutSeconds: Double = 30) {
        self.transport = transport
        self.replyTimeoutSeconds = replyTimeoutSeconds
    }

    /// Sends `script` and reads until the instrument finishes it or something goes wrong.
    /// `onSample` is called for every decoded sample, in order; `isCancelled` is polled
    /// between reads (short reads keep cancellation prompt).
    public func run(script: String, isCancelled: @Sendable () -> Bool = { false },
                    onSample: (MethodScriptSample) -> Void) -> Outcome {
        var run = MethodScriptRun()
        do {
            try transport.write(Array(script.utf8))
        } catch {
            return .aborted(reason: "could not send the script: \(error)", samples: 0)
        }
        var silentSeconds = 0.0
        let slice = 0.2
        while !run.isFinished {
            if isCancelled() { return abort("cancelled", run) }
            let bytes: [UInt8]
            do {
                bytes = try transport.read(maxCount: 4096, timeoutSeconds: slice)
                silentSeconds = 0
            } catch TransportError.timeout {
                silentSeconds += slice
                if silentSeconds >= replyTimeoutSeconds { return abort("no reply for \(Int(silentSeconds)) s", run) }
                continue
            } catch {
                return abort("link lost: \(error)", run)
            }
            let update = run.feed(bytes)
            update.samples.forEach(onSample)
            if let error = update.errors.first { return abort("instrument reply: \(error)", run) }
        }
        return .finished(samples: run.sampleCount)
    }

    /// `Z` aborts the running script; the instrument then runs `on_finished:` (cell off).
    private func abort(_ reason: String, _ run: MethodScriptRun) -> Outcome {
        try? transport.write(Array("Z\n".utf8))
        return .aborted(reason: reason, samples: run.sampleCount)
    }
}
