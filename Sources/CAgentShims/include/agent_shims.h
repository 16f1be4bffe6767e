#ifndef CELLPRESS_AGENT_SHIMS_H
#define CELLPRESS_AGENT_SHIMS_H

/// Wraps adjtimex(2) in read-only mode (modes = 0): 1 when the kernel's clock is
/// synchronised, 0 when STA_UNSYNC is set or the state is TIME_ERROR, -1 on failure.
/// (<sys/timex.h> is not in Swift's Glibc module.)
int cellpress_clock_synchronized(void);

#endif
