import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// Records a cost, with its outbox row, in one transaction.
    public func recordCost(_ entry: CostEntry) throws(StoreError) -> Int64 {
        let epoch = self.epoch
        return try write { db in
            try db.execute(
                sql: """
                    INSERT INTO costs (amount, currency, category, order_id, note, at, region_amount, region_currency)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.amount, entry.currency, entry.category, entry.order, entry.note, entry.at, entry.regionAmount,
                    entry.regionCurrency,
                ])
            let id = db.lastInsertedRowID
            try Self.enqueue(
                db, epoch: epoch, kind: "cost", class: .fact, key: String(id), payload: entry, at: entry.at)
            return id
        }
    }

    /// Costs recorded in `window`, oldest first.
    public func costs(in window: DateInterval) throws(StoreError) -> [CostEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM costs WHERE at >= ? AND at < ? ORDER BY at, id",
                arguments: [window.start, window.end]
            ).map(Self.costEntry)
        }
    }

    static func costEntry(_ row: Row) -> CostEntry {
        CostEntry(
            amount: row["amount"], currency: row["currency"], category: row["category"], order: row["order_id"],
            note: row["note"], at: row["at"], regionAmount: row["region_amount"], regionCurrency: row["region_currency"]
        )
    }
}
