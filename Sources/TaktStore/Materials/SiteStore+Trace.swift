import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// One lot as a trace sees it: the lot, its stock, where it came from, its shipments, and its edges in the
    /// direction traced (the lots it came from, or went into, with how much).
    public struct TraceEntry: Sendable {
        public var lot: Lot
        public var onHand: Double
        public var origin: LotOrigin?
        public var shipments: [StockMovement]
        public var edges: [(lot: String, quantity: Double)]
    }

    /// Every lot reachable from `root` through the lot graph, backwards (`back`: what went into it) or forwards,
    /// read in one transaction by indexed look-ups, so a trace costs what it reaches, not the site's history.
    public func traceGraph(from root: String, back: Bool) throws(StoreError) -> [String: TraceEntry] {
        try read { db in
            var entries: [String: TraceEntry] = [:]
            var frontier = [root]
            let edgesSQL =
                back
                ? "SELECT lot_id AS other, -quantity AS quantity FROM stock_movements WHERE into_lot = ? AND kind = 'consume' ORDER BY at, id"
                : "SELECT into_lot AS other, -quantity AS quantity FROM stock_movements WHERE lot_id = ? AND kind = 'consume' ORDER BY at, id"
            while let id = frontier.popLast() {
                guard entries[id] == nil, let lot = try LotRecord.fetchOne(db, key: id)?.lot else { continue }
                let moved = try Self.movedQuantity(of: id, db: db)
                let origin = try Row.fetchOne(db, sql: "SELECT * FROM lot_origins WHERE lot_id = ?", arguments: [id])
                    .map {
                        LotOrigin(
                            lot: id, supplier: $0["supplier"], supplierLot: $0["supplier_lot"],
                            receivedAt: $0["received_at"])
                    }
                let shipments = try Row.fetchAll(
                    db, sql: "SELECT * FROM stock_movements WHERE lot_id = ? AND kind = 'ship' ORDER BY at, id",
                    arguments: [id]
                ).map {
                    StockMovement(
                        id: $0["id"], lot: id, kind: .ship, quantity: $0["quantity"], customer: $0["customer"],
                        by: $0["recorded_by"], at: $0["at"])
                }
                let edges = try Row.fetchAll(db, sql: edgesSQL, arguments: [id]).map {
                    (lot: $0["other"] as String, quantity: $0["quantity"] as Double)
                }
                entries[id] = TraceEntry(
                    lot: lot, onHand: lot.quantity + moved, origin: origin, shipments: shipments, edges: edges)
                frontier += edges.map(\.lot).filter { entries[$0] == nil }
            }
            return entries
        }
    }
}
