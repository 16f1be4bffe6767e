// CGPIOD: a thin shim over libgpiod v1.6 (Debian 12) so that Swift sees one small, stable
// API; a v2 implementation can replace cgpiod.c without touching Swift. Each function names
// the libgpiod calls it makes. Negative returns are -errno, captured right after the call.
#ifndef CGPIOD_H
#define CGPIOD_H

#include <stdint.h>

/// One requested line and the chip handle that owns it.
typedef struct cgpiod_line cgpiod_line;

enum {
    CGPIOD_MODE_INPUT = 0,
    CGPIOD_MODE_OUTPUT = 1,
    CGPIOD_MODE_BOTH_EDGES = 2,
};

enum {
    CGPIOD_EDGE_RISING = 1,   /* GPIOD_LINE_EVENT_RISING_EDGE */
    CGPIOD_EDGE_FALLING = 2,  /* GPIOD_LINE_EVENT_FALLING_EDGE */
};

/// gpiod_chip_open_lookup(chip) (name "gpiochip0", path, label or number), gpiod_chip_get_line(offset),
/// then gpiod_line_request_input / _output(default_value) / _both_edges_events(consumer).
/// Returns NULL with *err = errno on failure.
cgpiod_line *cgpiod_request_by_offset(const char *chip, unsigned int offset, int mode,
                                      int default_value, const char *consumer, int *err);

/// gpiod_line_find(name) (searches every chip), then the same request calls.
cgpiod_line *cgpiod_request_by_name(const char *name, int mode, int default_value,
                                    const char *consumer, int *err);

/// gpiod_line_offset.
unsigned int cgpiod_line_offset(const cgpiod_line *line);

/// gpiod_chip_name of the owning chip (e.g. "gpiochip0"); valid until release.
const char *cgpiod_line_chip_name(const cgpiod_line *line);

/// gpiod_line_get_value. Returns 0/1 or -errno.
int cgpiod_get_value(cgpiod_line *line);

/// gpiod_line_set_value. Returns 0 or -errno.
int cgpiod_set_value(cgpiod_line *line, int value);

/// gpiod_line_event_wait (timeout_ns; negative waits forever) then gpiod_line_event_read.
/// Returns 1 with *edge and the kernel timestamp (CLOCK_MONOTONIC) set, 0 on timeout, or -errno.
int cgpiod_wait_event(cgpiod_line *line, int64_t timeout_ns, int *edge, int64_t *sec, int64_t *nsec);

/// gpiod_line_release then gpiod_chip_close (or gpiod_line_close_chip for a found line); frees.
void cgpiod_release(cgpiod_line *line);

#endif
