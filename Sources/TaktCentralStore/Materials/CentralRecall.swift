import Foundation
import TaktCore

/// A recall of a supplier's lot across sites: at each site that received it, every lot made from it (through
/// intermediates), the stock of each still there, and every shipment to a customer.
public struct CentralRecall: Hashable, Sendable, Codable {
    public struct SiteRecall: Hashable, Sendable, Codable {
        public var site: String
        public var recall: Recall
    }

    public var supplierLot: String
    public var sites: [SiteRecall]

    /// Affected lots over all sites.
    public var lots: Int { sites.map { Set($0.recall.trees.flatMap(\.lots).map(\.lot)).count }.reduce(0, +) }
    public var shipments: Int { sites.map(\.recall.shipments.count).reduce(0, +) }
}

extension CentralStorage {
    /// Walks each site's lot graph forward from the lots received with `supplierLot`, one query per level of
    /// intermediates. A lot reached twice (a dough in two loaves' doughs) is shown in full where first met.
    public func recall(supplierLot: String, sites: [String]) async throws -> CentralRecall {
        let sources = Dictionary(grouping: try await lotSources(supplierLot: supplierLot, sites: sites), by: \.site)
        var result: [CentralRecall.SiteRecall] = []
        for site in sources.keys.sorted() {
            let roots = sources[site]!.map(\.lot)
            var nodes: [String: LotGraph.Node] = [:]
            var movements: [String: [StockMovement]] = [:]
            var frontier = roots
            while !frontier.isEmpty {
                let step = try await lotStep(site: site, lots: frontier)
                for node in step.nodes { nodes[node.lot] = node }
                for lot in frontier where nodes[lot] == nil { nodes[lot] = LotGraph.Node(site: site, lot: lot) }
                movements.merge(step.movements) { first, _ in first }
                frontier = Array(
                    Set(step.movements.values.joined().compactMap { $0.kind == .consume ? $0.into : nil })
                        .subtracting(nodes.keys)
                ).sorted()
            }
            var expanded: Set<String> = []
            func tree(_ lot: String, quantity: Double?) -> TraceNode {
                let node = nodes[lot] ?? LotGraph.Node(site: site, lot: lot)
                let own = movements[lot] ?? []
                var children: [TraceNode] = []
                if expanded.insert(lot).inserted {
                    var into: [String: Double] = [:]
                    var order: [String] = []
                    for movement in own where movement.kind == .consume {
                        guard let target = movement.into else { continue }
                        if into[target] == nil { order.append(target) }
                        into[target, default: 0] += -movement.quantity
                    }
                    children = order.map { tree($0, quantity: into[$0]) }
                }
                let origin = node.supplier.flatMap { supplier in
                    node.supplierLot.map {
                        LotOrigin(
                            lot: lot, supplier: supplier, supplierLot: $0, receivedAt: node.receivedAt ?? .distantPast)
                    }
                }
                return TraceNode(
                    lot: lot, item: node.item ?? "?", quantity: quantity,
                    onHand: (node.quantity ?? 0) + own.map(\.quantity).reduce(0, +),
                    status: node.status.flatMap(Lot.Status.init(rawValue:)) ?? .released, origin: origin,
                    shipments: own.filter { $0.kind == .ship }, children: children)
            }
            result.append(
                .init(
                    site: site, recall: Recall(supplierLot: supplierLot, trees: roots.map { tree($0, quantity: nil) })))
        }
        return CentralRecall(supplierLot: supplierLot, sites: result)
    }
}
