import CAgentShims

/// Whether the system clock is synchronised (NTP or another discipline), as the kernel
/// sees it: adjtimex(2)'s STA_UNSYNC flag and TIME_ERROR state. Boards without a real-time
/// clock boot with a wrong time until NTP catches up; a run started then gets wall times
/// that are off, so the run records it and `status` warns.
public enum ClockTrust {
    /// true: synchronised; false: not synchronised; nil: cannot tell.
    public static func isSynchronized() -> Bool? {
        switch cellpress_clock_synchronized() {
        case 1: return true
        case 0: return false
        default: return nil
        }
    }
}
