import Foundation

/// Central's schema as named, versioned steps, the same steps on SQLite and on PostgreSQL, each in its
/// dialect. SQLite records the steps it ran in GRDB's `grdb_migrations`, PostgreSQL in `takt_migrations`;
/// a database that has run a step this build does not know was migrated by a newer Takt and is refused.
///
/// Columns match name for name and type for type between the two (`CentralSchemaTests` compares them):
/// SQLite `TEXT`/`INTEGER`/`REAL`/`DATETIME` are PostgreSQL `text`/`bigint`/`double precision`/`timestamptz`.
public enum CentralSchema {
    public struct Step: Sendable {
        public var name: String
        public var sqlite: String
        /// PostgreSQL statements, run in order in one transaction. The first three steps are written so that a
        /// database made by a build from before migrations were recorded (`CREATE … IF NOT EXISTS`) is adopted.
        public var postgres: [String]
    }

    public static let steps: [Step] = [
        Step(
            name: "v1-central",
            sqlite: """
                CREATE TABLE sites (
                    id TEXT PRIMARY KEY NOT NULL,
                    epoch TEXT,
                    last_heard_at DATETIME,
                    clock_offset_seconds REAL,
                    config_running INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE cursors (
                    site TEXT NOT NULL,
                    epoch TEXT NOT NULL,
                    acknowledged INTEGER NOT NULL CHECK (acknowledged >= 0),
                    PRIMARY KEY (site, epoch)
                );
                CREATE TABLE records (
                    site TEXT NOT NULL,
                    epoch TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    class TEXT NOT NULL CHECK (class IN ('fact', 'state')),
                    key TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    received_at DATETIME NOT NULL,
                    PRIMARY KEY (site, epoch, seq)
                );
                CREATE TABLE state (
                    site TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (site, kind, key)
                );
                CREATE TABLE config_versions (
                    site TEXT NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    document TEXT NOT NULL,
                    published_at DATETIME NOT NULL,
                    published_by TEXT NOT NULL,
                    PRIMARY KEY (site, version)
                );
                CREATE TABLE nonces (
                    key_id TEXT NOT NULL,
                    nonce TEXT NOT NULL,
                    expires_at REAL NOT NULL,
                    PRIMARY KEY (key_id, nonce)
                );
                """,
            postgres: [
                """
                CREATE TABLE IF NOT EXISTS sites (id TEXT PRIMARY KEY, epoch TEXT, last_heard_at TIMESTAMPTZ,
                    clock_offset_seconds DOUBLE PRECISION, config_running BIGINT NOT NULL DEFAULT 0)
                """,
                """
                CREATE TABLE IF NOT EXISTS cursors (site TEXT NOT NULL, epoch TEXT NOT NULL,
                    acknowledged BIGINT NOT NULL CHECK (acknowledged >= 0), PRIMARY KEY (site, epoch))
                """,
                """
                CREATE TABLE IF NOT EXISTS records (site TEXT NOT NULL, epoch TEXT NOT NULL, seq BIGINT NOT NULL,
                    kind TEXT NOT NULL, class TEXT NOT NULL CHECK (class IN ('fact', 'state')), key TEXT NOT NULL,
                    payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, received_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (site, epoch, seq))
                """,
                """
                CREATE TABLE IF NOT EXISTS state (site TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
                    payload TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (site, kind, key))
                """,
                """
                CREATE TABLE IF NOT EXISTS config_versions (site TEXT NOT NULL, version BIGINT NOT NULL
                    CHECK (version >= 1), document TEXT NOT NULL, published_at TIMESTAMPTZ NOT NULL,
                    published_by TEXT NOT NULL, PRIMARY KEY (site, version))
                """,
                """
                CREATE TABLE IF NOT EXISTS nonces (key_id TEXT NOT NULL, nonce TEXT NOT NULL,
                    expires_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (key_id, nonce))
                """,
            ]),
        Step(
            name: "v2-users",
            sqlite: """
                CREATE TABLE users (
                    name TEXT PRIMARY KEY NOT NULL,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('administrator', 'regional_manager', 'site_manager', 'viewer')),
                    scope TEXT NOT NULL
                );
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    csrf TEXT NOT NULL,
                    expires_at REAL NOT NULL
                );
                CREATE TABLE api_tokens (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    created_at DATETIME NOT NULL
                );
                """,
            postgres: [
                """
                CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('administrator', 'regional_manager', 'site_manager', 'viewer')),
                    scope TEXT NOT NULL)
                """,
                """
                CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY,
                    "user" TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE, csrf TEXT NOT NULL,
                    expires_at DOUBLE PRECISION NOT NULL)
                """,
                """
                CREATE TABLE IF NOT EXISTS api_tokens (token_hash TEXT PRIMARY KEY,
                    "user" TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE, created_at TIMESTAMPTZ NOT NULL)
                """,
            ]),
        Step(
            name: "v3-expiring-tokens",
            // Tokens issued before tokens expired get 90 days from the upgrade.
            sqlite: """
                ALTER TABLE api_tokens ADD COLUMN expires_at REAL NOT NULL DEFAULT 0;
                UPDATE api_tokens SET expires_at = CAST(strftime('%s', 'now') AS REAL) + 90 * 86400;
                CREATE TABLE secrets (name TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL);
                """,
            postgres: [
                """
                ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS expires_at DOUBLE PRECISION NOT NULL
                    DEFAULT (EXTRACT(EPOCH FROM now()) + 90 * 86400)
                """,
                "CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ]),
        Step(
            name: "v4-rollups",
            // Daily roll-ups kept at ingest; the state rows carry what pages filter on (a finding's or lot's
            // status, a finding's or incident's severity, when it happened), so pages never decode a site's whole
            // history; records are found by kind and time without a scan; secrets are text on both stores.
            sqlite: """
                ALTER TABLE state ADD COLUMN status TEXT;
                ALTER TABLE state ADD COLUMN severity TEXT;
                ALTER TABLE state ADD COLUMN at REAL;
                UPDATE state SET status = json_extract(payload, '$.status'), severity = json_extract(payload, '$.severity'),
                    at = CAST(strftime('%s', json_extract(payload, '$.raisedAt')) AS REAL)
                    WHERE kind = 'finding' AND json_valid(payload);
                UPDATE state SET status = json_extract(payload, '$.status') WHERE kind = 'lot' AND json_valid(payload);
                UPDATE state SET severity = json_extract(payload, '$.severity'),
                    at = CAST(strftime('%s', json_extract(payload, '$.at')) AS REAL)
                    WHERE kind = 'incident' AND json_valid(payload);
                UPDATE state SET status = 'unreadable' WHERE (kind = 'finding' AND (status IS NULL OR severity IS NULL
                    OR at IS NULL)) OR (kind = 'lot' AND status IS NULL) OR (kind = 'incident' AND (severity IS NULL OR at IS NULL));
                CREATE INDEX state_by_status ON state (site, kind, status);
                CREATE INDEX state_by_time ON state (site, kind, at);
                CREATE INDEX records_by_kind ON records (site, kind, created_at);
                CREATE INDEX records_by_age ON records (created_at);
                CREATE TABLE daily_kpis (
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    planned_seconds REAL NOT NULL DEFAULT 0,
                    run_seconds REAL NOT NULL DEFAULT 0,
                    ideal_seconds REAL NOT NULL DEFAULT 0,
                    made REAL NOT NULL DEFAULT 0,
                    good REAL NOT NULL DEFAULT 0,
                    production_reports INTEGER NOT NULL DEFAULT 0,
                    findings_critical INTEGER NOT NULL DEFAULT 0,
                    findings_major INTEGER NOT NULL DEFAULT 0,
                    findings_minor INTEGER NOT NULL DEFAULT 0,
                    findings_info INTEGER NOT NULL DEFAULT 0,
                    checks_recorded INTEGER NOT NULL DEFAULT 0,
                    checks_missed INTEGER NOT NULL DEFAULT 0,
                    lots_held INTEGER NOT NULL DEFAULT 0,
                    incidents INTEGER NOT NULL DEFAULT 0,
                    incidents_major INTEGER NOT NULL DEFAULT 0,
                    cost REAL NOT NULL DEFAULT 0,
                    cost_region REAL NOT NULL DEFAULT 0,
                    schedule_at REAL,
                    on_time_share REAL,
                    late_orders INTEGER,
                    PRIMARY KEY (site, day)
                );
                CREATE TABLE rollup_marks (
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    PRIMARY KEY (site, day, kind, key)
                );
                CREATE TABLE central_meta (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                INSERT INTO central_meta (name, value) VALUES ('rollups_stale', '1');
                CREATE TABLE secrets_text (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                INSERT INTO secrets_text (name, value) SELECT name, lower(hex(value)) FROM secrets;
                DROP TABLE secrets;
                ALTER TABLE secrets_text RENAME TO secrets;
                """,
            postgres: [
                "ALTER TABLE state ADD COLUMN status TEXT",
                "ALTER TABLE state ADD COLUMN severity TEXT",
                "ALTER TABLE state ADD COLUMN at DOUBLE PRECISION",
                """
                UPDATE state SET status = payload::jsonb->>'status', severity = payload::jsonb->>'severity',
                    at = EXTRACT(EPOCH FROM (payload::jsonb->>'raisedAt')::timestamptz) WHERE kind = 'finding'
                """,
                "UPDATE state SET status = payload::jsonb->>'status' WHERE kind = 'lot'",
                """
                UPDATE state SET severity = payload::jsonb->>'severity',
                    at = EXTRACT(EPOCH FROM (payload::jsonb->>'at')::timestamptz) WHERE kind = 'incident'
                """,
                """
                UPDATE state SET status = 'unreadable' WHERE (kind = 'finding' AND (status IS NULL OR severity IS NULL
                    OR at IS NULL)) OR (kind = 'lot' AND status IS NULL) OR (kind = 'incident' AND (severity IS NULL OR at IS NULL))
                """,
                "CREATE INDEX state_by_status ON state (site, kind, status)",
                "CREATE INDEX state_by_time ON state (site, kind, at)",
                "CREATE INDEX IF NOT EXISTS records_by_kind ON records (site, kind, created_at)",
                "CREATE INDEX records_by_age ON records (created_at)",
                """
                CREATE TABLE daily_kpis (site TEXT NOT NULL, day TEXT NOT NULL,
                    planned_seconds DOUBLE PRECISION NOT NULL DEFAULT 0, run_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
                    ideal_seconds DOUBLE PRECISION NOT NULL DEFAULT 0, made DOUBLE PRECISION NOT NULL DEFAULT 0,
                    good DOUBLE PRECISION NOT NULL DEFAULT 0, production_reports BIGINT NOT NULL DEFAULT 0,
                    findings_critical BIGINT NOT NULL DEFAULT 0, findings_major BIGINT NOT NULL DEFAULT 0,
                    findings_minor BIGINT NOT NULL DEFAULT 0, findings_info BIGINT NOT NULL DEFAULT 0,
                    checks_recorded BIGINT NOT NULL DEFAULT 0, checks_missed BIGINT NOT NULL DEFAULT 0,
                    lots_held BIGINT NOT NULL DEFAULT 0, incidents BIGINT NOT NULL DEFAULT 0,
                    incidents_major BIGINT NOT NULL DEFAULT 0, cost DOUBLE PRECISION NOT NULL DEFAULT 0,
                    cost_region DOUBLE PRECISION NOT NULL DEFAULT 0, schedule_at DOUBLE PRECISION,
                    on_time_share DOUBLE PRECISION, late_orders BIGINT, PRIMARY KEY (site, day))
                """,
                """
                CREATE TABLE rollup_marks (site TEXT NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
                    PRIMARY KEY (site, day, kind, key))
                """,
                "CREATE TABLE central_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "INSERT INTO central_meta (name, value) VALUES ('rollups_stale', '1')",
            ]),
        // Every signed request forgets the expired nonces: without an index that scanned every nonce of the
        // validity window (one per request of every site) on each request.
        Step(
            name: "v5-nonce-expiry",
            sqlite: "CREATE INDEX nonces_by_expiry ON nonces (expires_at);",
            postgres: ["CREATE INDEX nonces_by_expiry ON nonces (expires_at)"]),
        // Schedule adherence as the site judges each day (`DayAdherence`), summed over a period.
        Step(
            name: "v6-day-adherence",
            sqlite: """
                ALTER TABLE daily_kpis ADD COLUMN adherence_at REAL;
                ALTER TABLE daily_kpis ADD COLUMN orders_due INTEGER;
                ALTER TABLE daily_kpis ADD COLUMN orders_on_time INTEGER;
                """,
            postgres: [
                "ALTER TABLE daily_kpis ADD COLUMN adherence_at DOUBLE PRECISION",
                "ALTER TABLE daily_kpis ADD COLUMN orders_due BIGINT",
                "ALTER TABLE daily_kpis ADD COLUMN orders_on_time BIGINT",
            ]),
        // The lot graph of every site, kept at ingest from lots, their origins and stock movements (`LotGraph`),
        // so a recall of a supplier's lot across a region reads indexes, not every record. Retention archives
        // records; it never touches these, so a recall reaches back as far as the sites' history.
        Step(
            name: "v7-lot-graph",
            sqlite: """
                CREATE TABLE lot_nodes (
                    site TEXT NOT NULL,
                    lot TEXT NOT NULL,
                    item TEXT,
                    quantity REAL,
                    status TEXT,
                    expires_at DATETIME,
                    supplier TEXT,
                    supplier_lot TEXT,
                    received_at DATETIME,
                    PRIMARY KEY (site, lot)
                );
                CREATE INDEX lot_nodes_by_supplier_lot ON lot_nodes (supplier_lot) WHERE supplier_lot IS NOT NULL;
                CREATE TABLE lot_movements (
                    site TEXT NOT NULL,
                    id TEXT NOT NULL,
                    lot TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    quantity REAL NOT NULL,
                    into_lot TEXT,
                    customer TEXT,
                    at DATETIME NOT NULL,
                    PRIMARY KEY (site, id)
                );
                CREATE INDEX lot_movements_by_lot ON lot_movements (site, lot);
                """,
            postgres: [
                """
                CREATE TABLE lot_nodes (site TEXT NOT NULL, lot TEXT NOT NULL, item TEXT, quantity DOUBLE PRECISION,
                    status TEXT, expires_at TIMESTAMPTZ, supplier TEXT, supplier_lot TEXT, received_at TIMESTAMPTZ,
                    PRIMARY KEY (site, lot))
                """,
                "CREATE INDEX lot_nodes_by_supplier_lot ON lot_nodes (supplier_lot) WHERE supplier_lot IS NOT NULL",
                """
                CREATE TABLE lot_movements (site TEXT NOT NULL, id TEXT NOT NULL, lot TEXT NOT NULL, kind TEXT NOT NULL,
                    quantity DOUBLE PRECISION NOT NULL, into_lot TEXT, customer TEXT, at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (site, id))
                """,
                "CREATE INDEX lot_movements_by_lot ON lot_movements (site, lot)",
            ]),
        // Each record's audit-chain hash and the hash it chains from, as the site computed them, so central can
        // prove that no record it holds was changed since it arrived (`CentralAudit`).
        Step(
            name: "v8-record-hashes",
            sqlite: """
                ALTER TABLE records ADD COLUMN hash TEXT;
                ALTER TABLE records ADD COLUMN previous_hash TEXT;
                """,
            postgres: [
                "ALTER TABLE records ADD COLUMN hash TEXT",
                "ALTER TABLE records ADD COLUMN previous_hash TEXT",
            ]),
        // Training compliance as each site judges its day (`DayTraining`): certificates people need for their work
        // and how many were valid, summed over a period like orders due and on time.
        Step(
            name: "v9-day-training",
            sqlite: """
                ALTER TABLE daily_kpis ADD COLUMN training_at REAL;
                ALTER TABLE daily_kpis ADD COLUMN certificates_needed INTEGER;
                ALTER TABLE daily_kpis ADD COLUMN certificates_valid INTEGER;
                """,
            postgres: [
                "ALTER TABLE daily_kpis ADD COLUMN training_at DOUBLE PRECISION",
                "ALTER TABLE daily_kpis ADD COLUMN certificates_needed BIGINT",
                "ALTER TABLE daily_kpis ADD COLUMN certificates_valid BIGINT",
            ]),
        // The region's dated exchange rates: a cost converts at the latest rate on or before its day.
        Step(
            name: "v10-exchange-rates",
            sqlite: """
                CREATE TABLE exchange_rates (
                    currency TEXT NOT NULL CHECK (length(currency) = 3),
                    into_currency TEXT NOT NULL CHECK (length(into_currency) = 3),
                    day TEXT NOT NULL CHECK (length(day) = 10),
                    rate REAL NOT NULL CHECK (rate > 0),
                    PRIMARY KEY (currency, into_currency, day)
                );
                """,
            postgres: [
                """
                CREATE TABLE exchange_rates (currency TEXT NOT NULL, into_currency TEXT NOT NULL, day TEXT NOT NULL,
                    rate DOUBLE PRECISION NOT NULL CHECK (rate > 0), PRIMARY KEY (currency, into_currency, day))
                """
            ]),
        // Region-wide quotes asked at central; each site answers with a `quote_answer` record keyed by the id.
        Step(
            name: "v11-quote-requests",
            sqlite: """
                CREATE TABLE quote_requests (
                    id TEXT PRIMARY KEY NOT NULL,
                    region TEXT NOT NULL,
                    product TEXT NOT NULL,
                    quantity REAL NOT NULL CHECK (quantity > 0),
                    by_at DATETIME,
                    asked_by TEXT NOT NULL,
                    asked_at DATETIME NOT NULL,
                    sites TEXT NOT NULL
                );
                CREATE INDEX quote_requests_by_time ON quote_requests (asked_at);
                """,
            postgres: [
                """
                CREATE TABLE quote_requests (id TEXT PRIMARY KEY, region TEXT NOT NULL, product TEXT NOT NULL,
                    quantity DOUBLE PRECISION NOT NULL CHECK (quantity > 0), by_at TIMESTAMPTZ, asked_by TEXT NOT NULL,
                    asked_at TIMESTAMPTZ NOT NULL, sites TEXT NOT NULL)
                """,
                "CREATE INDEX quote_requests_by_time ON quote_requests (asked_at)",
            ]),
        // Signed extension modules published to sites; a site takes the newest version of each.
        Step(
            name: "v12-extension-releases",
            sqlite: """
                CREATE TABLE extension_releases (
                    site TEXT NOT NULL,
                    id TEXT NOT NULL,
                    version TEXT NOT NULL,
                    module TEXT NOT NULL,
                    signature TEXT NOT NULL,
                    published_by TEXT NOT NULL,
                    published_at DATETIME NOT NULL,
                    PRIMARY KEY (site, id, version)
                );
                """,
            postgres: [
                """
                CREATE TABLE extension_releases (site TEXT NOT NULL, id TEXT NOT NULL, version TEXT NOT NULL,
                    module TEXT NOT NULL, signature TEXT NOT NULL, published_by TEXT NOT NULL,
                    published_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (site, id, version))
                """
            ]),
    ]
}
