import Foundation
import GRDB
import TaktCore

/// Non-conformance reports, kept whole as JSON with the columns lists filter on, and the lots each one holds.
extension SiteStore {
    static func registerNonConformanceMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v19-nonconformance") { db in
            try db.execute(
                sql: """
                    CREATE TABLE nonconformances (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
                        source TEXT NOT NULL CHECK (source IN ('finding', 'complaint', 'audit', 'incident')),
                        finding_id INTEGER REFERENCES findings(id),
                        status TEXT NOT NULL CHECK (status IN ('open', 'contained', 'closed')),
                        opened_at DATETIME NOT NULL,
                        payload TEXT NOT NULL CHECK (json_valid(payload)),
                        CHECK ((source = 'finding') = (finding_id IS NOT NULL))
                    );
                    CREATE UNIQUE INDEX nonconformances_by_finding ON nonconformances (finding_id);
                    CREATE TABLE nonconformance_lots (
                        ncr_id TEXT NOT NULL REFERENCES nonconformances(id),
                        lot_id TEXT NOT NULL REFERENCES lots(id),
                        PRIMARY KEY (ncr_id, lot_id)
                    );
                    CREATE INDEX nonconformance_lots_by_lot ON nonconformance_lots (lot_id);
                    """)
        }
    }

    /// Stores a new report (numbered the next `NCR-n` when its id is empty) or its new state, with its outbox row,
    /// in one transaction. A new report puts each released lot it names on hold. When the report's containment is
    /// newly recorded and it was opened from a finding that is still open, that finding is closed with the
    /// containment as its resolution. Returns the report as stored.
    @discardableResult
    public func save(_ report: NonConformance, isNew: Bool, at now: Date) throws(StoreError) -> NonConformance {
        let epoch = self.epoch
        return try write { db in
            var report = report
            if isNew, report.id.isEmpty { report.id = try Self.nextID("NCR-", in: "nonconformances", db: db) }
            let before = try String.fetchOne(
                db, sql: "SELECT payload FROM nonconformances WHERE id = ?", arguments: [report.id]
            ).flatMap(Self.nonConformance(json:))
            if isNew, before != nil { throw StoreError.rejected(reason: "report '\(report.id)' already exists") }
            if !isNew, before == nil { throw StoreError.notFound(kind: "non-conformance report", id: report.id) }
            let findingID = report.source == .finding ? report.reference.flatMap { Int64($0) } : nil
            if isNew, let findingID {
                guard try FindingRecord.fetchOne(db, key: findingID) != nil else {
                    throw StoreError.notFound(kind: "finding", id: String(findingID))
                }
                if let other = try String.fetchOne(
                    db, sql: "SELECT id FROM nonconformances WHERE finding_id = ?", arguments: [findingID])
                {
                    throw StoreError.rejected(reason: "finding #\(findingID) already has report \(other)")
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO nonconformances (id, source, finding_id, status, opened_at, payload)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, payload = excluded.payload
                    """,
                arguments: [
                    report.id, report.source.rawValue, findingID, report.status.rawValue, report.openedAt,
                    try Self.outboxJSON(report),
                ])
            if isNew {
                for lot in report.lots {
                    guard var record = try LotRecord.fetchOne(db, key: lot) else {
                        throw StoreError.notFound(kind: "lot", id: lot)
                    }
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO nonconformance_lots (ncr_id, lot_id) VALUES (?, ?)",
                        arguments: [report.id, lot])
                    if record.status == .released {
                        record.status = .onHold
                        try record.update(db)
                        try Self.enqueue(
                            db, epoch: epoch, kind: "lot", class: .state, key: lot, payload: record.lot, at: now)
                    }
                }
            }
            if before?.status == .open, report.status == .contained, let findingID,
                var finding = try FindingRecord.fetchOne(db, key: findingID), finding.status == .open
            {
                finding.status = .closed
                finding.closedBy = report.containedBy
                finding.closedAt = report.containedAt
                finding.resolution = "Contained under \(report.id): \(report.containment ?? "")"
                try finding.update(db)
                try Self.enqueue(
                    db, epoch: epoch, kind: "finding", class: .state, key: String(findingID), payload: finding.finding,
                    at: now)
            }
            try Self.enqueue(
                db, epoch: epoch, kind: "nonconformance", class: .state, key: report.id, payload: report, at: now)
            return report
        }
    }

    /// Reports, newest first; only those not closed with `openOnly`.
    public func nonConformances(openOnly: Bool = false) throws(StoreError) -> [NonConformance] {
        try read { db in
            try String.fetchAll(
                db,
                sql: "SELECT payload FROM nonconformances"
                    + (openOnly ? " WHERE status <> 'closed'" : "") + " ORDER BY opened_at DESC, id DESC"
            ).compactMap(Self.nonConformance(json:))
        }
    }

    public func nonConformance(_ id: String) throws(StoreError) -> NonConformance? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM nonconformances WHERE id = ?", arguments: [id])
                .flatMap(Self.nonConformance(json:))
        }
    }

    /// The report opened from finding `id`, if any.
    public func nonConformance(forFinding id: Int64) throws(StoreError) -> NonConformance? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM nonconformances WHERE finding_id = ?", arguments: [id])
                .flatMap(Self.nonConformance(json:))
        }
    }

    /// Reports not yet contained that hold `lot`, inside the caller's transaction.
    static func uncontainedReports(on lot: String, db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT n.id FROM nonconformance_lots l JOIN nonconformances n ON n.id = l.ncr_id
                WHERE l.lot_id = ? AND n.status = 'open' ORDER BY n.id
                """, arguments: [lot])
    }

    static func nonConformance(json: String) -> NonConformance? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(NonConformance.self, from: Data(json.utf8))
    }
}
