import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// What an import did.
    public struct ImportSummary: Hashable, Sendable, Codable {
        public var added: Int
        public var updated: Int
        /// What the reader noticed and did not refuse: columns ignored, the encoding or separator it used.
        public var notes: [String] = []
    }

    /// Stores `orders` in one transaction: a new id is added, a known id replaced with the new values (it keeps
    /// its status: importing the same list again does not reopen what was finished). Either all are stored or, on
    /// any error, none.
    @discardableResult
    public func importOrders(_ orders: [Order], at now: Date) throws(StoreError) -> ImportSummary {
        let epoch = self.epoch
        return try write { db in
            var summary = ImportSummary(added: 0, updated: 0)
            for order in orders {
                let stored = try OrderRecord.fetchOne(db, key: order.id)
                try OrderRecord(order, status: stored?.status ?? "open", completedAt: stored?.completedAt).save(db)
                if stored != nil { summary.updated += 1 } else { summary.added += 1 }
                try Self.enqueue(db, epoch: epoch, kind: "order", class: .state, key: order.id, payload: order, at: now)
            }
            return summary
        }
    }

    /// Open orders, by due date.
    public func openOrders() throws(StoreError) -> [Order] {
        try read { db in
            try OrderRecord.filter(Column("status") == "open").order(Column("due_at"), Column("id")).fetchAll(db)
                .map(\.order)
        }
    }

    /// Every order due in `interval`, after its start up to and including its end (`DayAdherence.window`): open,
    /// done or cancelled, with when it was finished; what schedule adherence judges.
    public func orderOutcomes(dueIn interval: DateInterval) throws(StoreError) -> [DayAdherence.Outcome] {
        try read { db in
            try OrderRecord.filter(Column("due_at") > interval.start && Column("due_at") <= interval.end)
                .order(Column("due_at"), Column("id")).fetchAll(db)
                .map {
                    DayAdherence.Outcome(
                        order: $0.id, due: $0.dueAt, completedAt: $0.completedAt, cancelled: $0.status == "cancelled")
                }
        }
    }
}

extension SiteStore {
    /// Marks an open order done (production reported it complete); it leaves planning.
    @discardableResult
    public func completeOrder(_ id: String, at now: Date) throws(StoreError) -> Order {
        try amendOrderStatus(id, status: "done", at: now)
    }

    func amendOrderStatus(_ id: String, status: String, at now: Date) throws(StoreError) -> Order {
        let epoch = self.epoch
        return try write { db in
            guard var record = try OrderRecord.fetchOne(db, key: id), record.status == "open" else {
                throw StoreError.notFound(kind: "open order", id: id)
            }
            record.status = status
            if status == "done" { record.completedAt = now }
            try record.update(db)
            try Self.enqueue(
                db, epoch: epoch, kind: "order_status", class: .state, key: id,
                payload: ["order": id, "status": status], at: now)
            return record.order
        }
    }
}
