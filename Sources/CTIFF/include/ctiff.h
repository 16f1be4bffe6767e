/* Thin shim over libtiff: Swift cannot call the variadic TIFFGetField, and libtiff reports
 * errors through a global handler; this captures the last message per thread. */
#ifndef CTIFF_H
#define CTIFF_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t width, height;
    uint16_t bits_per_sample;
    uint16_t sample_format;      /* 1 uint, 2 int, 3 float (libtiff SAMPLEFORMAT_*) */
    uint16_t samples_per_pixel;
    uint16_t planar_config;
    int tiled;
} ctiff_page_info;

/* Opens a TIFF for reading; NULL on failure (message in ctiff_last_error()). */
void *ctiff_open(const char *path);
void ctiff_close(void *tif);
/* Number of pages (directories), or -1 when the directory chain is broken. */
int ctiff_page_count(void *tif);
/* Selects page `page` (0-based) and fills `info`; 0 on success, -1 on error. */
int ctiff_select_page(void *tif, int page, ctiff_page_info *info);
/* Copies rows [row0, row0+nrows), columns [col0, col0+ncols) of the current page, single
 * sample per pixel, into dst (tightly packed, bytes_per_sample each). Strips or tiles.
 * 0 on success, -1 on a read/decode error. */
int ctiff_read_region(void *tif, uint32_t row0, uint32_t nrows, uint32_t col0, uint32_t ncols,
                      void *dst);
/* Last libtiff error message of this thread ("" if none). */
const char *ctiff_last_error(void);
void ctiff_clear_error(void);

#endif
