import Foundation
import Potentiostat
import Store

/// A MethodSCRIPT run as the agent records it: the instrument runs the script by itself; the
/// agent reads its packets into the store (charge integrated from the current) and aborts the
/// script when its task is cancelled (SIGTERM), the link drops or a reply is wrong.
enum MethodScriptExecution {
    static func run(session: MethodScriptSession, script: String, sink: StoreRunSink) async -> RunOutcome {
        let cancelled = Guarded(false)
        let startUnix = Date().timeIntervalSince1970
        return await withTaskCancellationHandler {
            await Task.detached {
                var charge = 0.0
                var previous: (time: Double, amps: Double)?
                let outcome = session.run(script: script, isCancelled: { cancelled.current }) { sample in
                    let amps = sample.currentAmps ?? 0
                    if let p = previous { charge += p.amps * (sample.timeSeconds - p.time) }
                    previous = (sample.timeSeconds, amps)
                    sink.record(sample: RunSample(unixTimeSeconds: startUnix + sample.timeSeconds, runTimeSeconds: sample.timeSeconds,
                                                  voltageVolts: sample.potentialVolts, currentAmps: amps, chargeCoulombs: charge,
                                                  stepIndex: max(0, (sample.stepNumber ?? 1) - 1), cycle: 0, pressureMegapascals: nil))
                }
                switch outcome {
                case .finished(let samples):
                    return RunOutcome(status: .completed, reason: "MethodSCRIPT finished (\(samples) samples)")
                case .aborted(let reason, _):
                    return RunOutcome(status: .aborted, reason: "MethodSCRIPT aborted (Z sent; on_finished switches the cell off): \(reason)")
                }
            }.value
        } onCancel: {
            cancelled.set(true)
        }
    }
}
