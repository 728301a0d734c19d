import Foundation
import GRDB
import TaktCore

/// Materials: where received lots came from, and the stock ledger whose `consume` entries are the lot graph.
/// A lot's stock is its quantity when received or produced plus its movements; nothing edits history.
extension SiteStore {
    static func registerMaterialsMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13-materials") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lot_origins (
                        lot_id TEXT PRIMARY KEY NOT NULL REFERENCES lots(id),
                        supplier TEXT NOT NULL CHECK (length(supplier) > 0),
                        supplier_lot TEXT NOT NULL CHECK (length(supplier_lot) > 0),
                        received_at DATETIME NOT NULL
                    );
                    CREATE INDEX lot_origins_by_supplier_lot ON lot_origins (supplier_lot);
                    CREATE TABLE stock_movements (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        lot_id TEXT NOT NULL REFERENCES lots(id),
                        kind TEXT NOT NULL CHECK (kind IN ('consume', 'ship', 'adjust', 'scrap')),
                        quantity REAL NOT NULL CHECK (quantity <> 0),
                        into_lot TEXT REFERENCES lots(id),
                        customer TEXT,
                        reason TEXT,
                        recorded_by TEXT,
                        at DATETIME NOT NULL,
                        CHECK ((kind = 'consume') = (into_lot IS NOT NULL)),
                        CHECK ((kind = 'ship') = (customer IS NOT NULL))
                    );
                    CREATE INDEX stock_movements_by_lot ON stock_movements (lot_id);
                    CREATE INDEX stock_movements_into ON stock_movements (into_lot) WHERE into_lot IS NOT NULL;
                    """)
        }
    }

    /// Stores a received lot with its origin, in one transaction with their outbox rows; a receipt against a
    /// purchase order counts against it in the same transaction.
    public func receive(_ lot: Lot, origin: LotOrigin, location: String? = nil, at now: Date) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            guard try !LotRecord.exists(db, key: lot.id) else {
                throw StoreError.rejected(reason: "lot '\(lot.id)' already exists")
            }
            try LotRecord(lot).insert(db)
            try db.execute(
                sql: """
                    INSERT INTO lot_origins (lot_id, supplier, supplier_lot, received_at, purchase_order, certificate,
                        unit_price)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    origin.lot, origin.supplier, origin.supplierLot, origin.receivedAt, origin.purchaseOrder,
                    origin.certificate, origin.unitPrice,
                ])
            if let location {
                _ = try Self.transfer(
                    LotTransfer(lot: lot.id, from: nil, to: location, by: nil, at: origin.receivedAt), epoch: epoch,
                    db: db)
            }
            if let order = origin.purchaseOrder {
                try Self.receive(lot.quantity, against: order, at: now, epoch: epoch, db: db)
            }
            try Self.enqueue(db, epoch: epoch, kind: "lot", class: .state, key: lot.id, payload: lot, at: now)
            try Self.enqueue(
                db, epoch: epoch, kind: "lot_origin", class: .fact, key: lot.id, payload: origin, at: origin.receivedAt)
        }
    }

    /// Adds a movement to the ledger. Refused, with nothing written, when the lot (or the lot it goes into) does
    /// not exist, when it would take more than the lot holds, or when it takes from a lot that is not released.
    @discardableResult
    public func move(_ movement: StockMovement) throws(StoreError) -> StockMovement {
        let epoch = self.epoch
        return try write { db in try Self.move(movement, epoch: epoch, db: db) }
    }

    /// `move` inside a transaction the caller holds, so a production report and what it used are one write.
    static func move(_ movement: StockMovement, epoch: String, db: Database) throws -> StockMovement {
        guard let lot = try LotRecord.fetchOne(db, key: movement.lot)?.lot else {
            throw StoreError.notFound(kind: "lot", id: movement.lot)
        }
        if let into = movement.into, try !LotRecord.exists(db, key: into) {
            throw StoreError.notFound(kind: "lot", id: into)
        }
        let onHand = lot.quantity + (try Self.movedQuantity(of: lot.id, db: db))
        if movement.quantity < 0 {
            // Using or shipping needs a released lot; a count or scrap of a held or rejected lot is how it is dealt with.
            guard lot.status == .released || movement.kind == .adjust || movement.kind == .scrap else {
                throw StoreError.rejected(
                    reason: "lot \(lot.id) is \(lot.status.rawValue): nothing may be taken from it")
            }
            guard -movement.quantity <= onHand + 1e-9 else {
                throw StoreError.rejected(
                    reason: "lot \(lot.id) holds \(CriticalLimits.format(onHand)); "
                        + "\(CriticalLimits.format(-movement.quantity)) cannot be taken from it")
            }
        }
        return try insert(movement, epoch: epoch, db: db)
    }

    /// Writes a ledger entry and its outbox row, unjudged: callers check stock and status first.
    static func insert(_ movement: StockMovement, epoch: String, db: Database) throws -> StockMovement {
        try db.cachedStatement(
            sql: """
                INSERT INTO stock_movements (lot_id, kind, quantity, into_lot, customer, reason, recorded_by, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            movement.lot, movement.kind.rawValue, movement.quantity, movement.into, movement.customer,
            movement.reason, movement.by, movement.at,
        ])
        var stored = movement
        stored.id = db.lastInsertedRowID
        try enqueue(
            db, epoch: epoch, kind: "stock_movement", class: .fact, key: String(db.lastInsertedRowID),
            payload: stored, at: movement.at)
        return stored
    }

    /// A cycle count: the variance between what was counted and the book stock, recorded as an adjustment in
    /// the same transaction that reads the book, so nothing moving at the same time is lost. Returns the book
    /// stock and the adjustment (nil when the count agrees).
    public func count(lot id: String, counted: Double, by person: String?, at: Date) throws(StoreError)
        -> (book: Double, adjustment: StockMovement?)
    {
        let epoch = self.epoch
        return try write { db in
            guard let lot = try LotRecord.fetchOne(db, key: id)?.lot else {
                throw StoreError.notFound(kind: "lot", id: id)
            }
            let book = lot.quantity + (try Self.movedQuantity(of: id, db: db))
            let variance = counted - book
            guard abs(variance) > 1e-9 else { return (book, nil) }
            let adjustment = try Self.move(
                StockMovement(
                    lot: id, kind: .adjust, quantity: variance,
                    reason:
                        "cycle count: counted \(CriticalLimits.format(counted)), book \(CriticalLimits.format(book))",
                    by: person, at: at), epoch: epoch, db: db)
            return (book, adjustment)
        }
    }

    static func movedQuantity(of lot: String, db: Database) throws -> Double {
        try Double.fetchOne(
            db, sql: "SELECT COALESCE(SUM(quantity), 0) FROM stock_movements WHERE lot_id = ?", arguments: [lot])
            ?? 0
    }

    /// Each lot's stock on hand: its quantity plus its movements.
    public func onHand(_ lots: [String]? = nil) throws(StoreError) -> [String: Double] {
        try read { db in
            var result: [String: Double] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.quantity + COALESCE((SELECT SUM(m.quantity) FROM stock_movements m
                        WHERE m.lot_id = l.id), 0) AS on_hand FROM lots l
                    """)
            {
                let id: String = row["id"]
                if let lots, !lots.contains(id) { continue }
                result[id] = row["on_hand"]
            }
            return result
        }
    }

    /// The origin of received lots, by lot.
    public func origins(supplierLot: String? = nil) throws(StoreError) -> [String: LotOrigin] {
        try read { db in
            let rows =
                try supplierLot.map {
                    try Row.fetchAll(db, sql: "SELECT * FROM lot_origins WHERE supplier_lot = ?", arguments: [$0])
                } ?? Row.fetchAll(db, sql: "SELECT * FROM lot_origins")
            return Dictionary(
                rows.map {
                    (
                        $0["lot_id"] as String,
                        LotOrigin(
                            lot: $0["lot_id"], supplier: $0["supplier"], supplierLot: $0["supplier_lot"],
                            receivedAt: $0["received_at"], purchaseOrder: $0["purchase_order"],
                            certificate: $0["certificate"], unitPrice: $0["unit_price"])
                    )
                }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// The ledger: the movements of `lot`, or those that went into it (`into`), oldest first.
    public func movements(of lot: String? = nil, into: String? = nil) throws(StoreError) -> [StockMovement] {
        try read { db in
            var sql = "SELECT * FROM stock_movements WHERE 1 = 1"
            var arguments: StatementArguments = []
            if let lot {
                sql += " AND lot_id = ?"
                arguments += [lot]
            }
            if let into {
                sql += " AND into_lot = ?"
                arguments += [into]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY at, id", arguments: arguments).map { row in
                StockMovement(
                    id: row["id"], lot: row["lot_id"],
                    kind: StockMovement.Kind(rawValue: row["kind"]) ?? .adjust, quantity: row["quantity"],
                    into: row["into_lot"], customer: row["customer"], reason: row["reason"], by: row["recorded_by"],
                    at: row["at"])
            }
        }
    }
}

extension SiteStore {
    /// Loads history from another system (or a benchmark) in one transaction: lots, where received ones came
    /// from, and their movements, each with its outbox row. The schema's constraints still hold (every movement's
    /// lot exists, a consume names the lot it went into); stock is not re-judged movement by movement.
    public func importHistory(lots: [Lot], origins: [LotOrigin], movements: [StockMovement]) throws(StoreError) {
        let epoch = self.epoch
        try write { db in
            for lot in lots {
                try LotRecord(lot).insert(db)
                try Self.enqueue(
                    db, epoch: epoch, kind: "lot", class: .state, key: lot.id, payload: lot, at: lot.producedAt)
            }
            let origin = try db.makeStatement(
                sql: "INSERT INTO lot_origins (lot_id, supplier, supplier_lot, received_at) VALUES (?, ?, ?, ?)")
            for entry in origins {
                try origin.execute(arguments: [entry.lot, entry.supplier, entry.supplierLot, entry.receivedAt])
                try Self.enqueue(
                    db, epoch: epoch, kind: "lot_origin", class: .fact, key: entry.lot, payload: entry,
                    at: entry.receivedAt)
            }
            for movement in movements { _ = try Self.insert(movement, epoch: epoch, db: db) }
        }
    }
}

extension SiteStore {
    /// Moves a whole lot to `to`, recording where it was; refused for a lot that does not exist or is already there.
    @discardableResult
    public func transfer(lot id: String, to location: String, by person: String?, at: Date) throws(StoreError)
        -> LotTransfer
    {
        let epoch = self.epoch
        return try write { db in
            guard try LotRecord.exists(db, key: id) else { throw StoreError.notFound(kind: "lot", id: id) }
            let here = try Self.location(of: id, db: db)
            guard here != location else {
                throw StoreError.rejected(reason: "lot \(id) is in \(location) already")
            }
            return try Self.transfer(
                LotTransfer(lot: id, from: here, to: location, by: person, at: at), epoch: epoch, db: db)
        }
    }

    static func transfer(_ transfer: LotTransfer, epoch: String, db: Database) throws -> LotTransfer {
        try db.execute(
            sql:
                "INSERT INTO lot_transfers (lot_id, from_location, to_location, recorded_by, at) VALUES (?, ?, ?, ?, ?)",
            arguments: [transfer.lot, transfer.from, transfer.to, transfer.by, transfer.at])
        var stored = transfer
        stored.id = db.lastInsertedRowID
        try enqueue(
            db, epoch: epoch, kind: "lot_transfer", class: .fact, key: String(db.lastInsertedRowID), payload: stored,
            at: transfer.at)
        return stored
    }

    static func location(of lot: String, db: Database) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT to_location FROM lot_transfers WHERE lot_id = ? ORDER BY id DESC LIMIT 1", arguments: [lot]
        )
    }

    /// Where each lot is (its last transfer), for lots that have been placed.
    public func locations() throws(StoreError) -> [String: String] {
        try read { db in
            Dictionary(
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT t.lot_id, t.to_location FROM lot_transfers t
                        WHERE t.id = (SELECT MAX(id) FROM lot_transfers WHERE lot_id = t.lot_id)
                        """
                ).map { ($0["lot_id"] as String, $0["to_location"] as String) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
