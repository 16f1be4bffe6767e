#include "ctiff.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

static __thread char last_error[512];

static void error_handler(const char *module, const char *fmt, va_list ap) {
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    snprintf(last_error, sizeof last_error, "%s%s%s", module ? module : "", module ? ": " : "", msg);
}

static void warning_handler(const char *module, const char *fmt, va_list ap) {
    (void)module; (void)fmt; (void)ap;   /* unknown tags etc.: not our business */
}

static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;
static void install_handlers(void) {
    TIFFSetErrorHandler(error_handler);
    TIFFSetWarningHandler(warning_handler);
}

const char *ctiff_last_error(void) { return last_error; }
void ctiff_clear_error(void) { last_error[0] = 0; }

void *ctiff_open(const char *path) {
    pthread_once(&handlers_once, install_handlers);
    last_error[0] = 0;
    return TIFFOpen(path, "r");
}

void ctiff_close(void *tif) { if (tif) TIFFClose((TIFF *)tif); }

int ctiff_page_count(void *tif) {
    TIFF *t = tif;
    if (!TIFFSetDirectory(t, 0)) return -1;
    int n = 1;
    while (TIFFReadDirectory(t)) n++;
    if (last_error[0]) return -1;
    return n;
}

int ctiff_select_page(void *tif, int page, ctiff_page_info *info) {
    TIFF *t = tif;
    /* Pages are read in order: stepping to the next directory avoids TIFFSetDirectory's
     * walk from the first one (quadratic over a long stack). */
    tdir_t current = TIFFCurrentDirectory(t);
    if (current != (tdir_t)page) {
        int ok = (current + 1 == (tdir_t)page) ? TIFFReadDirectory(t) : TIFFSetDirectory(t, (tdir_t)page);
        if (!ok) return -1;
    }
    uint32_t w = 0, h = 0;
    uint16_t bps = 1, fmt = SAMPLEFORMAT_UINT, spp = 1, planar = PLANARCONFIG_CONTIG;
    if (!TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h)) {
        snprintf(last_error, sizeof last_error, "missing image width or length");
        return -1;
    }
    TIFFGetFieldDefaulted(t, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLEFORMAT, &fmt);
    TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(t, TIFFTAG_PLANARCONFIG, &planar);
    info->width = w; info->height = h; info->bits_per_sample = bps; info->sample_format = fmt;
    info->samples_per_pixel = spp; info->planar_config = planar; info->tiled = TIFFIsTiled(t);
    return 0;
}

int ctiff_read_region(void *tif, uint32_t row0, uint32_t nrows, uint32_t col0, uint32_t ncols,
                      void *dst) {
    TIFF *t = tif;
    uint16_t bps = 1;
    TIFFGetFieldDefaulted(t, TIFFTAG_BITSPERSAMPLE, &bps);
    size_t bytes = bps / 8;
    uint8_t *out = dst;
    if (!TIFFIsTiled(t)) {
        tmsize_t line = TIFFScanlineSize(t);
        uint8_t *buf = _TIFFmalloc(line);
        if (!buf) { snprintf(last_error, sizeof last_error, "out of memory"); return -1; }
        /* Scanlines must be read in order for compressed strips: start from row 0 of the
         * strip containing row0 is handled by libtiff; read sequentially up to the end. */
        for (uint32_t r = 0; r < row0 + nrows; r++) {
            if (r < row0) {
                uint32_t rps = 0;
                TIFFGetFieldDefaulted(t, TIFFTAG_ROWSPERSTRIP, &rps);
                /* Skip whole strips before the region without decoding them. */
                if (rps > 0 && (r % rps) == 0 && r + rps <= row0) { r += rps - 1; continue; }
            }
            if (TIFFReadScanline(t, buf, r, 0) < 0) { _TIFFfree(buf); return -1; }
            if (r >= row0) memcpy(out + (size_t)(r - row0) * ncols * bytes, buf + (size_t)col0 * bytes, ncols * bytes);
        }
        _TIFFfree(buf);
        return 0;
    }
    uint32_t tw = 0, th = 0;
    TIFFGetField(t, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(t, TIFFTAG_TILELENGTH, &th);
    if (tw == 0 || th == 0) { snprintf(last_error, sizeof last_error, "tiled image without tile size"); return -1; }
    uint8_t *tile = _TIFFmalloc(TIFFTileSize(t));
    if (!tile) { snprintf(last_error, sizeof last_error, "out of memory"); return -1; }
    for (uint32_t ty = row0 / th * th; ty < row0 + nrows; ty += th) {
        for (uint32_t tx = col0 / tw * tw; tx < col0 + ncols; tx += tw) {
            if (TIFFReadTile(t, tile, tx, ty, 0, 0) < 0) { _TIFFfree(tile); return -1; }
            for (uint32_t y = ty; y < ty + th; y++) {
                if (y < row0 || y >= row0 + nrows) continue;
                uint32_t x0 = tx > col0 ? tx : col0;
                uint32_t x1 = tx + tw < col0 + ncols ? tx + tw : col0 + ncols;
                memcpy(out + ((size_t)(y - row0) * ncols + (x0 - col0)) * bytes,
                       tile + ((size_t)(y - ty) * tw + (x0 - tx)) * bytes, (size_t)(x1 - x0) * bytes);
            }
        }
    }
    _TIFFfree(tile);
    return 0;
}
