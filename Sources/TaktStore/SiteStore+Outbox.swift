import Foundation
import GRDB

extension SiteStore {
    /// Appends one outbox row inside the caller's transaction, with the next gapless sequence number.
    static func enqueue(
        _ db: Database, epoch: String, kind: String, class entryClass: OutboxEntry.Class, key: String,
        payload: some Encodable, at: Date
    ) throws {
        try enqueue(
            db, epoch: epoch, kind: kind, class: entryClass, key: key, json: try outboxJSON(payload), at: at)
    }

    /// Appends one outbox row whose payload is already encoded by ``outboxJSON(_:)``.
    private static func enqueue(
        _ db: Database, epoch: String, kind: String, class entryClass: OutboxEntry.Class, key: String,
        json: String, at: Date
    ) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM outbox ORDER BY seq DESC LIMIT 1")
        let next = (last?["seq"] as Int64? ?? 0) + 1
        var entry = OutboxEntry(
            seq: next, epoch: epoch, kind: kind, class: entryClass, key: key, payload: json, createdAt: at,
            ackedAt: nil)
        let previous: String = last?["hash"] ?? AuditChain.genesis(epoch: epoch)
        entry.hash = AuditChain.hash(entry, previous: previous)
        entry.previousHash = previous
        try entry.insert(db)
    }

    /// A payload as the outbox stores it: ISO 8601 dates and sorted keys, so equal states encode to equal text.
    static func outboxJSON(_ payload: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(payload), as: UTF8.self)
    }

    /// Outbox rows after `seq`, oldest first, at most `limit`.
    public func outbox(after seq: Int64 = 0, limit: Int = 1000) throws(StoreError) -> [OutboxEntry] {
        try read { db in try Self.outbox(after: seq, limit: limit, db: db) }
    }

    /// Outbox rows by their columns named, not `*`: a reader connection opened before an upgrade added a column
    /// must still see it.
    static func outbox(after seq: Int64, limit: Int, db: Database) throws -> [OutboxEntry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT seq, epoch, kind, class, key, payload, created_at, acked_at, hash, previous_hash FROM outbox
                WHERE seq > ? ORDER BY seq LIMIT ?
                """, arguments: [seq, limit]
        ).map { row in
            var entry = OutboxEntry(
                seq: row["seq"], epoch: row["epoch"], kind: row["kind"],
                class: OutboxEntry.Class(rawValue: row["class"]) ?? .fact, key: row["key"], payload: row["payload"],
                createdAt: row["created_at"], ackedAt: row["acked_at"])
            entry.hash = row["hash"]
            entry.previousHash = row["previous_hash"]
            return entry
        }
    }

    /// How many outbox rows central has not yet acknowledged.
    public func outboxDepth() throws(StoreError) -> Int {
        try read { db in try OutboxEntry.filter(Column("acked_at") == nil).fetchCount(db) }
    }
}

extension SiteStore {
    /// Enqueues a latest-state record unless the newest one of the same kind and key already says the same.
    /// Returns whether it enqueued.
    @discardableResult
    public func publishState(kind: String, key: String, payload: some Encodable & Sendable, at: Date) throws(StoreError)
        -> Bool
    {
        let epoch = self.epoch
        return try write { db in
            let json = try Self.outboxJSON(payload)
            let last = try String.fetchOne(
                db, sql: "SELECT payload FROM outbox WHERE kind = ? AND key = ? ORDER BY seq DESC LIMIT 1",
                arguments: [kind, key])
            guard last != json else { return false }
            try Self.enqueue(db, epoch: epoch, kind: kind, class: .state, key: key, json: json, at: at)
            return true
        }
    }
}

extension SiteStore {
    /// The next free number after `prefix` among the ids of `table` (`PO-7` after `PO-6`), read inside the caller's
    /// write transaction, so two requests at once never get the same one.
    static func nextID(_ prefix: String, in table: String, db: Database) throws -> String {
        let numbers = try String.fetchAll(db, sql: "SELECT id FROM \(table) WHERE id LIKE ?", arguments: [prefix + "%"])
            .compactMap { Int($0.dropFirst(prefix.count)) }
        return prefix + String((numbers.max() ?? 0) + 1)
    }
}
