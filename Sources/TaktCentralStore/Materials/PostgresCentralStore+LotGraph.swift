import Foundation
import Logging
import PostgresNIO
import TaktCore
import TaktStore

extension PostgresCentralStore {
    /// `CentralStore.project` on PostgreSQL: one statement per kind of change for the whole batch. A lot changed
    /// twice in a batch keeps its last state (one statement may not update a row twice).
    static func project(_ changes: [LotGraph.Change], site: String, connection: PostgresConnection, logger: Logger)
        async throws
    {
        var lots: [String: Lot] = [:]
        var origins: [String: LotOrigin] = [:]
        var movements: [(id: String, movement: StockMovement)] = []
        for change in changes {
            switch change {
            case .lot(let lot): lots[lot.id] = lot
            case .origin(let origin): origins[origin.lot] = origin
            case .movement(let id, let movement): movements.append((id, movement))
            }
        }
        if !lots.isEmpty {
            let values = Array(lots.values)
            try await connection.query(
                """
                INSERT INTO lot_nodes (site, lot, item, quantity, status, expires_at)
                SELECT \(site), l.lot, l.item, l.quantity, l.status, to_timestamp(NULLIF(l.expires, 'NaN'))
                FROM unnest(\(values.map(\.id))::text[], \(values.map(\.product))::text[],
                    \(values.map(\.quantity))::double precision[], \(values.map(\.status.rawValue))::text[],
                    \(values.map { $0.expiresAt?.timeIntervalSince1970 ?? .nan })::double precision[])
                    AS l(lot, item, quantity, status, expires)
                ON CONFLICT (site, lot) DO UPDATE SET item = EXCLUDED.item, quantity = EXCLUDED.quantity,
                    status = EXCLUDED.status, expires_at = EXCLUDED.expires_at
                """, logger: logger)
        }
        if !origins.isEmpty {
            let values = Array(origins.values)
            try await connection.query(
                """
                INSERT INTO lot_nodes (site, lot, supplier, supplier_lot, received_at)
                SELECT \(site), o.lot, o.supplier, o.supplier_lot, o.received_at
                FROM unnest(\(values.map(\.lot))::text[], \(values.map(\.supplier))::text[],
                    \(values.map(\.supplierLot))::text[], \(values.map(\.receivedAt))::timestamptz[])
                    AS o(lot, supplier, supplier_lot, received_at)
                ON CONFLICT (site, lot) DO UPDATE SET supplier = EXCLUDED.supplier,
                    supplier_lot = EXCLUDED.supplier_lot, received_at = EXCLUDED.received_at
                """, logger: logger)
        }
        if !movements.isEmpty {
            try await connection.query(
                """
                INSERT INTO lot_movements (site, id, lot, kind, quantity, into_lot, customer, at)
                SELECT \(site), m.id, m.lot, m.kind, m.quantity, NULLIF(m.into_lot, ''), NULLIF(m.customer, ''), m.at
                FROM unnest(\(movements.map(\.id))::text[], \(movements.map(\.movement.lot))::text[],
                    \(movements.map(\.movement.kind.rawValue))::text[],
                    \(movements.map(\.movement.quantity))::double precision[],
                    \(movements.map { $0.movement.into ?? "" })::text[],
                    \(movements.map { $0.movement.customer ?? "" })::text[],
                    \(movements.map(\.movement.at))::timestamptz[])
                    AS m(id, lot, kind, quantity, into_lot, customer, at)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    public func lotSources(supplierLot: String, sites: [String]) async throws -> [LotGraph.Node] {
        try await nodes(
            """
            SELECT site, lot, item, quantity, status, expires_at, supplier, supplier_lot, received_at FROM lot_nodes
            WHERE supplier_lot = \(supplierLot) AND site = ANY(\(sites)::text[]) ORDER BY site, lot
            """)
    }

    public func lotStep(site: String, lots: [String]) async throws -> LotGraph.Step {
        let nodes = try await nodes(
            """
            SELECT site, lot, item, quantity, status, expires_at, supplier, supplier_lot, received_at FROM lot_nodes
            WHERE site = \(site) AND lot = ANY(\(lots)::text[])
            """)
        var movements: [String: [StockMovement]] = [:]
        let rows = try await client.query(
            """
            SELECT id, lot, kind, quantity, into_lot, customer, at FROM lot_movements
            WHERE site = \(site) AND lot = ANY(\(lots)::text[]) ORDER BY at, id
            """, logger: logger)
        for try await (id, lot, kind, quantity, into, customer, at) in rows.decode(
            (String, String, String, Double, String?, String?, Date).self)
        {
            movements[lot, default: []].append(
                StockMovement(
                    id: Int64(id), lot: lot, kind: StockMovement.Kind(rawValue: kind) ?? .adjust, quantity: quantity,
                    into: into, customer: customer, at: at))
        }
        return LotGraph.Step(nodes: nodes, movements: movements)
    }

    private func nodes(_ query: PostgresQuery) async throws -> [LotGraph.Node] {
        var result: [LotGraph.Node] = []
        for try await (site, lot, item, quantity, status, expires, supplier, supplierLot, received)
            in try await client
            .query(query, logger: logger).decode(
                (String, String, String?, Double?, String?, Date?, String?, String?, Date?).self)
        {
            result.append(
                LotGraph.Node(
                    site: site, lot: lot, item: item, quantity: quantity, status: status, expiresAt: expires,
                    supplier: supplier, supplierLot: supplierLot, receivedAt: received))
        }
        return result
    }
}
