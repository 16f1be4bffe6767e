/* C reference of the column segmentation of SCIENCE.md ("Segmentation conventions"),
 * the same two-sweep, slab-streaming algorithm as Analysis/Segmentation/ColumnKernel.swift,
 * for the benchmark only. */
#ifndef SEGMENT_REFERENCE_H
#define SEGMENT_REFERENCE_H

#include <stdint.h>

typedef struct {
    int64_t top_lithium, top_void, top_columns, top_contact, top_start_sum, top_end_sum;
    int64_t bottom_lithium, bottom_void, bottom_columns, bottom_contact;
    int64_t bottom_interface_sum, bottom_collector_sum;
    int64_t stack_columns, stack_sum, bulk_pores;
} cref_totals;

/* Segments a float32 volume (x fastest, then y, then z) on `threads` pthreads, slabs of
 * `slab_columns` columns dealt round-robin. Maps (nx*ny bytes) get 1 where in contact.
 * Returns 0, or -1 when a thread or allocation failed. */
int cref_segment(const float *voxels, int nx, int ny, int nz,
                 float void_max, float lithium_max, float interphase_min,
                 int threads, int slab_columns,
                 cref_totals *out, uint8_t *top_map, uint8_t *bottom_map);

#endif
