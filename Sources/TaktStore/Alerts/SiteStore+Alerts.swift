import Foundation
import GRDB
import TaktCore

/// The alert queue: one row per finding, level and recipient (so an event is queued once, however often the sweep
/// runs), retried with backoff until delivered or given up; and who acknowledged which finding.
extension SiteStore {
    static func registerAlertMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v22-alerts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alerts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        finding_id INTEGER NOT NULL REFERENCES findings(id),
                        level INTEGER NOT NULL CHECK (level IN (0, 1)),
                        channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
                        target TEXT NOT NULL CHECK (length(target) > 0),
                        status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                        next_attempt_at DATETIME NOT NULL,
                        last_error TEXT,
                        created_at DATETIME NOT NULL,
                        sent_at DATETIME,
                        UNIQUE (finding_id, level, channel, target)
                    );
                    CREATE INDEX alerts_due ON alerts (status, next_attempt_at);
                    CREATE TABLE finding_acknowledgements (
                        finding_id INTEGER PRIMARY KEY REFERENCES findings(id),
                        by TEXT NOT NULL,
                        at DATETIME NOT NULL
                    );
                    """)
        }
    }

    /// Queues alerts; one already queued (or sent) for the same finding, level and recipient is skipped. Returns
    /// how many are new.
    @discardableResult
    public func queueAlerts(_ entries: [(finding: Int64, level: Int, target: AlertPolicy.Target)], at now: Date)
        throws(StoreError) -> Int
    {
        try write { db in
            var added = 0
            for entry in entries {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO alerts (finding_id, level, channel, target, status, next_attempt_at, created_at)
                        VALUES (?, ?, ?, ?, 'queued', ?, ?)
                        """,
                    arguments: [
                        entry.finding, entry.level, entry.target.channel.rawValue, entry.target.address, now, now,
                    ])
                added += db.changesCount
            }
            return added
        }
    }

    /// Queued alerts whose next attempt is due at `now`, oldest first.
    public func dueAlerts(at now: Date, limit: Int = 100) throws(StoreError) -> [Alert] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM alerts WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                arguments: [now, limit]
            ).compactMap(Self.alert)
        }
    }

    /// The newest alerts, at most `limit`.
    public func alerts(limit: Int = 100) throws(StoreError) -> [Alert] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alerts ORDER BY id DESC LIMIT ?", arguments: [limit])
                .compactMap(Self.alert)
        }
    }

    /// How many alerts are in each state.
    public func alertCounts() throws(StoreError) -> [Alert.Status: Int] {
        try read { db in
            var counts: [Alert.Status: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM alerts GROUP BY status") {
                if let status = Alert.Status(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    /// Records the outcome of one attempt: delivered, or failed with `error` — retried after the backoff until
    /// `Alert.maxAttempts`, then given up.
    public func recordAttempt(alert id: Int64, error: String?, at now: Date) throws(StoreError) {
        try write { db in
            if error == nil {
                try db.execute(
                    sql:
                        "UPDATE alerts SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?",
                    arguments: [now, id])
                return
            }
            let attempts =
                (try Int.fetchOne(db, sql: "SELECT attempts FROM alerts WHERE id = ?", arguments: [id]) ?? 0) + 1
            try db.execute(
                sql: """
                    UPDATE alerts SET attempts = ?, last_error = ?, next_attempt_at = ?,
                        status = CASE WHEN ? >= ? THEN 'failed' ELSE 'queued' END WHERE id = ?
                    """,
                arguments: [
                    attempts, String((error ?? "").prefix(500)), now.addingTimeInterval(Alert.backoff(after: attempts)),
                    attempts, Alert.maxAttempts, id,
                ])
        }
    }

    /// Notes that `person` has seen finding `id`; it no longer escalates. Refused for a finding that does not exist
    /// or was already acknowledged.
    public func acknowledge(finding id: Int64, by person: String, at now: Date) throws(StoreError) {
        try write { db in
            guard try FindingRecord.fetchOne(db, key: id) != nil else {
                throw StoreError.notFound(kind: "finding", id: String(id))
            }
            if let by = try String.fetchOne(
                db, sql: "SELECT by FROM finding_acknowledgements WHERE finding_id = ?", arguments: [id])
            {
                throw StoreError.rejected(reason: "finding \(id) was already acknowledged by \(by)")
            }
            try db.execute(
                sql: "INSERT INTO finding_acknowledgements (finding_id, by, at) VALUES (?, ?, ?)",
                arguments: [id, person, now])
        }
    }

    /// The findings someone has acknowledged.
    public func acknowledgedFindings() throws(StoreError) -> Set<Int64> {
        try read { db in Set(try Int64.fetchAll(db, sql: "SELECT finding_id FROM finding_acknowledgements")) }
    }

    static func alert(_ row: Row) -> Alert? {
        guard let channel = AlertPolicy.Channel(rawValue: row["channel"]),
            let status = Alert.Status(rawValue: row["status"])
        else { return nil }
        return Alert(
            id: row["id"], finding: row["finding_id"], level: row["level"], target: .init(channel, row["target"]),
            status: status, attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"],
            lastError: row["last_error"], createdAt: row["created_at"], sentAt: row["sent_at"])
    }
}
