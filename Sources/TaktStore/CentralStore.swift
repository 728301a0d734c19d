import Foundation
import GRDB
import TaktCore

/// Central's database (SQLite by default): every record every site sent, exactly once per
/// `(site, epoch, seq)`, the acknowledged cursor per site database, the latest state per site, published
/// configuration versions, and the nonces that guard against replay.
public final class CentralStore: Sendable {
    public let path: String
    let pool: DatabasePool

    public init(path: String, busyTimeout: TimeInterval = 5) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw SiteStore.translate(error, path: path, opening: true)
        }
    }

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-central") { db in
            try db.execute(
                sql: """
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
                    """)
        }
        registerUserMigration(&migrator)
        return migrator
    }()

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw SiteStore.translate(error, path: path, opening: false) }
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw SiteStore.translate(error, path: path, opening: false) }
    }

    // MARK: ingest

    /// A record as central receives it.
    public struct IncomingRecord: Sendable {
        public var seq: Int64
        public var kind: String
        public var recordClass: String
        public var key: String
        public var payload: String
        public var createdAt: Date

        public init(seq: Int64, kind: String, recordClass: String, key: String, payload: String, createdAt: Date) {
            self.seq = seq
            self.kind = kind
            self.recordClass = recordClass
            self.key = key
            self.payload = payload
            self.createdAt = createdAt
        }

        /// Whether central keeps this record's payload as the latest per key in `state`, where pages read it:
        /// every state record, and incidents (facts the site page lists as they stand).
        public var projectsToState: Bool { recordClass == "state" || kind == "incident" }
    }

    /// What storing a batch did.
    public enum IngestOutcome: Hashable, Sendable {
        case stored(acknowledged: Int64, written: Int, duplicated: Int)
        /// The batch starts after what central has: it expects `expected` first.
        case gap(expected: Int64)
    }

    /// Stores a contiguous range `first...last` of a site database's outbox in one transaction: records already
    /// stored count as duplicates (success); the cursor moves to `last`; latest state is projected; the site's
    /// last contact, clock offset and configuration version are noted.
    public func ingest(
        site: String, epoch: String, first: Int64, last: Int64, records: [IncomingRecord], configVersion: Int,
        sentAt: Date, now: Date
    ) throws(StoreError) -> IngestOutcome {
        try write { db in
            let cursor =
                try Int64.fetchOne(
                    db, sql: "SELECT acknowledged FROM cursors WHERE site = ? AND epoch = ?", arguments: [site, epoch])
                ?? 0
            guard first <= cursor + 1 else { return .gap(expected: cursor + 1) }
            var written = 0
            var duplicated = 0
            for record in records {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO records (site, epoch, seq, kind, class, key, payload, created_at, received_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        site, epoch, record.seq, record.kind, record.recordClass, record.key, record.payload,
                        record.createdAt, now,
                    ])
                if db.changesCount == 0 {
                    duplicated += 1
                    continue
                }
                written += 1
                if record.projectsToState {
                    try db.execute(
                        sql: """
                            INSERT INTO state (site, kind, key, payload, updated_at) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT (site, kind, key) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
                            """,
                        arguments: [site, record.kind, record.key, record.payload, now])
                }
            }
            let acknowledged = max(cursor, last)
            try db.execute(
                sql: """
                    INSERT INTO cursors (site, epoch, acknowledged) VALUES (?, ?, ?)
                    ON CONFLICT (site, epoch) DO UPDATE SET acknowledged = excluded.acknowledged
                    """,
                arguments: [site, epoch, acknowledged])
            try db.execute(
                sql: """
                    INSERT INTO sites (id, epoch, last_heard_at, clock_offset_seconds, config_running) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch, last_heard_at = excluded.last_heard_at,
                        clock_offset_seconds = excluded.clock_offset_seconds, config_running = excluded.config_running
                    """,
                arguments: [site, epoch, now, sentAt.timeIntervalSince(now), configVersion])
            return .stored(acknowledged: acknowledged, written: written, duplicated: duplicated)
        }
    }

    /// The acknowledged sequence of one site database.
    public func cursor(site: String, epoch: String) throws(StoreError) -> Int64 {
        try read { db in
            try Int64.fetchOne(
                db, sql: "SELECT acknowledged FROM cursors WHERE site = ? AND epoch = ?", arguments: [site, epoch])
                ?? 0
        }
    }

    /// Remembers a nonce until it expires; false when it is already there (a replay). Forgets expired ones.
    public func remember(key: String, nonce: String, expires: Date, now: Date) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM nonces WHERE expires_at < ?", arguments: [now.timeIntervalSince1970])
            try db.execute(
                sql: "INSERT OR IGNORE INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)",
                arguments: [key, nonce, expires.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    // MARK: reading

    /// A stored record, for checks and exports.
    public struct StoredRecord: Hashable, Sendable, Codable {
        public var site: String
        public var epoch: String
        public var seq: Int64
        public var kind: String
        public var recordClass: String
        public var key: String
        public var payload: String
    }

    public func records(site: String) throws(StoreError) -> [StoredRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM records WHERE site = ? ORDER BY epoch, seq", arguments: [site]).map
            {
                StoredRecord(
                    site: $0["site"], epoch: $0["epoch"], seq: $0["seq"], kind: $0["kind"], recordClass: $0["class"],
                    key: $0["key"], payload: $0["payload"])
            }
        }
    }

    /// The latest state a site has sent, of one kind, keyed.
    public func state(site: String, kind: String) throws(StoreError) -> [String: String] {
        try read { db in
            Dictionary(
                try Row.fetchAll(
                    db, sql: "SELECT key, payload FROM state WHERE site = ? AND kind = ?", arguments: [site, kind]
                )
                .map { ($0["key"], $0["payload"]) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// What central knows of a site's connection.
    public struct SiteContact: Hashable, Sendable, Codable {
        public var site: String
        public var epoch: String?
        public var lastHeardAt: Date?
        public var clockOffsetSeconds: Double?
        public var configRunning: Int

        public init(
            site: String, epoch: String? = nil, lastHeardAt: Date? = nil, clockOffsetSeconds: Double? = nil,
            configRunning: Int = 0
        ) {
            self.site = site
            self.epoch = epoch
            self.lastHeardAt = lastHeardAt
            self.clockOffsetSeconds = clockOffsetSeconds
            self.configRunning = configRunning
        }
    }

    public func contact(site: String) throws(StoreError) -> SiteContact? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sites WHERE id = ?", arguments: [site]).map {
                SiteContact(
                    site: $0["id"], epoch: $0["epoch"], lastHeardAt: $0["last_heard_at"],
                    clockOffsetSeconds: $0["clock_offset_seconds"], configRunning: $0["config_running"])
            }
        }
    }

    // MARK: configuration

    /// Publishes the next configuration version for `site`; returns its number.
    @discardableResult
    public func publish(site: String, document: String, by person: String, at: Date) throws(StoreError) -> Int {
        try write { db in
            let next =
                (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM config_versions WHERE site = ?", arguments: [site])
                    ?? 0) + 1
            try db.execute(
                sql:
                    "INSERT INTO config_versions (site, version, document, published_at, published_by) VALUES (?, ?, ?, ?, ?)",
                arguments: [site, next, document, at, person])
            return next
        }
    }

    /// The newest configuration version above `version`, if any.
    public func config(site: String, since version: Int) throws(StoreError) -> (
        version: Int, document: String, at: Date
    )? {
        try read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT version, document, published_at FROM config_versions WHERE site = ? AND version > ? ORDER BY version DESC LIMIT 1",
                arguments: [site, version]
            ).map { ($0["version"], $0["document"], $0["published_at"]) }
        }
    }
}

