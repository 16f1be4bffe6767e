#ifndef CELLPRESS_SQLITE_REFERENCE_H
#define CELLPRESS_SQLITE_REFERENCE_H
#include <stdint.h>

/// Inserts `rows` electrochemical samples for run 1 into the cellpress database at `path`
/// (created by cellpress, so the schema is the same) through the SQLite C API only,
/// `batch_rows` per transaction, WAL with the given synchronous level ("FULL"/"NORMAL").
/// Returns 0 or an SQLite result code.
int cellpress_sqlite_reference_insert(const char *path, int64_t rows, int64_t batch_rows, const char *synchronous);

#endif
