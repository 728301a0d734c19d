import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import TaktCentralStore
@testable import TaktStore

/// Central's two stores have one schema: the same named steps, the same tables and columns with the same types.
@Suite struct CentralSchemaTests {
    static var postgresURL: String? { ProcessInfo.processInfo.environment["TAKT_POSTGRES_URL"] }

    /// `table.column` → `type null|notnull`, with each dialect's type named as the other's.
    static func sqliteColumns(_ store: CentralStore) throws -> [String: String] {
        try store.pool.read { db in
            var columns: [String: String] = [:]
            for table in try String.fetchAll(
                db,
                sql:
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'sqlite_%'"
            ) {
                for row in try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))") {
                    let type: String = row["type"]
                    let normal =
                        ["TEXT": "text", "INTEGER": "bigint", "REAL": "double precision", "DATETIME": "timestamptz"][
                            type.uppercased()] ?? type
                    let primary = (row["pk"] as Int) > 0
                    columns["\(table).\(row["name"] as String)"] =
                        "\(normal) \((row["notnull"] as Int) == 1 || primary ? "notnull" : "null")"
                }
            }
            return columns
        }
    }

    static func postgresColumns(_ store: PostgresCentralStore) async throws -> [String: String] {
        var columns: [String: String] = [:]
        for try await (table, column, type, nullable) in try await store.client.query(
            """
            SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name <> 'takt_migrations'
            """, logger: store.logger
        ).decode((String, String, String, String).self) {
            let normal = type == "timestamp with time zone" ? "timestamptz" : type
            columns["\(table).\(column)"] = "\(normal) \(nullable == "YES" ? "null" : "notnull")"
        }
        return columns
    }

    @Test(.enabled(if: postgresURL != nil, "TAKT_POSTGRES_URL is not set: the schemas cannot be compared"))
    func bothStoresHaveTheSameStepsTablesAndColumns() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).sqlite")
            .path
        let sqlite = try CentralStore(path: path)
        let sqliteSteps = try await sqlite.pool.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
        #expect(sqliteSteps == CentralSchema.steps.map(\.name))
        let local = try Self.sqliteColumns(sqlite)
        try await PostgresCentralStore.with(url: Self.postgresURL!) { postgres in
            #expect(Set(try await postgres.migrations()) == Set(CentralSchema.steps.map(\.name)))
            let remote = try await Self.postgresColumns(postgres)
            for name in Set(local.keys).union(remote.keys).sorted() {
                #expect(
                    local[name] == remote[name],
                    "\(name): SQLite \(local[name] ?? "missing"), PostgreSQL \(remote[name] ?? "missing")")
            }
        }
    }

    /// A database a newer Takt migrated is refused, untouched, naming the step this build does not know.
    @Test(.enabled(if: postgresURL != nil, "TAKT_POSTGRES_URL is not set"))
    func aPostgreSQLDatabaseFromANewerTaktIsRefused() async throws {
        let name = "takt_future_\(UUID().uuidString.prefix(8).lowercased())"
        let base = Self.postgresURL!
        try await PostgresCentralStore.with(url: base) { store in
            try await store.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: store.logger)
        }
        var parts = try #require(URLComponents(string: base))
        parts.path = "/\(name)"
        let url = try #require(parts.string)
        try await PostgresCentralStore.with(url: url) { store in
            try await store.client.query(
                "INSERT INTO takt_migrations (name, applied_at) VALUES ('v99-from-the-future', now())",
                logger: store.logger)
        }
        await #expect {
            try await PostgresCentralStore.with(url: url) { _ in }
        } throws: { error in
            "\(error)".contains("v99-from-the-future")
        }
        try await PostgresCentralStore.with(url: base) { store in
            try await store.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name)"), logger: store.logger)
        }
    }

    /// A central database from before roll-ups is upgraded in place: its state rows get the columns pages filter
    /// on, and its roll-ups are marked for the rebuild `central serve` runs on start.
    @Test func anOlderSQLiteCentralIsUpgradedAndItsRollupsMarkedForRebuild() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("old-\(UUID().uuidString).sqlite")
            .path
        let old = try DatabasePool(path: path)
        try CentralStore.migrator.migrate(old, upTo: "v3-expiring-tokens")
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO state (site, kind, key, payload, updated_at) VALUES
                    ('leeds', 'finding', '7', '{"id":7,"severity":"critical","status":"open","raisedAt":"2026-11-20T09:00:00Z"}', '2026-11-20 09:00:00.000'),
                    ('leeds', 'lot', 'L1', '{"id":"L1","status":"on_hold"}', '2026-11-20 09:00:00.000'),
                    ('leeds', 'finding', '8', 'not json', '2026-11-20 09:00:00.000');
                    INSERT INTO secrets (name, value) VALUES ('login-csrf', x'0102');
                    """)
        }
        try old.close()
        let store = try CentralStore(path: path)
        let open = try await store.stateRows(
            site: "leeds", kind: "finding", status: "open", severity: "critical", since: nil, limit: 10, offset: 0)
        #expect(open.total == 1)
        #expect(
            try await store.stateRows(
                site: "leeds", kind: "lot", status: "on_hold", severity: nil, since: nil, limit: 10, offset: 0
            ).total == 1)
        #expect(
            try await store.stateRows(
                site: "leeds", kind: "finding", status: Rollup.unreadable, severity: nil, since: nil, limit: 10,
                offset: 0
            ).total == 1, "a payload central cannot read is counted, not lost from the lists")
        #expect(try await store.meta("rollups_stale") == "1")
        #expect(try await store.secret(name: "login-csrf") == Data("0102".utf8))
    }

    /// A database made before steps were recorded (every table created if missing) is adopted: the steps run
    /// again harmlessly and are recorded.
    @Test func theSQLiteStepsAreTheSchemaSteps() throws {
        #expect(CentralStore.migrator.migrations == CentralSchema.steps.map(\.name))
    }

    /// Forgetting expired nonces on every signed request reads only the expired ones, not every nonce of the window.
    @Test func forgettingExpiredNoncesUsesAnIndex() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try CentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        let plan = try store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN DELETE FROM nonces WHERE expires_at < 0").map {
                $0["detail"] as String
            }
        }
        #expect(plan.contains { $0.contains("nonces_by_expiry") }, "\(plan)")
    }
}
