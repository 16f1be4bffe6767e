import Foundation

/// Text the guided assembly shows: pure formatting, so it is tested without a terminal.
public enum AssemblyDisplay {
    /// Carriage return, the content, then erase to end of line: the line is rewritten in place
    /// without first being blanked, so it does not flicker.
    public static func inPlace(_ line: String) -> String { "\r" + line + "\u{1B}[K" }

    /// The live line: force and stack pressure now, and the estimate from the torques so far.
    /// Kept under 80 columns (the target is in the header): a wrapped line cannot be redrawn
    /// in place with a carriage return.
    public static func liveLine(forceNewtons: Double?, pressureMegapascals: Double?, estimateNewtons: Double,
                                estimateMegapascals: Double, nextScrew: Int, input: String) -> String {
        let now = forceNewtons.map { f in String(format: "%7.2f N %6.2f MPa", f, pressureMegapascals ?? 0) } ?? "  (no reading)    "
        return String(format: "live %@ | estimate %6.1f N %6.2f MPa | screw %d N·m> %@",
                      now, estimateNewtons, estimateMegapascals, nextScrew + 1, input)
    }

    /// Target and overshoot verdict for a measured pressure (nil: below target, nothing to say).
    public static func targetVerdict(pressureMegapascals: Double, targetMegapascals: Double, alreadyReached: Bool) -> String? {
        if pressureMegapascals > 1.5 * targetMegapascals {
            return String(format: "WARNING: overshoot: %.2f MPa is more than 1.5 × the %.1f MPa target — back the screws off",
                          pressureMegapascals, targetMegapascals)
        }
        if pressureMegapascals >= targetMegapascals && !alreadyReached {
            return String(format: "target reached: %.2f MPa ≥ %.1f MPa", pressureMegapascals, targetMegapascals)
        }
        return nil
    }
}
