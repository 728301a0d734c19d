import Foundation

/// A lot and the lots it came from (trace back) or went into (trace forward), as a tree, with where it
/// reached customers.
public struct TraceNode: Hashable, Sendable, Codable {
    public var lot: String
    /// The item or product of the lot.
    public var item: String
    /// How much of it went into the parent (nil at the root).
    public var quantity: Double?
    /// Still in stock.
    public var onHand: Double
    public var status: Lot.Status
    /// For a received lot: its supplier and the supplier's lot.
    public var origin: LotOrigin?
    /// Shipments of this lot to customers.
    public var shipments: [StockMovement]
    public var children: [TraceNode]

    public init(
        lot: String, item: String, quantity: Double?, onHand: Double, status: Lot.Status, origin: LotOrigin?,
        shipments: [StockMovement], children: [TraceNode]
    ) {
        self.lot = lot
        self.item = item
        self.quantity = quantity
        self.onHand = onHand
        self.status = status
        self.origin = origin
        self.shipments = shipments
        self.children = children
    }

    /// Every lot in the tree, the root first, each once.
    public var lots: [TraceNode] {
        var seen: Set<String> = []
        var out: [TraceNode] = []
        func walk(_ node: TraceNode) {
            if seen.insert(node.lot).inserted { out.append(node) }
            node.children.forEach(walk)
        }
        walk(self)
        return out
    }
}

/// What a recall of a supplier's lot reaches: every lot made from it (through intermediates), the stock of each
/// still on site, and every shipment to a customer.
public struct Recall: Hashable, Sendable, Codable {
    public var supplierLot: String
    public var trees: [TraceNode]
    /// The affected lots with stock still on site.
    public var inStock: [TraceNode]
    public var shipments: [StockMovement]
    /// Lots put on hold by this recall (with `--hold`).
    public var held: [String]

    public init(supplierLot: String, trees: [TraceNode], held: [String] = []) {
        self.supplierLot = supplierLot
        self.trees = trees
        let lots = trees.flatMap(\.lots)
        var seen: Set<String> = []
        let unique = lots.filter { seen.insert($0.lot).inserted }
        self.inStock = unique.filter { $0.onHand > 0 }
        self.shipments = unique.flatMap(\.shipments)
        self.held = held
    }
}
