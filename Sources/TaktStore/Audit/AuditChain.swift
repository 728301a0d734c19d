import Crypto
import Foundation
import GRDB
import TaktCore

/// The tamper-evident audit trail: every outbox row carries the SHA-256 of its own fields and of the row before
/// it, a chain per site epoch that starts from the epoch itself. Central keeps the same hashes. Changing a stored
/// record, or removing one, breaks the chain from that row on; `verify` names the first row that does not fit.
public enum AuditChain {
    /// The hash the first row of an epoch chains from.
    public static func genesis(epoch: String) -> String { hex(SHA256.hash(data: Data("takt:\(epoch)".utf8))) }

    /// The hash of one record, chained to `previous`: its sequence, epoch, kind, class, key, time (to the
    /// millisecond, as both databases keep it) and payload, each on its own line.
    public static func hash(
        previous: String, seq: Int64, epoch: String, kind: String, recordClass: String, key: String, createdAt: Date,
        payload: String
    ) -> String {
        let milliseconds = Int64((createdAt.timeIntervalSince1970 * 1000).rounded())
        let text = [previous, String(seq), epoch, kind, recordClass, key, String(milliseconds), payload]
            .joined(separator: "\n")
        return hex(SHA256.hash(data: Data(text.utf8)))
    }

    public static func hash(_ entry: OutboxEntry, previous: String) -> String {
        hash(
            previous: previous, seq: entry.seq, epoch: entry.epoch, kind: entry.kind, recordClass: entry.class.rawValue,
            key: entry.key, createdAt: entry.createdAt, payload: entry.payload)
    }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// One place where the stored records do not fit the chain.
    public struct Problem: Hashable, Sendable, Codable, CustomStringConvertible {
        public var seq: Int64
        public var kind: String
        public var key: String
        public var message: String
        public var description: String { "record \(seq) (\(kind) \(key)): \(message)" }
    }

    /// Checks records of one epoch, in sequence order: each must follow the one before (no number missing) and
    /// match its hash. With `from` the chain is checked from that row's predecessor's hash (records before it
    /// archived), else from the epoch's start.
    public static func verify(
        _ records: [(
            seq: Int64, kind: String, recordClass: String, key: String, createdAt: Date, payload: String, hash: String?
        )],
        epoch: String, previousHash: String? = nil
    ) -> [Problem] {
        var problems: [Problem] = []
        var previous = previousHash ?? genesis(epoch: epoch)
        var expected = records.first.map { previousHash == nil ? 1 : $0.seq } ?? 1
        for record in records {
            if record.seq != expected {
                problems.append(
                    Problem(
                        seq: expected, kind: "?", key: "?",
                        message: record.seq > expected
                            ? "missing: records \(expected) to \(record.seq - 1) were removed"
                            : "appears twice"))
            }
            expected = record.seq + 1
            guard let stored = record.hash else {
                problems.append(
                    Problem(seq: record.seq, kind: record.kind, key: record.key, message: "has no hash"))
                continue
            }
            let computed = hash(
                previous: previous, seq: record.seq, epoch: epoch, kind: record.kind, recordClass: record.recordClass,
                key: record.key, createdAt: record.createdAt, payload: record.payload)
            if computed != stored {
                problems.append(
                    Problem(
                        seq: record.seq, kind: record.kind, key: record.key,
                        message: "was changed after it was written (its contents do not match its hash)"))
            }
            // Chain on what was stored, so one altered row is named once, not every row after it.
            previous = stored
        }
        return problems
    }
}

extension SiteStore {
    static func registerAuditMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v17-audit") { db in
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN hash TEXT")
            // Rows written before the chain get theirs now, in order.
            let rows = try OutboxEntry.order(Column("seq")).fetchAll(db)
            var previous: [String: String] = [:]
            for row in rows {
                let hash = AuditChain.hash(row, previous: previous[row.epoch] ?? AuditChain.genesis(epoch: row.epoch))
                try db.execute(sql: "UPDATE outbox SET hash = ? WHERE seq = ?", arguments: [hash, row.seq])
                previous[row.epoch] = hash
            }
        }
    }

    /// Each outbox row keeps the hash it chains from, so a record can be checked on its own at central.
    static func registerAuditLinkMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v24-audit-links") { db in
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN previous_hash TEXT")
            var previous: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT seq, epoch, hash FROM outbox ORDER BY seq") {
                let epoch: String = row["epoch"]
                try db.execute(
                    sql: "UPDATE outbox SET previous_hash = ? WHERE seq = ?",
                    arguments: [previous[epoch] ?? AuditChain.genesis(epoch: epoch), row["seq"] as Int64])
                previous[epoch] = row["hash"]
            }
        }
    }

    /// Checks the site's audit trail: the outbox's hash chain, and every check reading in the database against
    /// the record written with it. Each problem names the record.
    public func verifyAudit() throws(StoreError) -> [AuditChain.Problem] {
        try read { db in
            let rows = try Self.outbox(after: 0, limit: Int.max, db: db)
            var problems: [AuditChain.Problem] = []
            for (epoch, entries) in Dictionary(grouping: rows, by: \.epoch) {
                problems += AuditChain.verify(
                    entries.map { ($0.seq, $0.kind, $0.class.rawValue, $0.key, $0.createdAt, $0.payload, $0.hash) },
                    epoch: epoch)
            }
            // A reading edited in its own table no longer says what its record says.
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let written = Dictionary(
                rows.filter { $0.kind == "check_reading" }.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            for record in try ReadingRecord.fetchAll(db) {
                guard let id = record.id else { continue }
                guard let entry = written[String(id)] else {
                    problems.append(
                        .init(
                            seq: 0, kind: "check_reading", key: String(id),
                            message: "is in the database with no record written for it"))
                    continue
                }
                guard let payload = try? decoder.decode(ReadingPayload.self, from: Data(entry.payload.utf8)) else {
                    continue
                }
                let stored = record.reading
                if payload.reading.value != stored.value || payload.reading.check != stored.check
                    || payload.reading.lot != stored.lot || payload.reading.workCentre != stored.workCentre
                    || abs(payload.reading.at.timeIntervalSince(stored.at)) >= 1
                {
                    problems.append(
                        .init(
                            seq: entry.seq, kind: "check_reading", key: String(id),
                            message: "was edited in the database: it says \(CriticalLimits.format(stored.value)) for "
                                + "\(stored.check), its record says \(CriticalLimits.format(payload.reading.value))"))
                }
            }
            return problems.sorted { ($0.seq, $0.key) < ($1.seq, $1.key) }
        }
    }
}
