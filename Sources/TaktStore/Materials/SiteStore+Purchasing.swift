import Foundation
import GRDB
import TaktCore

/// Purchase orders, and how much has been received against each. A receipt against one updates it in the same
/// transaction as the new lot, so the two never disagree.
extension SiteStore {
    static func registerPurchasingMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14-purchasing") { db in
            try db.execute(
                sql: """
                    CREATE TABLE purchase_orders (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
                        supplier TEXT NOT NULL,
                        item TEXT NOT NULL,
                        quantity REAL NOT NULL CHECK (quantity > 0),
                        received REAL NOT NULL DEFAULT 0 CHECK (received >= 0),
                        due DATETIME NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('open', 'sent', 'closed', 'cancelled')),
                        created_at DATETIME NOT NULL,
                        created_by TEXT,
                        sent_at DATETIME
                    );
                    CREATE INDEX purchase_orders_by_item ON purchase_orders (item, status);
                    ALTER TABLE lot_origins ADD COLUMN purchase_order TEXT REFERENCES purchase_orders(id);
                    ALTER TABLE lot_origins ADD COLUMN certificate TEXT;
                    CREATE TABLE lot_transfers (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        lot_id TEXT NOT NULL REFERENCES lots(id),
                        from_location TEXT,
                        to_location TEXT NOT NULL CHECK (length(to_location) > 0),
                        recorded_by TEXT,
                        at DATETIME NOT NULL
                    );
                    CREATE INDEX lot_transfers_by_lot ON lot_transfers (lot_id, id);
                    """)
        }
    }

    /// Stores a new purchase order with its outbox row; refused when the id is taken. An empty id becomes the next
    /// `PO-n`. Returns the order as stored.
    @discardableResult
    public func addPurchaseOrder(_ order: PurchaseOrder) throws(StoreError) -> PurchaseOrder {
        let epoch = self.epoch
        return try write { db in
            var order = order
            if order.id.isEmpty { order.id = try Self.nextID("PO-", in: "purchase_orders", db: db) }
            guard try Self.purchaseOrder(order.id, db: db) == nil else {
                throw StoreError.rejected(reason: "purchase order '\(order.id)' already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO purchase_orders (id, supplier, item, quantity, received, due, status, created_at,
                        created_by, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    order.id, order.supplier, order.item, order.quantity, order.received, order.due,
                    order.status.rawValue, order.createdAt, order.createdBy, order.sentAt,
                ])
            try Self.enqueue(
                db, epoch: epoch, kind: "purchase_order", class: .state, key: order.id, payload: order,
                at: order.createdAt)
            return order
        }
    }

    /// Moves a purchase order to `status` (sent, closed, cancelled). Refused from closed or cancelled.
    @discardableResult
    public func setPurchaseOrder(_ id: String, status: PurchaseOrder.Status, at now: Date) throws(StoreError)
        -> PurchaseOrder
    {
        let epoch = self.epoch
        return try write { db in
            guard var order = try Self.purchaseOrder(id, db: db) else {
                throw StoreError.notFound(kind: "purchase order", id: id)
            }
            guard order.status == .open || order.status == .sent else {
                throw StoreError.rejected(reason: "purchase order \(id) is \(order.status.rawValue) already")
            }
            order.status = status
            if status == .sent { order.sentAt = now }
            try db.execute(
                sql: "UPDATE purchase_orders SET status = ?, sent_at = ? WHERE id = ?",
                arguments: [status.rawValue, order.sentAt, id])
            try Self.enqueue(
                db, epoch: epoch, kind: "purchase_order", class: .state, key: id, payload: order, at: now)
            return order
        }
    }

    /// Purchase orders, by due date; only those still to come (open or sent) with `outstandingOnly`.
    public func purchaseOrders(outstandingOnly: Bool = false) throws(StoreError) -> [PurchaseOrder] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM purchase_orders"
                    + (outstandingOnly ? " WHERE status IN ('open', 'sent')" : "") + " ORDER BY due, id"
            ).map(Self.purchaseOrder(row:))
        }
    }

    public func purchaseOrder(_ id: String) throws(StoreError) -> PurchaseOrder? {
        try read { db in try Self.purchaseOrder(id, db: db) }
    }

    static func purchaseOrder(_ id: String, db: Database) throws -> PurchaseOrder? {
        try Row.fetchOne(db, sql: "SELECT * FROM purchase_orders WHERE id = ?", arguments: [id])
            .map(purchaseOrder(row:))
    }

    static func purchaseOrder(row: Row) -> PurchaseOrder {
        PurchaseOrder(
            id: row["id"], supplier: row["supplier"], item: row["item"], quantity: row["quantity"],
            received: row["received"], due: row["due"],
            status: PurchaseOrder.Status(rawValue: row["status"]) ?? .open, createdAt: row["created_at"],
            createdBy: row["created_by"], sentAt: row["sent_at"])
    }

    /// Counts a receipt against its purchase order: closed once all of it has come.
    static func receive(_ quantity: Double, against id: String, at now: Date, epoch: String, db: Database) throws {
        guard var order = try purchaseOrder(id, db: db) else {
            throw StoreError.notFound(kind: "purchase order", id: id)
        }
        guard order.status == .open || order.status == .sent else {
            throw StoreError.rejected(
                reason: "purchase order \(id) is \(order.status.rawValue): nothing more comes on it")
        }
        order.received += quantity
        if order.received >= order.quantity - 1e-9 { order.status = .closed }
        try db.execute(
            sql: "UPDATE purchase_orders SET received = ?, status = ? WHERE id = ?",
            arguments: [order.received, order.status.rawValue, id])
        try enqueue(db, epoch: epoch, kind: "purchase_order", class: .state, key: id, payload: order, at: now)
    }
}
