import Foundation
import GRDB
import TaktCore

/// Backups of a site database and restoring one.
///
/// A backup is SQLite's online backup of a consistent snapshot, safe while the site runs. Restoring an older
/// backup brings the site back to that moment; what happened after it is not lost: central has every record the
/// site sent since, and the records only the backup has still reach central. So a restored database is a new
/// epoch (its new records start again at sequence 1, and central keeps them apart from the old ones), its old
/// outbox moves to `outbox_restored`, and on its next sync the agent recovers (`SyncAgent.recover`): the backup's
/// records central never got are sent under the old epoch, and the records central has from after the backup
/// come back into `recovered_records`, the site's history of what the backup missed. Nothing is sent twice and
/// nothing is stored twice: central keeps each `(site, epoch, seq)` once.
extension SiteStore {
    static func registerRestoreMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-restore") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox_restored (
                        seq INTEGER PRIMARY KEY NOT NULL,
                        epoch TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        class TEXT NOT NULL,
                        key TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        created_at DATETIME NOT NULL
                    );
                    CREATE TABLE recovered_records (
                        epoch TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        class TEXT NOT NULL,
                        key TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        recovered_at DATETIME NOT NULL,
                        PRIMARY KEY (epoch, seq)
                    );
                    """)
        }
    }

    /// Writes a consistent copy of the database to `destination` (which must not exist), with SQLite's online
    /// backup API: the site keeps running while it is taken.
    public func backup(to destination: String) throws(StoreError) -> BackupReport {
        if FileManager.default.fileExists(atPath: destination) {
            throw .cannotOpen(path: destination, reason: "the file exists; choose a new name for the backup")
        }
        do {
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
            let report = try target.read { db in
                BackupReport(
                    path: destination, site: siteID,
                    epoch: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'epoch'") ?? epoch,
                    lastSequence: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM outbox") ?? 0,
                    bytes: 0)
            }
            try target.close()
            var result = report
            result.bytes = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw Self.translate(error, path: destination, opening: false)
        }
    }

    public struct BackupReport: Hashable, Sendable, Codable {
        public var path: String
        public var site: String
        public var epoch: String
        /// The newest outbox record in the backup.
        public var lastSequence: Int64
        public var bytes: Int
    }

    public struct RestoreReport: Hashable, Sendable, Codable {
        public var site: String
        /// The epoch of the backup, whose records recovery settles with central.
        public var previousEpoch: String
        /// The restored database's new epoch.
        public var epoch: String
        /// The newest outbox record in the backup.
        public var restoredThrough: Int64
        /// Where the database that was replaced now is.
        public var replacedFile: String?
    }

    /// Replaces the database at `path` with the backup at `backup`, for `siteID`. Refused, with nothing
    /// changed, when the backup is not a Takt site database, belongs to another site, fails SQLite's integrity
    /// check, or was written by a newer Takt; the site must not be running. The replaced database is kept beside
    /// it as `<name>.before-restore-<time>`.
    public static func restore(
        backup: String, into path: String, siteID: String, recordKinds: [AnyRecordKind] = [],
        newEpoch: @Sendable () -> String = { UUID().uuidString }, now: Date = Date()
    ) throws(StoreError) -> RestoreReport {
        guard FileManager.default.fileExists(atPath: backup) else {
            throw .cannotOpen(path: backup, reason: "no such backup file")
        }
        let staging = path + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        do {
            // Read the backup without writing to it: is it a Takt site database, this site's, whole, not newer?
            var readOnly = Configuration()
            readOnly.readonly = true
            let source: DatabaseQueue
            do { source = try DatabaseQueue(path: backup, configuration: readOnly) } catch {
                throw StoreError.cannotOpen(path: backup, reason: "not an SQLite database: \(error)")
            }
            let (owner, oldEpoch, check) = try source.read { db -> (String?, String?, String) in
                guard try db.tableExists("meta"), try db.tableExists("outbox") else { return (nil, nil, "ok") }
                return (
                    try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'site_id'"),
                    try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'epoch'"),
                    try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "unknown"
                )
            }
            guard let owner, let oldEpoch else {
                throw StoreError.cannotOpen(path: backup, reason: "not a Takt site database (no site or outbox)")
            }
            guard owner == siteID else { throw StoreError.wrongSite(path: backup, expected: siteID, found: owner) }
            guard check == "ok" else { throw StoreError.corrupt(path: backup, reason: "integrity check: \(check)") }
            let migrator = migrator(recordKinds)
            try refuseNewer(source, migrator: migrator, path: backup, modules: Set(recordKinds.map(\.module)))
            // No `takt site run` or `serve` may be using the database while it is replaced.
            let restoring = try SiteInUse.lock(path, exclusive: true)
            defer { close(restoring) }
            if FileManager.default.fileExists(atPath: path) { try refuseIfBusy(path) }

            // Copy, bring the copy to this build's schema, and make it a new epoch with its old outbox set aside.
            let copy = try DatabaseQueue(path: staging)
            try source.backup(to: copy)
            try source.close()
            try migrator.migrate(copy)
            let epoch = newEpoch()
            let through = try copy.write { db -> Int64 in
                let through = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM outbox") ?? 0
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO outbox_restored (seq, epoch, kind, class, key, payload, created_at)
                        SELECT seq, epoch, kind, class, key, payload, created_at FROM outbox;
                        DELETE FROM outbox;
                        DELETE FROM dead_letters;
                        """)
                for (key, value) in [
                    ("epoch", epoch), ("acked_through", "0"), ("recovery_epoch", oldEpoch),
                    ("recovery_through", String(through)), ("restored_at", String(now.timeIntervalSince1970)),
                ] {
                    try db.execute(
                        sql:
                            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        arguments: [key, value])
                }
                return through
            }
            try copy.close()

            var replaced: String?
            if FileManager.default.fileExists(atPath: path) {
                let stamp = Instant.iso(now).replacingOccurrences(of: ":", with: "")
                let kept = "\(path).before-restore-\(stamp)"
                try FileManager.default.moveItem(atPath: path, toPath: kept)
                for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                    try FileManager.default.moveItem(atPath: path + suffix, toPath: kept + suffix)
                }
                replaced = kept
            }
            try FileManager.default.moveItem(atPath: staging, toPath: path)
            return RestoreReport(
                site: siteID, previousEpoch: oldEpoch, epoch: epoch, restoredThrough: through, replacedFile: replaced)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw translate(error, path: backup, opening: true)
        }
    }

    /// Refuses to replace a database another process is writing to (a running site).
    static func refuseIfBusy(_ path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .immediateError
        let live = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? live.close() }
        do {
            try live.inDatabase { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                try db.execute(sql: "ROLLBACK")
            }
        } catch {
            throw StoreError.locked(path: path)
        }
    }

    // MARK: recovery

    /// What a restored database still has to settle with central: its backup's epoch, and the newest record the
    /// backup had.
    public struct Recovery: Hashable, Sendable, Codable {
        public var epoch: String
        public var through: Int64
    }

    public func pendingRecovery() throws(StoreError) -> Recovery? {
        try read { db in
            guard let epoch = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'recovery_epoch'"),
                let through = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'recovery_through'")
                    .flatMap(Int64.init)
            else { return nil }
            return Recovery(epoch: epoch, through: through)
        }
    }

    /// The backup's outbox records after `after`, oldest first.
    public func restoredRecords(after: Int64, limit: Int) throws(StoreError) -> [OutboxEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM outbox_restored WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [after, limit]
            ).map {
                OutboxEntry(
                    seq: $0["seq"], epoch: $0["epoch"], kind: $0["kind"],
                    class: OutboxEntry.Class(rawValue: $0["class"]) ?? .fact, key: $0["key"], payload: $0["payload"],
                    createdAt: $0["created_at"], ackedAt: nil)
            }
        }
    }

    /// Keeps records central had from after the backup, once each.
    public func keepRecovered(
        _ records: [(seq: Int64, kind: String, recordClass: String, key: String, payload: String, createdAt: Date)],
        epoch: String, at: Date
    ) throws(StoreError) {
        try write { db in
            for record in records {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO recovered_records (epoch, seq, kind, class, key, payload, created_at, recovered_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        epoch, record.seq, record.kind, record.recordClass, record.key, record.payload,
                        record.createdAt,
                        at,
                    ])
            }
        }
    }

    /// Ends recovery: everything of the backup's epoch is settled with central.
    public func finishRecovery() throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM meta WHERE key IN ('recovery_epoch', 'recovery_through')")
        }
    }

    /// A record recovered from central after a restore.
    public struct RecoveredRecord: Hashable, Sendable, Codable {
        public var epoch: String
        public var seq: Int64
        public var kind: String
        public var recordClass: String
        public var key: String
        public var payload: String
        public var createdAt: Date
        public var recoveredAt: Date
    }

    /// The records recovered from central after a restore, oldest first: the site's history of what the backup
    /// missed.
    public func recoveredRecords(kind: String? = nil) throws(StoreError) -> [RecoveredRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM recovered_records WHERE ? IS NULL OR kind = ? ORDER BY created_at, epoch, seq",
                arguments: [kind, kind]
            ).map {
                RecoveredRecord(
                    epoch: $0["epoch"], seq: $0["seq"], kind: $0["kind"], recordClass: $0["class"], key: $0["key"],
                    payload: $0["payload"], createdAt: $0["created_at"], recoveredAt: $0["recovered_at"])
            }
        }
    }
}

/// A running site says so: `takt site run` and `takt site serve` hold a shared lock on `<database>.lock` for as
/// long as they run (the system drops it when the process ends, however it ends), and a restore takes it
/// exclusively, so it refuses while any of them runs.
public final class SiteInUse: Sendable {
    let descriptor: Int32

    /// Marks the database at `path` in use until this value is released.
    public init(path: String) throws(StoreError) {
        descriptor = try Self.lock(path, exclusive: false)
    }

    deinit { close(descriptor) }

    static func lock(_ path: String, exclusive: Bool) throws(StoreError) -> Int32 {
        let file = path + ".lock"
        let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: file, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            close(descriptor)
            throw .locked(path: path)
        }
        return descriptor
    }
}
