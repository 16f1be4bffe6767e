import GRDB

/// The schema, as named migrations. Append-only: a released migration is never edited;
/// a change is a new migration at the end.
///
/// Conventions:
/// - Every table has `id INTEGER PRIMARY KEY AUTOINCREMENT`: a per-table sequence that only
///   grows and is never reused. With the board's `node.uuid` it identifies a row across
///   boards: (node uuid, table, id) is the key a central database merges on.
/// - Times: `unix_time_s` is wall-clock Unix time in seconds (REAL, UTC); `run_time_s` is
///   monotonic seconds since the run started (CLOCK_MONOTONIC based, immune to clock steps).
/// - SI units in storage, unit in every column name.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: node, cells, assemblies, runs, samples, events, scans") { db in
            try db.execute(sql: """
                CREATE TABLE node (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    uuid TEXT NOT NULL,
                    created_unix_time_s REAL NOT NULL
                );
                CREATE TABLE cell (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    uuid TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL UNIQUE,
                    diameter_mm REAL NOT NULL CHECK (diameter_mm > 0),
                    area_cm2 REAL NOT NULL CHECK (area_cm2 > 0),
                    electrolyte TEXT NOT NULL DEFAULT '',
                    notes TEXT NOT NULL DEFAULT '',
                    created_unix_time_s REAL NOT NULL
                );
                CREATE TABLE assembly (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    cell_id INTEGER NOT NULL REFERENCES cell(id),
                    unix_time_s REAL NOT NULL,
                    torque_nm_per_screw REAL NOT NULL CHECK (torque_nm_per_screw >= 0),
                    screw_count INTEGER NOT NULL CHECK (screw_count > 0),
                    screw_size TEXT NOT NULL DEFAULT '',
                    estimated_force_n REAL,
                    measured_force_n REAL,
                    operator_note TEXT NOT NULL DEFAULT ''
                );
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    uuid TEXT NOT NULL UNIQUE,
                    cell_id INTEGER NOT NULL REFERENCES cell(id),
                    protocol_text TEXT NOT NULL DEFAULT '',
                    config_snapshot TEXT NOT NULL DEFAULT '',
                    started_unix_time_s REAL NOT NULL,
                    ended_unix_time_s REAL,
                    status TEXT NOT NULL,
                    end_reason TEXT NOT NULL DEFAULT '',
                    clock_synchronized INTEGER
                );
                CREATE TABLE echem_sample (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES run(id),
                    unix_time_s REAL NOT NULL,
                    run_time_s REAL NOT NULL,
                    voltage_v REAL NOT NULL,
                    current_a REAL NOT NULL,
                    charge_c REAL NOT NULL,
                    step_index INTEGER NOT NULL,
                    cycle INTEGER NOT NULL
                );
                CREATE INDEX echem_sample_run_time ON echem_sample(run_id, unix_time_s);
                CREATE TABLE force_sample (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    cell_id INTEGER NOT NULL REFERENCES cell(id),
                    run_id INTEGER REFERENCES run(id),
                    sensor_id TEXT NOT NULL,
                    unix_time_s REAL NOT NULL,
                    monotonic_s REAL NOT NULL,
                    raw_counts INTEGER,
                    force_n REAL NOT NULL,
                    pressure_mpa REAL NOT NULL,
                    temperature_c REAL
                );
                CREATE INDEX force_sample_cell_time ON force_sample(cell_id, unix_time_s);
                CREATE INDEX force_sample_run_time ON force_sample(run_id, unix_time_s);
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    cell_id INTEGER REFERENCES cell(id),
                    run_id INTEGER REFERENCES run(id),
                    unix_time_s REAL NOT NULL,
                    kind TEXT NOT NULL,
                    message TEXT NOT NULL DEFAULT '',
                    value REAL,
                    data_json TEXT
                );
                CREATE INDEX event_run_time ON event(run_id, unix_time_s);
                CREATE TABLE calibration (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sensor_id TEXT NOT NULL,
                    created_unix_time_s REAL NOT NULL,
                    method TEXT NOT NULL,
                    counts_per_newton REAL NOT NULL,
                    zero_counts REAL NOT NULL,
                    residual_rms_n REAL,
                    points_json TEXT NOT NULL DEFAULT '[]'
                );
                CREATE TABLE scan (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES run(id),
                    started_unix_time_s REAL NOT NULL,
                    ended_unix_time_s REAL NOT NULL,
                    path TEXT NOT NULL,
                    voxel_um REAL NOT NULL,
                    size_x INTEGER NOT NULL,
                    size_y INTEGER NOT NULL,
                    size_z INTEGER NOT NULL
                );
                CREATE TABLE scan_result (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    created_unix_time_s REAL NOT NULL,
                    stack_thickness_um REAL,
                    top_contact_area_um2 REAL,
                    bottom_contact_area_um2 REAL,
                    top_lithium_volume_um3 REAL,
                    bottom_lithium_volume_um3 REAL,
                    result_json TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: per-second and per-minute summaries for retention") { db in
            for (suffix, _) in [("1s", 1), ("1min", 60)] {
                try db.execute(sql: """
                    CREATE TABLE force_summary_\(suffix) (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        cell_id INTEGER NOT NULL REFERENCES cell(id),
                        run_id INTEGER REFERENCES run(id),
                        sensor_id TEXT NOT NULL,
                        bucket_unix_time_s REAL NOT NULL,
                        samples INTEGER NOT NULL,
                        force_min_n REAL NOT NULL, force_mean_n REAL NOT NULL, force_max_n REAL NOT NULL,
                        pressure_min_mpa REAL NOT NULL, pressure_mean_mpa REAL NOT NULL, pressure_max_mpa REAL NOT NULL
                    );
                    CREATE INDEX force_summary_\(suffix)_cell_time ON force_summary_\(suffix)(cell_id, bucket_unix_time_s);
                    CREATE TABLE echem_summary_\(suffix) (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id INTEGER NOT NULL REFERENCES run(id),
                        bucket_unix_time_s REAL NOT NULL,
                        samples INTEGER NOT NULL,
                        voltage_min_v REAL NOT NULL, voltage_mean_v REAL NOT NULL, voltage_max_v REAL NOT NULL,
                        current_min_a REAL NOT NULL, current_mean_a REAL NOT NULL, current_max_a REAL NOT NULL,
                        charge_last_c REAL NOT NULL
                    );
                    CREATE INDEX echem_summary_\(suffix)_run_time ON echem_summary_\(suffix)(run_id, bucket_unix_time_s);
                    """)
            }
        }
        migrator.registerMigration("v3: contact maps with scan results") { db in
            // Row-major bytes, one per interface-plane pixel (non-zero = contact).
            try db.execute(sql: """
                ALTER TABLE scan_result ADD COLUMN contact_map_width INTEGER;
                ALTER TABLE scan_result ADD COLUMN contact_map_height INTEGER;
                ALTER TABLE scan_result ADD COLUMN top_contact_map BLOB;
                ALTER TABLE scan_result ADD COLUMN bottom_contact_map BLOB;
                """)
        }
        return migrator
    }
}
