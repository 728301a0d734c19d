import Foundation
import GRDB
import TaktCore

/// The tables and migrations of modules' record kinds.
///
/// Each kind lives in a table named after it (`"electronics_assembly.reel"`), so two modules never collide; the
/// table is created by the migration `<kind>.v1`, each later version by `<kind>.v<n>` (which upgrades every
/// stored payload one step), and rows an earlier build kept in a core table are adopted by
/// `<kind>.adopt-<table>`. These migrations are registered only for the modules a site loads, after the core's.
enum ModuleRecordMigrations {
    /// The table of `kind`, quoted for SQL.
    static func table(_ kind: RecordKindID) -> String { "\"\(kind.rawValue)\"" }

    /// The index on `field` of `kind`'s payloads, quoted for SQL.
    static func index(_ kind: RecordKindID, _ field: String) -> String { "\"\(kind.rawValue).by_\(field)\"" }

    /// Registers every kind's migrations, in the order the kinds are given.
    static func register(_ kinds: [AnyRecordKind], into migrator: inout DatabaseMigrator) {
        for kind in kinds {
            migrator.registerMigration("\(kind.id).v1") { db in try create(kind, db) }
            for version in stride(from: 2, through: kind.version, by: 1) {
                migrator.registerMigration("\(kind.id).v\(version)") { db in try upgrade(kind, to: version, db) }
            }
            if let legacy = kind.adopts {
                migrator.registerMigration("\(kind.id).adopt-\(legacy.table)") { db in try adopt(legacy, into: kind, db)
                }
            }
        }
    }

    private static func create(_ kind: AnyRecordKind, _ db: Database) throws {
        let table = table(kind.id)
        switch kind.recordClass {
        case .state:
            try db.execute(
                sql: """
                    CREATE TABLE \(table) (
                        key TEXT PRIMARY KEY NOT NULL CHECK (length(key) > 0),
                        version INTEGER NOT NULL CHECK (version >= 1),
                        payload TEXT NOT NULL CHECK (json_valid(payload)),
                        at DATETIME,
                        updated_at DATETIME NOT NULL
                    )
                    """)
        case .fact:
            try db.execute(
                sql: """
                    CREATE TABLE \(table) (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        version INTEGER NOT NULL CHECK (version >= 1),
                        payload TEXT NOT NULL CHECK (json_valid(payload)),
                        at DATETIME NOT NULL
                    );
                    CREATE INDEX \(index(kind.id, "at")) ON \(table) (at);
                    """)
        }
    }

    /// Rewrites every payload stored at `version - 1` to `version`.
    private static func upgrade(_ kind: AnyRecordKind, to version: Int, _ db: Database) throws {
        let table = table(kind.id)
        let keyColumn = kind.recordClass == .state ? "key" : "seq"
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(keyColumn) AS k, payload FROM \(table) WHERE version = ?", arguments: [version - 1])
        for row in rows {
            let key: DatabaseValue = row["k"]
            let upgraded = try kind.upgrade(row["payload"], from: version - 1, to: version)
            try db.execute(
                sql: "UPDATE \(table) SET payload = ?, version = ? WHERE \(keyColumn) = ?",
                arguments: [upgraded, version, key])
        }
    }

    /// Copies an earlier build's rows into the kind's table, then drops the old table.
    private static func adopt(_ legacy: LegacyTable, into kind: AnyRecordKind, _ db: Database) throws {
        guard try db.tableExists(legacy.table) else { return }
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(legacy.table.quotedDatabaseIdentifier) ORDER BY rowid")
        for row in rows {
            var values: [String: LegacyValue] = [:]
            for (column, value) in row {
                switch value.storage {
                case .null: values[column] = .null
                case .int64(let number): values[column] = .integer(number)
                case .double(let number): values[column] = .real(number)
                case .string(let text): values[column] = .text(text)
                case .blob: values[column] = .null
                }
            }
            guard let write = try legacy.convert(values) else { continue }
            try ModuleRecordWriter.insert(write, kind: kind, at: write.at ?? Date(timeIntervalSince1970: 0), db: db)
        }
        try db.execute(sql: "DROP TABLE \(legacy.table.quotedDatabaseIdentifier)")
    }

    /// Creates the declared payload indexes that are missing; run after the migrations, since indexes can change
    /// without the payload's shape changing.
    static func ensureIndexes(_ kinds: [AnyRecordKind], _ db: Database) throws {
        for kind in kinds {
            for field in kind.indexes {
                try db.execute(
                    sql: """
                        CREATE INDEX IF NOT EXISTS \(index(kind.id, field))
                        ON \(table(kind.id)) (json_extract(payload, '$.\(field)'))
                        """)
            }
        }
    }
}

/// Writes module records inside a store transaction.
enum ModuleRecordWriter {
    /// Stores one record (replacing the state with the same key), returning the key it is stored under: the
    /// state's key, or the fact's sequence number.
    @discardableResult
    static func insert(_ write: RecordWrite, kind: AnyRecordKind, at: Date, db: Database) throws -> String {
        let table = ModuleRecordMigrations.table(kind.id)
        switch kind.recordClass {
        case .state:
            guard let key = write.key, !key.isEmpty else {
                throw StoreError.rejected(reason: "a \(kind.id) record needs a key")
            }
            try db.execute(
                sql: """
                    INSERT INTO \(table) (key, version, payload, at, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET version = excluded.version, payload = excluded.payload,
                        at = excluded.at, updated_at = excluded.updated_at
                    """,
                arguments: [key, kind.version, write.json, write.at, at])
            return key
        case .fact:
            try db.execute(
                sql: "INSERT INTO \(table) (version, payload, at) VALUES (?, ?, ?)",
                arguments: [kind.version, write.json, write.at ?? at])
            return String(db.lastInsertedRowID)
        }
    }
}
