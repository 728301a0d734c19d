import Foundation
import GRDB
import PostgresNIO
import TaktStore

/// How long central keeps raw records: `retention_days` in central.yaml; roll-ups are kept for ever. Old records
/// leave the database only through `takt central archive`, which writes them to a gzip'd JSON Lines file first.
public enum Retention {
    /// The shortest retention: a record can still count on a day up to two days before it was made (a finding
    /// closed the day after it was raised, time zones), and pages read the last day's production raw, so three
    /// days of records must stay for roll-ups to be rebuilt and pages to be right.
    public static let minimumDays = 3

    /// Why `days` cannot be the retention, or nil.
    public static func problem(days: Int) -> String? {
        days >= minimumDays
            ? nil
            : "retention_days \(days) is shorter than the roll-up period: a record can still count on a day up to two days before it was made and pages read the last day's production, so keep at least \(minimumDays) days"
    }

    /// A record as the archive file holds it, one JSON object a line.
    public struct ArchivedRecord: Codable, Hashable, Sendable {
        public var site: String
        public var epoch: String
        public var seq: Int64
        public var kind: String
        public var recordClass: String
        public var key: String
        public var payload: String
        public var createdAt: Date
        public var receivedAt: Date
        /// The audit-chain hash the site sent and the one it chains from, so an archive can still be verified.
        public var hash: String? = nil
        public var previousHash: String? = nil

        enum CodingKeys: String, CodingKey {
            case site, epoch, seq, kind, key, payload, hash
            case recordClass = "class"
            case createdAt = "created_at"
            case receivedAt = "received_at"
            case previousHash = "previous_hash"
        }

        /// Where a page of records ends, to read the next from.
        public var position: Position { Position(site: site, epoch: epoch, seq: seq) }

    }

    public struct Position: Hashable, Sendable {
        public var site: String
        public var epoch: String
        public var seq: Int64
    }
}

extension Retention.ArchivedRecord {
    /// A row of `records` in SQLite.
    init(row: Row) {
        self.init(
            site: row["site"], epoch: row["epoch"], seq: row["seq"], kind: row["kind"], recordClass: row["class"],
            key: row["key"], payload: row["payload"], createdAt: row.date("created_at"),
            receivedAt: row.date("received_at"), hash: row["hash"], previousHash: row["previous_hash"])
    }

    /// The columns PostgreSQL's queries select, in the order `init(_:)` reads them.
    static let postgresColumns =
        "site, epoch, seq, kind, class, key, payload, created_at, received_at, COALESCE(hash, ''), "
        + "COALESCE(previous_hash, '')"

    /// A row of `records` in PostgreSQL, selected as `postgresColumns`.
    init(_ row: PostgresRow) throws {
        let (site, epoch, seq, kind, recordClass, key, payload, created, received, hash, previous) = try row.decode(
            (String, String, Int64, String, String, String, String, Date, Date, String, String).self)
        self.init(
            site: site, epoch: epoch, seq: seq, kind: kind, recordClass: recordClass, key: key, payload: payload,
            createdAt: created, receivedAt: received, hash: hash.isEmpty ? nil : hash,
            previousHash: previous.isEmpty ? nil : previous)
    }
}

extension CentralStore {
    public func archivable(before: Date, receivedBy: Date, after: Retention.Position?, limit: Int)
        async throws(StoreError) -> [Retention.ArchivedRecord]
    {
        try await read { db in
            let start = after ?? Retention.Position(site: "", epoch: "", seq: Int64.min)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM records WHERE created_at < ? AND received_at <= ? AND (site, epoch, seq) > (?, ?, ?)
                    ORDER BY site, epoch, seq LIMIT ?
                    """, arguments: [before, receivedBy, start.site, start.epoch, start.seq, limit]
            ).map(Retention.ArchivedRecord.init(row:))
        }
    }

    public func deleteArchived(before: Date, receivedBy: Date) async throws(StoreError) -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM records WHERE created_at < ? AND received_at <= ?", arguments: [before, receivedBy])
            return db.changesCount
        }
    }
}

extension PostgresCentralStore {
    public func archivable(before: Date, receivedBy: Date, after: Retention.Position?, limit: Int) async throws
        -> [Retention.ArchivedRecord]
    {
        let start = after ?? Retention.Position(site: "", epoch: "", seq: Int64.min)
        var result: [Retention.ArchivedRecord] = []
        for try await row in try await client.query(
            """
            SELECT \(unescaped: Retention.ArchivedRecord.postgresColumns) FROM records
            WHERE created_at < \(before) AND received_at <= \(receivedBy)
                AND (site, epoch, seq) > (\(start.site), \(start.epoch), \(start.seq))
            ORDER BY site, epoch, seq LIMIT \(Int64(limit))
            """, logger: logger)
        {
            result.append(try Retention.ArchivedRecord(row))
        }
        return result
    }

    public func deleteArchived(before: Date, receivedBy: Date) async throws -> Int {
        var count = 0
        for try await _ in try await client.query(
            "DELETE FROM records WHERE created_at < \(before) AND received_at <= \(receivedBy) RETURNING seq",
            logger: logger
        ).decode(Int64.self) { count += 1 }
        return count
    }
}

extension CentralStore {
    public func records(site: String, epoch: String, after: Int64, limit: Int) async throws(StoreError)
        -> [Retention.ArchivedRecord]
    {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM records WHERE site = ? AND epoch = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [site, epoch, after, limit]
            ).map(Retention.ArchivedRecord.init(row:))
        }
    }
}

extension PostgresCentralStore {
    public func records(site: String, epoch: String, after: Int64, limit: Int) async throws
        -> [Retention.ArchivedRecord]
    {
        var result: [Retention.ArchivedRecord] = []
        for try await row in try await client.query(
            """
            SELECT \(unescaped: Retention.ArchivedRecord.postgresColumns) FROM records
            WHERE site = \(site) AND epoch = \(epoch) AND seq > \(after) ORDER BY seq LIMIT \(Int64(limit))
            """, logger: logger)
        {
            result.append(try Retention.ArchivedRecord(row))
        }
        return result
    }
}
