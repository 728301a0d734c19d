import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// Adds a newly produced lot.
    public func addLot(_ lot: Lot, at now: Date) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            guard try !LotRecord.exists(db, key: lot.id) else {
                throw StoreError.rejected(reason: "lot '\(lot.id)' already exists")
            }
            try LotRecord(lot).insert(db)
            try Self.enqueue(db, epoch: epoch, kind: "lot", class: .state, key: lot.id, payload: lot, at: now)
        }
    }

    /// The lot with `id`, or nil.
    public func lot(_ id: String) throws(StoreError) -> Lot? {
        try read { db in try LotRecord.fetchOne(db, key: id)?.lot }
    }

    /// All lots, newest first; only those with `status`, or of `product`, when given.
    public func lots(status: Lot.Status? = nil, product: String? = nil) throws(StoreError) -> [Lot] {
        try read { db in
            var request = LotRecord.order(Column("produced_at").desc, Column("id"))
            if let status { request = request.filter(Column("status") == status) }
            if let product { request = request.filter(Column("product") == product) }
            return try request.fetchAll(db).map(\.lot)
        }
    }

    /// The open findings that hold `lot`.
    public func openHolds(on lot: String) throws(StoreError) -> [Int64] {
        try read { db in try Self.openHolds(on: lot, db: db) }
    }

    /// The open findings that hold `lot`, inside the caller's transaction.
    static func openHolds(on lot: String, db: Database) throws -> [Int64] {
        try Int64.fetchAll(
            db,
            sql: """
                SELECT DISTINCT f.id FROM lot_holds h JOIN findings f ON f.id = h.finding_id
                WHERE h.lot_id = ? AND f.status = 'open' ORDER BY f.id
                """, arguments: [lot])
    }

    /// Releases or rejects a lot on hold. Releasing is refused while any finding that held the lot is open (close
    /// its corrective action first) or a non-conformance report naming it is not yet contained. Rejecting is
    /// always allowed.
    public func decide(lot id: String, status: Lot.Status, by person: String, at: Date) throws(StoreError) -> Lot {
        let epoch = self.epoch
        return try write { db in
            guard var record = try LotRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(kind: "lot", id: id)
            }
            if status == .released {
                let open = try Self.openHolds(on: id, db: db)
                guard open.isEmpty else {
                    let list = open.map { "#\($0)" }.joined(separator: ", ")
                    throw StoreError.rejected(
                        reason: "lot \(id) is held by open finding(s) \(list): close them (takt findings close) first")
                }
                let reports = try Self.uncontainedReports(on: id, db: db)
                guard reports.isEmpty else {
                    throw StoreError.rejected(
                        reason: "lot \(id) is held by non-conformance report(s) \(reports.joined(separator: ", ")) "
                            + "whose containment is not done: record it (takt ncr contain) first")
                }
            }
            guard record.status != .rejected, record.status != .issued else {
                throw StoreError.rejected(reason: "lot \(id) is \(record.status.rawValue); its status is final")
            }
            record.status = status
            try record.update(db)
            try db.execute(
                sql: "UPDATE lot_holds SET released_at = ?, released_by = ? WHERE lot_id = ? AND released_at IS NULL",
                arguments: [at, person, id])
            try Self.enqueue(db, epoch: epoch, kind: "lot", class: .state, key: id, payload: record.lot, at: at)
            return record.lot
        }
    }

    /// Records a lot leaving stock, with the findings rules raised (first-expiry-first-out, expired stock).
    public func record(_ issue: LotIssue, findings: [Finding]) throws(StoreError) -> [Finding] {
        let epoch = self.epoch
        return try write { db in
            try db.execute(
                sql: "INSERT INTO lot_issues (lot_id, by, at) VALUES (?, ?, ?)",
                arguments: [issue.lot, issue.by, issue.at])
            guard var lot = try LotRecord.fetchOne(db, key: issue.lot), lot.status == .released else {
                throw StoreError.rejected(reason: "lot \(issue.lot) is not released stock")
            }
            lot.status = .issued
            try lot.update(db)
            try Self.enqueue(db, epoch: epoch, kind: "lot", class: .state, key: lot.id, payload: lot.lot, at: issue.at)
            try Self.enqueue(
                db, epoch: epoch, kind: "lot_issue", class: .fact, key: String(db.lastInsertedRowID), payload: issue,
                at: issue.at)
            return try findings.compactMap { try Self.insert($0, readingID: nil, db: db, epoch: epoch) }
        }
    }

    /// Puts `lot` on hold for `findingID`, inside the caller's transaction.
    static func hold(lot id: String, findingID: Int64, at: Date, db: Database, epoch: String) throws {
        guard var lot = try LotRecord.fetchOne(db, key: id) else { throw StoreError.notFound(kind: "lot", id: id) }
        try db.execute(
            sql: "INSERT INTO lot_holds (lot_id, finding_id, held_at) VALUES (?, ?, ?)", arguments: [id, findingID, at])
        guard lot.status == .released else { return }
        lot.status = .onHold
        try lot.update(db)
        try enqueue(db, epoch: epoch, kind: "lot", class: .state, key: id, payload: lot.lot, at: at)
    }
}
