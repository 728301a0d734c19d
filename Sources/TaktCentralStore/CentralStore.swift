import Foundation
import GRDB
import TaktCore
import TaktStore

/// Central's database (SQLite by default): every record every site sent, exactly once per
/// `(site, epoch, seq)`, the acknowledged cursor per site database, the latest state per site, published
/// configuration versions, and the nonces that guard against replay.
public final class CentralStore: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) central's database at `path`, private to its owner, and migrates it.
    public convenience init(path: String, busyTimeout: TimeInterval = 5) throws(StoreError) {
        // Everything that can fail happens before the object exists.
        self.init(path: path, pool: try Self.open(path: path, busyTimeout: busyTimeout))
    }

    init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    static func open(path: String, busyTimeout: TimeInterval) throws(StoreError) -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        // Pages read many small rows across the file: map it (reads without a system call and a copy per page)
        // and keep a larger page cache than SQLite's 2 MB default.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536")
        }
        do {
            try PrivateFiles.prepare(databaseAt: path)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try SiteStore.refuseNewer(pool, migrator: migrator, path: path)
            try migrator.migrate(pool)
            return pool
        } catch {
            throw SiteStore.translate(error, path: path, opening: true)
        }
    }

    /// `CentralSchema`'s steps, recorded by name in GRDB's `grdb_migrations`.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        for step in CentralSchema.steps {
            migrator.registerMigration(step.name) { db in try db.execute(sql: step.sqlite) }
        }
        return migrator
    }()

    /// Writes through GRDB's async API, so a busy database never blocks a thread of Swift's cooperative pool.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.write(body) } catch {
            throw SiteStore.translate(error, path: path, opening: false)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.read(body) } catch { throw SiteStore.translate(error, path: path, opening: false) }
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
        /// The record's audit-chain hash and the one it chains from, as the site sent them (nil from older sites).
        public var hash: String?
        public var previousHash: String?

        public init(
            seq: Int64, kind: String, recordClass: String, key: String, payload: String, createdAt: Date,
            hash: String? = nil, previousHash: String? = nil
        ) {
            self.hash = hash
            self.previousHash = previousHash
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
    /// stored count as duplicates (success); the cursor moves to `last`; latest state is projected; the daily
    /// roll-ups (days in `zone`, the site's time zone) move with the records they summarise; the site's last
    /// contact, clock offset and configuration version are noted.
    public func ingest(
        site: String, epoch: String, first: Int64, last: Int64, records: [IncomingRecord], configVersion: Int,
        sentAt: Date, now: Date, zone: TimeZone
    ) async throws(StoreError) -> IngestOutcome {
        try await write { db in
            let cursor =
                try Int64.fetchOne(
                    db, sql: "SELECT acknowledged FROM cursors WHERE site = ? AND epoch = ?", arguments: [site, epoch])
                ?? 0
            guard first <= cursor + 1 else { return .gap(expected: cursor + 1) }
            var written = 0
            var duplicated = 0
            // Prepared once per connection (GRDB's statement cache), bound through SQLite's C API for every record.
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO records (site, epoch, seq, kind, class, key, payload, created_at, received_at,
                        hash, previous_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let project = try db.cachedStatement(
                sql: """
                    INSERT INTO state (site, kind, key, payload, updated_at, status, severity, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (site, kind, key) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at,
                        status = excluded.status, severity = excluded.severity, at = excluded.at
                    """)
            var contributions: [Rollup.Contribution] = []
            var graph: [LotGraph.Change] = []
            let received = StorageTime.text(now)
            for record in records {
                try insert.runBound(
                    [
                        .text(site), .text(epoch), .integer(record.seq), .text(record.kind), .text(record.recordClass),
                        .text(record.key), .text(record.payload), .text(StorageTime.text(record.createdAt)),
                        .text(received), record.hash.map { .text($0) } ?? .null,
                        record.previousHash.map { .text($0) } ?? .null,
                    ], in: db)
                if db.changesCount == 0 {
                    duplicated += 1
                    continue
                }
                written += 1
                let effect = Rollup.effect(
                    kind: record.kind, key: record.key, payload: record.payload, createdAt: record.createdAt, zone: zone
                )
                if record.projectsToState {
                    let columns = effect.columns
                    try project.runBound(
                        [
                            .text(site), .text(record.kind), .text(record.key), .text(record.payload), .text(received),
                            .text(columns.status), .text(columns.severity), .real(columns.at),
                        ], in: db)
                }
                if let contribution = effect.contribution { contributions.append(contribution) }
                if let change = LotGraph.change(kind: record.kind, key: record.key, payload: record.payload) {
                    graph.append(change)
                }
            }
            try Self.roll(contributions, site: site, db: db)
            try Self.project(graph, site: site, db: db)
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

    public func noteContact(site: String, at: Date, configRunning: Int?) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO sites (id, last_heard_at, config_running) VALUES (?, ?, COALESCE(?, 0))
                    ON CONFLICT (id) DO UPDATE SET last_heard_at = excluded.last_heard_at,
                        config_running = COALESCE(?, sites.config_running)
                    """, arguments: [site, at, configRunning, configRunning])
        }
    }

    /// The acknowledged sequence of one site database.
    public func cursor(site: String, epoch: String) async throws(StoreError) -> Int64 {
        try await read { db in
            try Int64.fetchOne(
                db, sql: "SELECT acknowledged FROM cursors WHERE site = ? AND epoch = ?", arguments: [site, epoch])
                ?? 0
        }
    }

    /// Remembers a nonce until it expires; false when it is already there (a replay). Forgets expired ones.
    public func remember(key: String, nonce: String, expires: Date, now: Date) async throws(StoreError) -> Bool {
        try await write { db in
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
        public var createdAt: Date
        /// The audit-chain hash the site sent, and the one it chains from; nil from sites that predate the chain.
        public var hash: String?
        public var previousHash: String?
    }

    public func records(site: String) async throws(StoreError) -> [StoredRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM records WHERE site = ? ORDER BY epoch, seq", arguments: [site]).map
            {
                StoredRecord(
                    site: $0["site"], epoch: $0["epoch"], seq: $0["seq"], kind: $0["kind"], recordClass: $0["class"],
                    key: $0["key"], payload: $0["payload"],
                    createdAt: $0["created_at"], hash: $0["hash"],
                    previousHash: $0["previous_hash"])
            }
        }
    }

    /// The latest state a site has sent, of one kind, keyed.
    public func state(site: String, kind: String) async throws(StoreError) -> [String: String] {
        try await read { db in
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

    public func knownSites() async throws(StoreError) -> [String] {
        try await read { db in try String.fetchAll(db, sql: "SELECT id FROM sites ORDER BY id") }
    }

    public func contact(site: String) async throws(StoreError) -> SiteContact? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sites WHERE id = ?", arguments: [site]).map {
                SiteContact(
                    site: $0["id"], epoch: $0["epoch"], lastHeardAt: $0.optionalDate("last_heard_at"),
                    clockOffsetSeconds: $0["clock_offset_seconds"], configRunning: $0["config_running"])
            }
        }
    }

    // MARK: configuration

    /// Publishes the next configuration version for `site`; returns its number.
    @discardableResult
    public func publish(site: String, document: String, by person: String, at: Date) async throws(StoreError) -> Int {
        try await write { db in
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
    public func config(site: String, since version: Int) async throws(StoreError) -> (
        version: Int, document: String, at: Date
    )? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT version, document, published_at FROM config_versions WHERE site = ? AND version > ? ORDER BY version DESC LIMIT 1",
                arguments: [site, version]
            ).map { ($0["version"], $0["document"], $0.date("published_at")) }
        }
    }
}

extension CentralStore {
    /// Every configuration version published for a site, newest first, with its document.
    public func configHistory(site: String) async throws(StoreError) -> [ConfigVersion] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT version, document, published_at, published_by FROM config_versions WHERE site = ? ORDER BY version DESC",
                arguments: [site]
            ).map {
                ConfigVersion(
                    version: $0["version"], document: $0["document"], publishedAt: $0.date("published_at"),
                    publishedBy: $0["published_by"])
            }
        }
    }
}

extension Row {
    /// A stored time, read without trapping: a value GRDB cannot turn into a `Date` (a row written by an older
    /// build before times were bounded, or edited by hand) reads as `Date.distantPast` instead of crashing
    /// every page that shows it.
    func date(_ column: String) -> Date { optionalDate(column) ?? .distantPast }

    func optionalDate(_ column: String) -> Date? {
        let value: DatabaseValue = self[column]
        if value.isNull { return nil }
        return Date.fromDatabaseValue(value) ?? Double.fromDatabaseValue(value).map { Date(timeIntervalSince1970: $0) }
            ?? .distantPast
    }
}

extension CentralStore {
    public func stateRows(
        site: String, kind: String, status: String?, severity: String?, since: Date?, limit: Int, offset: Int
    ) async throws(StoreError) -> (payloads: [String], total: Int) {
        try await read { db in
            var filter = "site = ? AND kind = ?"
            var arguments: StatementArguments = [site, kind]
            if let status {
                filter += " AND status = ?"
                _ = arguments.append(contentsOf: [status])
            }
            if let severity {
                filter += " AND severity = ?"
                _ = arguments.append(contentsOf: [severity])
            }
            if let since {
                filter += " AND at >= ?"
                _ = arguments.append(contentsOf: [since.timeIntervalSince1970])
            }
            let total =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM state WHERE \(filter)", arguments: arguments) ?? 0
            let payloads = try String.fetchAll(
                db, sql: "SELECT payload FROM state WHERE \(filter) ORDER BY at DESC, key DESC LIMIT ? OFFSET ?",
                arguments: arguments + [limit, offset])
            return (payloads, total)
        }
    }
}
