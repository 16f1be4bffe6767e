#include "segment_reference.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int32_t b_phase, b_collector, b_interface, b_dark, b_first_dark;
    int32_t t_phase, t_start, t_end, t_dark, t_last_dark, mid;
    int32_t f_void, f_pore, closer_z, closer_is_pore, snap_void, snap_pore, top_void, top_pore;
    int32_t w_state, w_start, b_void, b_pore;
} col_state;

static void add_totals(cref_totals *a, const cref_totals *b) {
    a->top_lithium += b->top_lithium; a->top_void += b->top_void; a->top_columns += b->top_columns;
    a->top_contact += b->top_contact; a->top_start_sum += b->top_start_sum; a->top_end_sum += b->top_end_sum;
    a->bottom_lithium += b->bottom_lithium; a->bottom_void += b->bottom_void;
    a->bottom_columns += b->bottom_columns; a->bottom_contact += b->bottom_contact;
    a->bottom_interface_sum += b->bottom_interface_sum; a->bottom_collector_sum += b->bottom_collector_sum;
    a->stack_columns += b->stack_columns; a->stack_sum += b->stack_sum; a->bulk_pores += b->bulk_pores;
}

static inline int imax(int a, int b) { return a > b ? a : b; }
static inline int imin(int a, int b) { return a < b ? a : b; }

static void segment_slab(const float *p, int nx, int ny, int nz, int c0, int c1,
                         float V, float L, float I, col_state *st,
                         uint8_t *top_map, uint8_t *bottom_map, cref_totals *tot) {
    const long plane = (long)nx * ny;
    const int half = nz / 2, width = c1 - c0;
    for (int i = 0; i < width; i++) {
        memset(&st[i], 0, sizeof(col_state));
        st[i].b_first_dark = INT32_MAX; st[i].t_last_dark = -1; st[i].mid = INT32_MAX; st[i].closer_z = -1;
    }
    /* Sweep 1: bottom electrode, mirrored. */
    int active = width;
    for (int z = nz - 1; z >= half && active > 0; z--) {
        const float *s = p + z * plane + c0;
        const float *s1 = p + imax(z - 1, 0) * plane + c0, *s2 = p + imax(z - 2, 0) * plane + c0;
        for (int i = 0; i < width; i++) {
            col_state *c = &st[i];
            int phase = c->b_phase;
            if (phase == 2) continue;
            float v = s[i];
            if (phase == 0) {
                if (v < L) {
                    c->b_phase = 1; c->b_collector = z + 1;
                    if (v < V) { c->b_dark = 1; c->b_first_dark = z; }
                }
            } else if (v >= L) {
                float m = (v + s1[i] + s2[i]) * (1.0f / 3.0f);
                if (m > I) { c->b_phase = 2; c->b_interface = z + 1; active--; }
            } else if (v < V) {
                c->b_dark++; c->b_first_dark = z;
            }
        }
    }
    for (int i = 0; i < width; i++)
        if (st[i].b_phase == 1) { st[i].b_phase = 2; st[i].b_interface = half; }

    /* Sweep 2: forward. */
    active = width;
    for (int z = 0; z < nz && active > 0; z++) {
        const float *s = p + z * plane + c0;
        const float *up1 = p + imax(z - 1, 0) * plane + c0, *up2 = p + imax(z - 2, 0) * plane + c0;
        const float *dn1 = p + imin(z + 1, nz - 1) * plane + c0, *dn2 = p + imin(z + 2, nz - 1) * plane + c0;
        const float up_scale = z >= 2 ? 1.0f / 3.0f : (z == 1 ? 0.5f : 1.0f);
        const float up_w1 = z >= 1 ? 1.0f : 0.0f, up_w2 = z >= 2 ? 1.0f : 0.0f;
        const float dn_scale = z + 2 < nz ? 1.0f / 3.0f : (z + 1 < nz ? 0.5f : 1.0f);
        const float dn_w1 = z + 1 < nz ? 1.0f : 0.0f, dn_w2 = z + 2 < nz ? 1.0f : 0.0f;
        const int in_top = z < half;
        for (int i = 0; i < width; i++) {
            col_state *c = &st[i];
            if (z > c->mid && c->w_state == 2) continue;
            float v = s[i];
            if (in_top) {
                int phase = c->t_phase;
                if (phase == 0) {
                    if (v < L) {
                        c->t_phase = 1; c->t_start = z;
                        if (v < V) { c->t_dark = 1; c->t_last_dark = z; }
                    } else {
                        c->closer_z = z; c->closer_is_pore = 1;
                        continue;
                    }
                } else if (phase == 1) {
                    if (v >= L) {
                        float m = (v + dn_w1 * dn1[i] + dn_w2 * dn2[i]) * dn_scale;
                        if (m > I) {
                            c->t_phase = 2; c->t_end = z;
                            int b = c->b_collector > 0 ? c->b_interface : half;
                            c->mid = (z + b) / 2;
                        }
                    } else if (v < V) {
                        c->t_dark++; c->t_last_dark = z;
                    }
                }
            } else if (z == half && c->t_phase != 2) {
                if (c->t_phase == 1) c->t_end = half;
                c->t_phase = 2;
                int b = c->b_collector > 0 ? c->b_interface : half;
                c->mid = (half + b) / 2;
            }
            int mid = c->mid;
            if (z < mid) {
                if (v < V) {
                    int cz = c->closer_z;
                    if (cz < 0) { c->f_void = 0; c->f_pore = 0; }
                    else if (c->closer_is_pore == 0) { c->f_void = z - cz; c->f_pore = 0; }
                    else { c->f_void = c->snap_void; c->f_pore = c->snap_pore + z - cz; }
                } else {
                    float m_up = (v + up_w1 * up1[i] + up_w2 * up2[i]) * up_scale;
                    if (m_up >= V) {
                        c->closer_z = z; c->closer_is_pore = m_up < L ? 0 : 1;
                        c->snap_void = c->f_void; c->snap_pore = c->f_pore;
                    }
                    if (v < L) { c->f_void = 0; c->f_pore = 0; }
                }
                continue;
            }
            if (z == mid) { c->top_void = c->f_void; c->top_pore = c->f_pore; }
            int w = c->w_state;
            if (w == 0) {
                if (v < V) { c->w_state = 1; c->w_start = z; }
                else if (v < L) { c->w_state = 2; active--; }
            } else if (w == 1 && v >= V) {
                float m_down = (v + dn_w1 * dn1[i] + dn_w2 * dn2[i]) * dn_scale;
                if (m_down >= V) {
                    if (m_down < L) { c->b_void = z - c->w_start; c->w_state = 2; active--; }
                    else { c->b_pore += z - c->w_start; c->w_state = 0; }
                }
            }
        }
    }
    for (int i = 0; i < width; i++) {
        const col_state *c = &st[i];
        int col = c0 + i, has_top = 0, has_bottom = 0;
        if (c->t_start < half && c->t_end > c->t_start) {
            has_top = 1;
            tot->top_columns++;
            tot->top_lithium += c->t_end - c->t_start - c->t_dark;
            tot->top_start_sum += c->t_start; tot->top_end_sum += c->t_end;
            int contact = c->t_last_dark < imax(c->t_start, c->t_end - 5);
            top_map[col] = (uint8_t)contact; tot->top_contact += contact;
        } else top_map[col] = 0;
        if (c->b_collector > 0) {
            has_bottom = 1;
            tot->bottom_columns++;
            tot->bottom_lithium += c->b_collector - c->b_interface - c->b_dark;
            tot->bottom_interface_sum += c->b_interface; tot->bottom_collector_sum += c->b_collector;
            int contact = c->b_first_dark >= imin(c->b_collector, c->b_interface + 5);
            bottom_map[col] = (uint8_t)contact; tot->bottom_contact += contact;
        } else bottom_map[col] = 0;
        if (has_top && has_bottom) { tot->stack_columns++; tot->stack_sum += c->b_collector - c->t_start; }
        tot->top_void += c->top_void; tot->bottom_void += c->b_void;
        tot->bulk_pores += c->top_pore + c->b_pore;
    }
}

