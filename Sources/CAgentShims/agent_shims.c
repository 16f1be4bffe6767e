#include "agent_shims.h"
#include <sys/timex.h>

int cellpress_clock_synchronized(void) {
    struct timex t = {0};
    t.modes = 0;
    int state = adjtimex(&t);
    if (state < 0) return -1;
    if (state == TIME_ERROR || (t.status & STA_UNSYNC)) return 0;
    return 1;
}
