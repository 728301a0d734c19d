import GRDB

extension SiteStore {
    /// The schema, as named steps. Add a step for every change; never edit one that has shipped.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-site-core") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    CREATE TABLE orders (
                        id TEXT PRIMARY KEY NOT NULL,
                        product TEXT NOT NULL,
                        quantity REAL NOT NULL CHECK (quantity > 0),
                        release_at DATETIME,
                        due_at DATETIME NOT NULL,
                        priority INTEGER NOT NULL CHECK (priority >= 1),
                        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
                        CHECK (release_at IS NULL OR release_at <= due_at)
                    );
                    CREATE TABLE lots (
                        id TEXT PRIMARY KEY NOT NULL,
                        product TEXT NOT NULL,
                        quantity REAL NOT NULL CHECK (quantity > 0),
                        produced_at DATETIME NOT NULL,
                        expires_at DATETIME,
                        status TEXT NOT NULL CHECK (status IN ('released', 'on_hold', 'rejected'))
                    );
                    CREATE TABLE check_readings (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        check_id TEXT NOT NULL,
                        value REAL NOT NULL,
                        lot_id TEXT REFERENCES lots(id),
                        work_centre TEXT,
                        recorded_by TEXT,
                        at DATETIME NOT NULL
                    );
                    CREATE INDEX check_readings_by_check ON check_readings (check_id, lot_id, at);
                    CREATE TABLE findings (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        reading_id INTEGER REFERENCES check_readings(id),
                        rule_id TEXT NOT NULL,
                        severity TEXT NOT NULL CHECK (severity IN ('info', 'minor', 'major', 'critical')),
                        subject_kind TEXT NOT NULL,
                        subject_id TEXT NOT NULL,
                        message TEXT NOT NULL,
                        actions TEXT NOT NULL,
                        raised_at DATETIME NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                        closed_by TEXT,
                        closed_at DATETIME
                    );
                    CREATE TABLE lot_holds (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        lot_id TEXT NOT NULL REFERENCES lots(id),
                        finding_id INTEGER NOT NULL REFERENCES findings(id),
                        held_at DATETIME NOT NULL,
                        released_at DATETIME
                    );
                    CREATE TABLE work_centre_blocks (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        work_centre TEXT NOT NULL,
                        finding_id INTEGER NOT NULL REFERENCES findings(id),
                        blocked_at DATETIME NOT NULL,
                        released_at DATETIME
                    );
                    CREATE TABLE incidents (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        severity TEXT NOT NULL CHECK (severity IN ('info', 'minor', 'major', 'critical')),
                        description TEXT NOT NULL,
                        work_centre TEXT,
                        reported_by TEXT,
                        at DATETIME NOT NULL
                    );
                    CREATE TABLE outbox (
                        seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
                        epoch TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        class TEXT NOT NULL CHECK (class IN ('fact', 'state')),
                        key TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        acked_at DATETIME
                    );
                    """)
        }
        return migrator
    }()
}
