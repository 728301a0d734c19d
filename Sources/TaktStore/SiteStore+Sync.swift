import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// How the site's sync stands, for `takt site sync-status`.
    public struct SyncStatus: Hashable, Sendable, Codable {
        public struct DeadLetter: Hashable, Sendable, Codable {
            public var seq: Int64
            public var kind: String
            public var reason: String
            public var at: Date
        }
        public var site: String
        public var epoch: String
        public var lastSequence: Int64
        public var acknowledged: Int64
        /// Records central has not acknowledged.
        public var outboxDepth: Int
        public var oldestUnacknowledgedAgeSeconds: Double?
        public var lastSuccess: Date?
        public var lastError: String?
        public var lastErrorAt: Date?
        public var configVersion: Int
        public var deadLetters: [DeadLetter]
    }

    /// Outbox rows after `seq`, oldest first, whether acknowledged or not.
    public func outboxRows(after seq: Int64, limit: Int) throws(StoreError) -> [OutboxEntry] {
        try outbox(after: seq, limit: limit)
    }

    public func lastSequence() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM outbox") ?? 0 }
    }

    /// The highest sequence central has acknowledged (every record up to it is at central).
    public func acknowledgedThrough() throws(StoreError) -> Int64 {
        try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'acked_through'").flatMap { Int64($0) }
                ?? 0
        }
    }

    /// Marks every record up to `seq` acknowledged, in one transaction.
    public func acknowledge(through seq: Int64, at: Date) throws(StoreError) {
        try write { db in
            let current =
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'acked_through'").flatMap { Int64($0) }
                ?? 0
            guard seq > current else { return }
            try db.execute(
                sql: "UPDATE outbox SET acked_at = ? WHERE seq <= ? AND acked_at IS NULL", arguments: [at, seq])
            try db.execute(
                sql:
                    "INSERT INTO meta (key, value) VALUES ('acked_through', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [String(seq)])
        }
    }

    public func deadLetter(seq: Int64, reason: String, at: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO dead_letters (seq, reason, at) VALUES (?, ?, ?)",
                arguments: [seq, reason, at])
        }
    }

    public func deadLetterSequences() throws(StoreError) -> Set<Int64> {
        try read { db in Set(try Int64.fetchAll(db, sql: "SELECT seq FROM dead_letters")) }
    }

    /// Notes how the last sync attempt went.
    public func recordSyncAttempt(error: String?, at: Date) throws(StoreError) {
        try write { db in
            let now = String(at.timeIntervalSince1970)
            if let error {
                try Self.setMeta(db, "last_error", error)
                try Self.setMeta(db, "last_error_at", now)
            } else {
                try Self.setMeta(db, "last_success", now)
            }
        }
    }

    /// The configuration version this site runs (0 before any was pushed).
    public func configVersion() throws(StoreError) -> Int {
        try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'config_version'").flatMap(Int.init) ?? 0
        }
    }

    /// Records a newly applied configuration version; refuses to go back to a lower one.
    public func setConfigVersion(_ version: Int) throws(StoreError) {
        try write { db in
            let current =
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'config_version'").flatMap(Int.init)
                ?? 0
            guard version > current else {
                throw StoreError.rejected(reason: "configuration version \(version) is not newer than \(current)")
            }
            try Self.setMeta(db, "config_version", String(version))
        }
    }

    public func syncStatus(now: Date) throws(StoreError) -> SyncStatus {
        let site = siteID
        let epoch = self.epoch
        return try read { db in
            func meta(_ key: String) throws -> String? {
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
            }
            let oldest = try Date.fetchOne(db, sql: "SELECT MIN(created_at) FROM outbox WHERE acked_at IS NULL")
            let letters = try Row.fetchAll(
                db,
                sql:
                    "SELECT d.seq, o.kind, d.reason, d.at FROM dead_letters d JOIN outbox o ON o.seq = d.seq ORDER BY d.seq"
            ).map { SyncStatus.DeadLetter(seq: $0["seq"], kind: $0["kind"], reason: $0["reason"], at: $0["at"]) }
            return SyncStatus(
                site: site, epoch: epoch,
                lastSequence: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM outbox") ?? 0,
                acknowledged: try meta("acked_through").flatMap { Int64($0) } ?? 0,
                outboxDepth: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE acked_at IS NULL") ?? 0,
                oldestUnacknowledgedAgeSeconds: oldest.map { now.timeIntervalSince($0) },
                lastSuccess: try meta("last_success").flatMap(Double.init).map { Date(timeIntervalSince1970: $0) },
                lastError: try meta("last_error"),
                lastErrorAt: try meta("last_error_at").flatMap(Double.init).map { Date(timeIntervalSince1970: $0) },
                configVersion: try meta("config_version").flatMap(Int.init) ?? 0, deadLetters: letters)
        }
    }

    static func setMeta(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(
            sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [key, value])
    }
}
