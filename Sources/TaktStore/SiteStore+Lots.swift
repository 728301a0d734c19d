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

    /// All lots, newest first; only those with `status` when given.
    public func lots(status: Lot.Status? = nil) throws(StoreError) -> [Lot] {
        try read { db in
            var request = LotRecord.order(Column("produced_at").desc, Column("id"))
            if let status { request = request.filter(Column("status") == status) }
            return try request.fetchAll(db).map(\.lot)
        }
    }

    /// Work centres blocked by an open finding, with the finding that blocked each.
    public func blockedWorkCentres() throws(StoreError) -> [String: Int64] {
        try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT work_centre, finding_id FROM work_centre_blocks WHERE released_at IS NULL")
            return Dictionary(
                rows.map { ($0["work_centre"], $0["finding_id"]) }, uniquingKeysWith: { first, _ in first })
        }
    }
}
