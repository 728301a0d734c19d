import Foundation
import GRDB
import TaktCore
import TaktStore

/// Each site's lot graph as central keeps it: a node per lot (its item, quantity, status and, when received, its
/// supplier's lot) and the lot's stock movements (what it went into, whom it was shipped to). Ingest projects
/// the `lot`, `lot_origin` and `stock_movement` records into it in the same transaction that stores them.
public enum LotGraph {
    /// What one record changes in the graph; nil for records of other kinds or that do not decode.
    enum Change: Sendable {
        case lot(Lot)
        case origin(LotOrigin)
        case movement(id: String, StockMovement)
    }

    static func change(kind: String, key: String, payload: String) -> Change? {
        switch kind {
        case "lot": return Rollup.decode(Lot.self, payload).map(Change.lot)
        case "lot_origin": return Rollup.decode(LotOrigin.self, payload).map(Change.origin)
        case "stock_movement": return Rollup.decode(StockMovement.self, payload).map { .movement(id: key, $0) }
        default: return nil
        }
    }

    /// A lot as the graph knows it. Fields are nil when the record that brings them has not arrived yet.
    public struct Node: Hashable, Sendable, Codable {
        public var site: String
        public var lot: String
        public var item: String?
        public var quantity: Double?
        public var status: String?
        public var expiresAt: Date?
        public var supplier: String?
        public var supplierLot: String?
        public var receivedAt: Date?

        public init(
            site: String, lot: String, item: String? = nil, quantity: Double? = nil, status: String? = nil,
            expiresAt: Date? = nil, supplier: String? = nil, supplierLot: String? = nil, receivedAt: Date? = nil
        ) {
            self.site = site
            self.lot = lot
            self.item = item
            self.quantity = quantity
            self.status = status
            self.expiresAt = expiresAt
            self.supplier = supplier
            self.supplierLot = supplierLot
            self.receivedAt = receivedAt
        }
    }

    /// One step of a walk forward through a site's graph: the lots asked for and all their movements.
    public struct Step: Sendable {
        public var nodes: [Node]
        public var movements: [String: [StockMovement]]

        public init(nodes: [Node], movements: [String: [StockMovement]]) {
            self.nodes = nodes
            self.movements = movements
        }
    }
}

extension CentralStore {
    /// Applies a batch's graph changes inside ingest's transaction.
    static func project(_ changes: [LotGraph.Change], site: String, db: Database) throws {
        guard !changes.isEmpty else { return }
        let lot = try db.cachedStatement(
            sql: """
                INSERT INTO lot_nodes (site, lot, item, quantity, status, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (site, lot) DO UPDATE SET item = excluded.item, quantity = excluded.quantity,
                    status = excluded.status, expires_at = excluded.expires_at
                """)
        let origin = try db.cachedStatement(
            sql: """
                INSERT INTO lot_nodes (site, lot, supplier, supplier_lot, received_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (site, lot) DO UPDATE SET supplier = excluded.supplier,
                    supplier_lot = excluded.supplier_lot, received_at = excluded.received_at
                """)
        let movement = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO lot_movements (site, id, lot, kind, quantity, into_lot, customer, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for change in changes {
            switch change {
            case .lot(let value):
                try lot.execute(arguments: [
                    site, value.id, value.product, value.quantity, value.status.rawValue, value.expiresAt,
                ])
            case .origin(let value):
                try origin.execute(arguments: [site, value.lot, value.supplier, value.supplierLot, value.receivedAt])
            case .movement(let id, let value):
                try movement.execute(arguments: [
                    site, id, value.lot, value.kind.rawValue, value.quantity, value.into, value.customer, value.at,
                ])
            }
        }
    }

    /// The lots received with a supplier's lot, at the sites given.
    public func lotSources(supplierLot: String, sites: [String]) async throws(StoreError) -> [LotGraph.Node] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM lot_nodes WHERE supplier_lot = ? ORDER BY site, lot", arguments: [supplierLot]
            ).map(Self.node(row:)).filter { sites.contains($0.site) }
        }
    }

    /// The nodes of `lots` at `site` and every movement of each.
    public func lotStep(site: String, lots: [String]) async throws(StoreError) -> LotGraph.Step {
        try await read { db in
            var nodes: [LotGraph.Node] = []
            var movements: [String: [StockMovement]] = [:]
            // SQLite binds at most 32,766 values per statement: a wide step goes in slices.
            for start in stride(from: 0, to: lots.count, by: 500) {
                let slice = Array(lots[start..<min(start + 500, lots.count)])
                let marks = databaseQuestionMarks(count: slice.count)
                nodes += try Row.fetchAll(
                    db, sql: "SELECT * FROM lot_nodes WHERE site = ? AND lot IN (\(marks))",
                    arguments: StatementArguments([site] + slice)
                ).map(Self.node(row:))
                for row in try Row.fetchAll(
                    db, sql: "SELECT * FROM lot_movements WHERE site = ? AND lot IN (\(marks)) ORDER BY at, id",
                    arguments: StatementArguments([site] + slice))
                {
                    let movement = StockMovement(
                        id: Int64(row["id"] as String), lot: row["lot"],
                        kind: StockMovement.Kind(rawValue: row["kind"]) ?? .adjust, quantity: row["quantity"],
                        into: row["into_lot"], customer: row["customer"], at: row["at"])
                    movements[movement.lot, default: []].append(movement)
                }
            }
            return LotGraph.Step(nodes: nodes, movements: movements)
        }
    }

    static func node(row: Row) -> LotGraph.Node {
        LotGraph.Node(
            site: row["site"], lot: row["lot"], item: row["item"], quantity: row["quantity"], status: row["status"],
            expiresAt: row["expires_at"], supplier: row["supplier"], supplierLot: row["supplier_lot"],
            receivedAt: row["received_at"])
    }
}