typedef struct {
    const float *voxels; int nx, ny, nz; float V, L, I;
    int worker, workers, slab_columns;
    uint8_t *top_map, *bottom_map;
    cref_totals totals; int failed;
} job;

static void *run_job(void *arg) {
    job *j = arg;
    col_state *st = malloc(sizeof(col_state) * (size_t)j->slab_columns);
    if (!st) { j->failed = 1; return NULL; }
    int columns = j->nx * j->ny;
    int slabs = (columns + j->slab_columns - 1) / j->slab_columns;
    for (int s = j->worker; s < slabs; s += j->workers) {
        int c0 = s * j->slab_columns, c1 = imin(columns, c0 + j->slab_columns);
        segment_slab(j->voxels, j->nx, j->ny, j->nz, c0, c1, j->V, j->L, j->I, st,
                     j->top_map, j->bottom_map, &j->totals);
    }
    free(st);
    return NULL;
}

int cref_segment(const float *voxels, int nx, int ny, int nz,
                 float void_max, float lithium_max, float interphase_min,
                 int threads, int slab_columns,
                 cref_totals *out, uint8_t *top_map, uint8_t *bottom_map) {
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    job jobs[64];
    pthread_t tids[64];
    memset(out, 0, sizeof(*out));
    for (int w = 0; w < threads; w++) {
        jobs[w] = (job){ voxels, nx, ny, nz, void_max, lithium_max, interphase_min,
                         w, threads, slab_columns, top_map, bottom_map, {0}, 0 };
    }
    int failed = 0;
    for (int w = 1; w < threads; w++)
        if (pthread_create(&tids[w], NULL, run_job, &jobs[w]) != 0) { jobs[w].failed = 1; }
    run_job(&jobs[0]);
    for (int w = 1; w < threads; w++) if (!jobs[w].failed) pthread_join(tids[w], NULL);
    for (int w = 0; w < threads; w++) { failed |= jobs[w].failed; add_totals(out, &jobs[w].totals); }
    return failed ? -1 : 0;
}
