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
            ).map {
                CostEntry(
                    amount: $0["amount"], currency: $0["currency"], category: $0["category"], order: $0["order_id"],
                    note: $0["note"], at: $0["at"], regionAmount: $0["region_amount"],
                    regionCurrency: $0["region_currency"])
            }
        }
    }
}
