import GRDB
import TaktCore

extension SiteStore {
    /// The schema, as named steps: the core's, then those of the record kinds the site's modules declare. Add
    /// a step for every change; never edit one that has shipped.
    static func migrator(_ recordKinds: [AnyRecordKind]) -> DatabaseMigrator {
        var migrator = coreMigrator
        ModuleRecordMigrations.register(recordKinds, into: &migrator)
        return migrator
    }

    /// The core's own steps.
    static let coreMigrator: DatabaseMigrator = {
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
                        status TEXT NOT NULL CHECK (status IN ('released', 'on_hold', 'rejected', 'issued'))
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
                        key TEXT UNIQUE,
                        closed_by TEXT,
                        closed_at DATETIME,
                        resolution TEXT,
                        CHECK (status = 'open' OR (closed_by IS NOT NULL AND closed_at IS NOT NULL))
                    );
                    CREATE TABLE lot_holds (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        lot_id TEXT NOT NULL REFERENCES lots(id),
                        finding_id INTEGER NOT NULL REFERENCES findings(id),
                        held_at DATETIME NOT NULL,
                        released_at DATETIME,
                        released_by TEXT
                    );
                    CREATE TABLE blocks (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL CHECK (kind IN ('block_work_centre', 'block_operator', 'block_reel')),
                        target TEXT NOT NULL,
                        finding_id INTEGER NOT NULL REFERENCES findings(id),
                        blocked_at DATETIME NOT NULL,
                        released_at DATETIME,
                        released_by TEXT
                    );
                    CREATE INDEX blocks_active ON blocks (kind, target) WHERE released_at IS NULL;
                    CREATE TABLE reels (
                        id TEXT PRIMARY KEY NOT NULL,
                        part TEXT NOT NULL,
                        level TEXT NOT NULL CHECK (level IN ('1', '2', '2a', '3', '4', '5', '5a', '6')),
                        label_floor_life_seconds INTEGER,
                        exposed_seconds REAL NOT NULL CHECK (exposed_seconds >= 0),
                        opened_at DATETIME,
                        baked_at DATETIME
                    );
                    CREATE TABLE reel_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        reel_id TEXT NOT NULL REFERENCES reels(id),
                        kind TEXT NOT NULL CHECK (kind IN ('open', 'store', 'bake', 'use')),
                        work_centre TEXT,
                        by TEXT,
                        at DATETIME NOT NULL
                    );
                    CREATE TABLE roster (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        staff TEXT NOT NULL,
                        start_at DATETIME NOT NULL,
                        end_at DATETIME NOT NULL,
                        break_seconds INTEGER NOT NULL CHECK (break_seconds >= 0),
                        work_centre TEXT,
                        CHECK (end_at > start_at)
                    );
                    CREATE INDEX roster_by_staff ON roster (staff, start_at);
                    CREATE TABLE lot_issues (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        lot_id TEXT NOT NULL REFERENCES lots(id),
                        by TEXT,
                        at DATETIME NOT NULL
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
        registerScheduleMigration(&migrator)
        registerSyncMigration(&migrator)
        registerCostMigration(&migrator)
        registerProductionMigration(&migrator)
        registerModuleBlocksMigration(&migrator)
        registerSiteAppMigration(&migrator)
        migrator.registerMigration("v8-downtime-reasons") { db in
            try db.execute(sql: "ALTER TABLE production_reports ADD COLUMN down_reason TEXT")
        }
        registerRestoreMigration(&migrator)
        // Schedule adherence judges an order by when it was finished (`DayAdherence`).
        migrator.registerMigration("v10-order-completion") { db in
            try db.execute(sql: "ALTER TABLE orders ADD COLUMN completed_at DATETIME")
        }
        // The sweep reads the last day's readings (cooling deadlines run by the clock): by time, not a full scan.
        migrator.registerMigration("v11-readings-by-time") { db in
            try db.execute(sql: "CREATE INDEX check_readings_by_time ON check_readings (at)")
        }
        registerInstrumentMigration(&migrator)
        registerMaterialsMigration(&migrator)
        registerPurchasingMigration(&migrator)
        registerMaintenanceMigration(&migrator)
        registerIncidentMigration(&migrator)
        registerAuditMigration(&migrator)
        registerChartMigration(&migrator)
        registerNonConformanceMigration(&migrator)
        registerRiskMigration(&migrator)
        registerPermitMigration(&migrator)
        registerAlertMigration(&migrator)
        registerIncidentCorrectionMigration(&migrator)
        registerAuditLinkMigration(&migrator)
        registerPeopleMigration(&migrator)
        registerCostingMigration(&migrator)
        return migrator
    }()
}

