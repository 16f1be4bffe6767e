// The C API reference for the store benchmark: what the SQLite library itself can do with
// the same table, settings and batch size, with no Swift or GRDB in the way.
#include "sqlite_reference.h"
#include <sqlite3.h>
#include <stdio.h>

int cellpress_sqlite_reference_insert(const char *path, int64_t rows, int64_t batch_rows, const char *synchronous) {
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc != SQLITE_OK) return rc;
    char pragma[128];
    // The same connection settings GRDB gives cellpress's writer: WAL, the synchronous
    // level under test, foreign keys enforced (each sample's run_id is checked).
    snprintf(pragma, sizeof pragma, "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;", synchronous);
    rc = sqlite3_exec(db, pragma, NULL, NULL, NULL);
    if (rc != SQLITE_OK) goto done;
    sqlite3_stmt *stmt = NULL;
    rc = sqlite3_prepare_v2(db,
        "INSERT INTO echem_sample (run_id, unix_time_s, run_time_s, voltage_v, current_a, charge_c, step_index, cycle)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL);
    if (rc != SQLITE_OK) goto done;
    for (int64_t start = 0; start < rows; start += batch_rows) {
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        int64_t end = start + batch_rows < rows ? start + batch_rows : rows;
        for (int64_t i = start; i < end; i++) {
            sqlite3_reset(stmt);
            sqlite3_bind_int64(stmt, 1, 1);
            sqlite3_bind_double(stmt, 2, 1.7e9 + (double)i * 0.01);
            sqlite3_bind_double(stmt, 3, (double)i * 0.01);
            sqlite3_bind_double(stmt, 4, 0.05 + (double)(i % 100) * 1e-4);
            sqlite3_bind_double(stmt, 5, 31.4e-6);
            sqlite3_bind_double(stmt, 6, (double)i * 3.14e-7);
            sqlite3_bind_int64(stmt, 7, i / 100000);
            sqlite3_bind_int64(stmt, 8, i / 50000);
            rc = sqlite3_step(stmt);
            if (rc != SQLITE_DONE) { sqlite3_finalize(stmt); goto done; }
        }
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) { sqlite3_finalize(stmt); goto done; }
    }
    sqlite3_finalize(stmt);
    rc = SQLITE_OK;
done:
    sqlite3_close(db);
    return rc;
}
