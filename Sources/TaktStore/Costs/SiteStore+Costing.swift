import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// Costing: which lot each production report made (so an order's materials can be found), what a received
    /// lot cost, and the budgets per month and category.
    static func registerCostingMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v26-costing") { db in
            try db.execute(
                sql: """
                    ALTER TABLE production_reports ADD COLUMN output_lot TEXT;
                    CREATE INDEX production_reports_by_order ON production_reports (order_id);
                    ALTER TABLE lot_origins ADD COLUMN unit_price REAL CHECK (unit_price IS NULL OR unit_price >= 0);
                    CREATE TABLE budgets (
                        month TEXT NOT NULL CHECK (length(month) = 7),
                        category TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 40),
                        amount REAL NOT NULL CHECK (amount >= 0),
                        currency TEXT NOT NULL CHECK (length(currency) = 3),
                        set_by TEXT,
                        set_at DATETIME NOT NULL,
                        PRIMARY KEY (month, category)
                    );
                    """)
        }
    }

    /// Sets (or replaces) one month's budget for one category, with its outbox row, in one transaction.
    public func setBudget(_ line: BudgetLine) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO budgets (month, category, amount, currency, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (month, category) DO UPDATE SET amount = excluded.amount,
                        currency = excluded.currency, set_by = excluded.set_by, set_at = excluded.set_at
                    """,
                arguments: [line.month.description, line.category, line.amount, line.currency, line.setBy, line.setAt])
            try Self.enqueue(
                db, epoch: epoch, kind: "budget", class: .state, key: "\(line.month)/\(line.category)", payload: line,
                at: line.setAt)
        }
    }

    /// The budget lines of `month`, by category.
    public func budgets(of month: CostMonth) throws(StoreError) -> [BudgetLine] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM budgets WHERE month = ? ORDER BY category", arguments: [month.description]
            ).map {
                BudgetLine(
                    month: month, category: $0["category"], amount: $0["amount"], currency: $0["currency"],
                    setBy: $0["set_by"], setAt: $0["set_at"])
            }
        }
    }

    /// Everything an order's actual cost rests on: its production reports, what was consumed into the lots they
    /// made (each with its item and its lot's price, when the receipt gave one) and costs recorded against it.
    public func costInputs(ofOrder order: String) throws(StoreError) -> (
        reports: [ProductionReport], consumed: [OrderCost.Consumed], recorded: [CostEntry]
    ) {
        try read { db in
            let reports = try Row.fetchAll(
                db, sql: "SELECT * FROM production_reports WHERE order_id = ? ORDER BY to_at, id", arguments: [order]
            ).map(Self.productionReport)
            let consumed = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.product AS component, -m.quantity AS quantity, o.unit_price AS price
                    FROM stock_movements m JOIN lots l ON l.id = m.lot_id
                    LEFT JOIN lot_origins o ON o.lot_id = m.lot_id
                    WHERE m.kind = 'consume' AND m.into_lot IN (
                        SELECT output_lot FROM production_reports WHERE order_id = ? AND output_lot IS NOT NULL)
                    ORDER BY m.id
                    """, arguments: [order]
            ).map { OrderCost.Consumed(component: $0["component"], quantity: $0["quantity"], unitPrice: $0["price"]) }
            let recorded = try Row.fetchAll(
                db, sql: "SELECT * FROM costs WHERE order_id = ? ORDER BY at, id", arguments: [order]
            ).map(Self.costEntry)
            return (reports, consumed, recorded)
        }
    }

    /// The orders with production reported in `window` (by the report's end), each with its product.
    public func ordersProduced(in window: DateInterval) throws(StoreError) -> [(order: String, product: String)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT order_id, MIN(product) AS product FROM production_reports
                    WHERE order_id IS NOT NULL AND to_at > ? AND to_at <= ? GROUP BY order_id ORDER BY order_id
                    """, arguments: [window.start, window.end]
            ).map { ($0["order_id"], $0["product"]) }
        }
    }

    /// The order with `id`, open or not.
    public func order(_ id: String) throws(StoreError) -> Order? {
        try read { db in try OrderRecord.fetchOne(db, key: id)?.order }
    }

    /// Material consumed into any lot in `window`, each with its item and its lot's price when known.
    public func consumption(in window: DateInterval) throws(StoreError) -> [OrderCost.Consumed] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.product AS component, -m.quantity AS quantity, o.unit_price AS price
                    FROM stock_movements m JOIN lots l ON l.id = m.lot_id
                    LEFT JOIN lot_origins o ON o.lot_id = m.lot_id
                    WHERE m.kind = 'consume' AND m.at >= ? AND m.at < ? ORDER BY m.id
                    """, arguments: [window.start, window.end]
            ).map { OrderCost.Consumed(component: $0["component"], quantity: $0["quantity"], unitPrice: $0["price"]) }
        }
    }

    /// A value kept in the site's `meta` table (`nil` when unset).
    public func meta(_ key: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    /// Sets a value in the site's `meta` table.
    public func setMeta(_ key: String, _ value: String) throws(StoreError) {
        try write { db in try Self.setMeta(db, key, value) }
    }
}