extension SiteStore {
    /// Schedules: each run of the scheduler is kept, with its rows; the newest is the current plan.
    static func registerScheduleMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-schedules") { db in
            try db.execute(
                sql: """
                    CREATE TABLE schedules (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        created_at DATETIME NOT NULL,
                        summary TEXT NOT NULL
                    );
                    CREATE TABLE schedule_rows (
                        schedule_id INTEGER NOT NULL REFERENCES schedules(id),
                        kind TEXT NOT NULL CHECK (kind IN ('operation', 'changeover', 'clean')),
                        order_id TEXT NOT NULL,
                        operation TEXT NOT NULL,
                        product TEXT NOT NULL,
                        work_centre TEXT NOT NULL,
                        unit INTEGER NOT NULL CHECK (unit >= 1),
                        start_at DATETIME NOT NULL,
                        end_at DATETIME NOT NULL,
                        task TEXT,
                        rule TEXT,
                        CHECK (end_at >= start_at)
                    );
                    CREATE INDEX schedule_rows_by_schedule ON schedule_rows (schedule_id, work_centre, start_at);
                    """)
        }
    }
}

extension SiteStore {
    /// The sync agent's own state: records central refused as malformed.
    static func registerSyncMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-sync") { db in
            try db.execute(
                sql: """
                    CREATE TABLE dead_letters (
                        seq INTEGER PRIMARY KEY NOT NULL REFERENCES outbox(seq),
                        reason TEXT NOT NULL,
                        at DATETIME NOT NULL
                    );
                    CREATE INDEX outbox_unacked ON outbox (seq) WHERE acked_at IS NULL;
                    """)
        }
    }
}

extension SiteStore {
    /// Costs recorded in the site's currency.
    static func registerCostMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-costs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE costs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        amount REAL NOT NULL,
                        currency TEXT NOT NULL CHECK (length(currency) = 3),
                        category TEXT NOT NULL CHECK (length(category) > 0),
                        order_id TEXT,
                        note TEXT,
                        at DATETIME NOT NULL,
                        region_amount REAL,
                        region_currency TEXT
                    );
                    CREATE INDEX costs_by_time ON costs (at);
                    """)
        }
    }
}

extension SiteStore {
    /// Production reports, for OEE.
    static func registerProductionMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-production") { db in
            try db.execute(
                sql: """
                    CREATE TABLE production_reports (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        work_centre TEXT NOT NULL,
                        product TEXT NOT NULL,
                        order_id TEXT,
                        from_at DATETIME NOT NULL,
                        to_at DATETIME NOT NULL,
                        planned_seconds REAL NOT NULL CHECK (planned_seconds >= 0),
                        down_seconds REAL NOT NULL CHECK (down_seconds >= 0),
                        good REAL NOT NULL CHECK (good >= 0),
                        scrap REAL NOT NULL CHECK (scrap >= 0),
                        ideal_seconds_per_unit REAL NOT NULL CHECK (ideal_seconds_per_unit >= 0),
                        CHECK (to_at > from_at)
                    );
                    """)
        }
    }
}

extension SiteStore {
    /// Modules own their records: blocks of any module's kind (`block_reel`), and the core's old reel tables
    /// go where they are empty (a site that keeps reels has them adopted by electronics_assembly's migrations).
    static func registerModuleBlocksMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-module-blocks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE blocks_v6 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL CHECK (kind GLOB 'block_[a-z]*'),
                        target TEXT NOT NULL,
                        finding_id INTEGER NOT NULL REFERENCES findings(id),
                        blocked_at DATETIME NOT NULL,
                        released_at DATETIME,
                        released_by TEXT
                    );
                    INSERT INTO blocks_v6 SELECT id, kind, target, finding_id, blocked_at, released_at, released_by
                        FROM blocks;
                    DROP TABLE blocks;
                    ALTER TABLE blocks_v6 RENAME TO blocks;
                    CREATE INDEX blocks_active ON blocks (kind, target) WHERE released_at IS NULL;
                    """)
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reel_events") == 0 {
                try db.execute(sql: "DROP TABLE reel_events")
                if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reels") == 0 {
                    try db.execute(sql: "DROP TABLE reels")
                }
            }
        }
    }
}