extension CentralStore {
    /// Users, their sessions and API tokens, for the dashboard and the JSON API.
    static func registerUserMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-users") { db in
            try db.execute(
                sql: """
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
                    """)
        }
    }

    /// A dashboard user: role and the regions or sites it covers.
    public struct User: Hashable, Sendable, Codable {
        public var name: String
        public var passwordHash: String
        /// `administrator`, `regional_manager`, `site_manager` or `viewer`.
        public var role: String
        /// Region ids (regional manager, viewer) or site ids (site manager); empty for an administrator.
        public var scope: [String]

        public init(name: String, passwordHash: String, role: String, scope: [String]) {
            self.name = name
            self.passwordHash = passwordHash
            self.role = role
            self.scope = scope
        }
    }

    public func saveUser(_ user: User) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO users (name, password_hash, role, scope) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role, scope = excluded.scope
                    """, arguments: [user.name, user.passwordHash, user.role, user.scope.joined(separator: ",")])
        }
    }

    public func user(_ name: String) throws(StoreError) -> User? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).map {
                User(
                    name: $0["name"], passwordHash: $0["password_hash"], role: $0["role"],
                    scope: ($0["scope"] as String).split(separator: ",").map(String.init))
            }
        }
    }

    public func removeUser(_ name: String) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE user = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM api_tokens WHERE user = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM users WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    /// Starts a session; the caller keeps the token, the store only its hash.
    public func startSession(user: String, tokenHash: String, csrf: String, expires: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO sessions (token_hash, user, csrf, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [tokenHash, user, csrf, expires.timeIntervalSince1970])
        }
    }

    /// The user and CSRF token of a live session.
    public func session(tokenHash: String, now: Date) throws(StoreError) -> (user: User, csrf: String)? {
        let found: (String, String)? = try read { db in
            try Row.fetchOne(
                db, sql: "SELECT user, csrf FROM sessions WHERE token_hash = ? AND expires_at > ?",
                arguments: [tokenHash, now.timeIntervalSince1970]
            ).map { ($0["user"], $0["csrf"]) }
        }
        guard let found, let user = try user(found.0) else { return nil }
        return (user, found.1)
    }

    public func endSession(tokenHash: String) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash]) }
    }

    public func addToken(user: String, tokenHash: String, at: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO api_tokens (token_hash, user, created_at) VALUES (?, ?, ?)",
                arguments: [tokenHash, user, at])
        }
    }

    public func tokenUser(tokenHash: String) throws(StoreError) -> User? {
        let name: String? = try read { db in
            try String.fetchOne(db, sql: "SELECT user FROM api_tokens WHERE token_hash = ?", arguments: [tokenHash])
        }
        return try name.flatMap { name throws(StoreError) in try user(name) }
    }

    /// Every configuration version published for a site, newest first.
    public func configHistory(site: String) throws(StoreError) -> [(version: Int, publishedAt: Date, by: String)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT version, published_at, published_by FROM config_versions WHERE site = ? ORDER BY version DESC",
                arguments: [site]
            ).map { ($0["version"], $0["published_at"], $0["published_by"]) }
        }
    }

    /// Records of one kind a site sent since `since`, newest first (facts for trends).
    public func facts(site: String, kind: String, since: Date) throws(StoreError) -> [(
        payload: String, createdAt: Date
    )] {
        try read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT payload, created_at FROM records WHERE site = ? AND kind = ? AND created_at >= ? ORDER BY created_at DESC",
                arguments: [site, kind, since]
            ).map { ($0["payload"], $0["created_at"]) }
        }
    }
}
