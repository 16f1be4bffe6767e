#include "cgpiod.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <gpiod.h>

struct cgpiod_line {
    struct gpiod_chip *chip;  /* owned when opened by offset */
    struct gpiod_line *line;
    int found_by_name;        /* close with gpiod_line_close_chip */
};

static int request(struct gpiod_line *line, int mode, int default_value, const char *consumer) {
    switch (mode) {
    case CGPIOD_MODE_INPUT: return gpiod_line_request_input(line, consumer);
    case CGPIOD_MODE_OUTPUT: return gpiod_line_request_output(line, consumer, default_value);
    case CGPIOD_MODE_BOTH_EDGES: return gpiod_line_request_both_edges_events(line, consumer);
    default: errno = EINVAL; return -1;
    }
}

static int saved_errno(void) { return errno ? errno : EIO; }

cgpiod_line *cgpiod_request_by_offset(const char *chip_name, unsigned int offset, int mode,
                                      int default_value, const char *consumer, int *err) {
    errno = 0;
    struct gpiod_chip *chip = gpiod_chip_open_lookup(chip_name);
    if (!chip) { *err = saved_errno(); return NULL; }
    struct gpiod_line *line = gpiod_chip_get_line(chip, offset);
    if (!line) { *err = saved_errno(); gpiod_chip_close(chip); return NULL; }
    if (request(line, mode, default_value, consumer) < 0) {
        *err = saved_errno(); gpiod_chip_close(chip); return NULL;
    }
    cgpiod_line *h = calloc(1, sizeof *h);
    if (!h) { *err = ENOMEM; gpiod_line_release(line); gpiod_chip_close(chip); return NULL; }
    h->chip = chip; h->line = line; h->found_by_name = 0;
    return h;
}

cgpiod_line *cgpiod_request_by_name(const char *name, int mode, int default_value,
                                    const char *consumer, int *err) {
    errno = 0;
    struct gpiod_line *line = gpiod_line_find(name);
    if (!line) { *err = errno ? errno : ENOENT; return NULL; }
    if (request(line, mode, default_value, consumer) < 0) {
        *err = saved_errno(); gpiod_line_close_chip(line); return NULL;
    }
    cgpiod_line *h = calloc(1, sizeof *h);
    if (!h) { *err = ENOMEM; gpiod_line_release(line); gpiod_line_close_chip(line); return NULL; }
    h->chip = gpiod_line_get_chip(line); h->line = line; h->found_by_name = 1;
    return h;
}

unsigned int cgpiod_line_offset(const cgpiod_line *h) { return gpiod_line_offset(h->line); }

const char *cgpiod_line_chip_name(const cgpiod_line *h) { return gpiod_chip_name(h->chip); }

int cgpiod_get_value(cgpiod_line *h) {
    int v = gpiod_line_get_value(h->line);
    return v < 0 ? -saved_errno() : v;
}

int cgpiod_set_value(cgpiod_line *h, int value) {
    return gpiod_line_set_value(h->line, value) < 0 ? -saved_errno() : 0;
}

int cgpiod_wait_event(cgpiod_line *h, int64_t timeout_ns, int *edge, int64_t *sec, int64_t *nsec) {
    if (timeout_ns >= 0) {
        struct timespec ts = { .tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000 };
        int r = gpiod_line_event_wait(h->line, &ts);
        if (r < 0) return -saved_errno();
        if (r == 0) return 0;
    } else {
        int r = gpiod_line_event_wait(h->line, NULL);
        if (r < 0) return -saved_errno();
    }
    struct gpiod_line_event ev;
    if (gpiod_line_event_read(h->line, &ev) < 0) return -saved_errno();
    *edge = ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE ? CGPIOD_EDGE_RISING : CGPIOD_EDGE_FALLING;
    *sec = ev.ts.tv_sec;
    *nsec = ev.ts.tv_nsec;
    return 1;
}

void cgpiod_release(cgpiod_line *h) {
    if (!h) return;
    gpiod_line_release(h->line);
    if (h->found_by_name) gpiod_line_close_chip(h->line);
    else gpiod_chip_close(h->chip);
    free(h);
}
