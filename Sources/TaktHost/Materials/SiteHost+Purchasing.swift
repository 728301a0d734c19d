import Foundation
import TaktCore
import TaktStore

/// Material planning and purchase orders: what the open orders need, what to buy by when, and buying it.
extension SiteHost {
    /// The planner over the site's items, products and suppliers; transit and customs from the modules.
    public var materialPlanner: MaterialPlanner {
        MaterialPlanner(
            items: definition.items, products: definition.products, suppliers: definition.suppliers,
            transit: definition.rules.scheduling.materialLeadTimes, timeZone: definition.timeZone)
    }

    /// Plans materials for the open orders against usable stock and open purchase orders.
    public func materialPlan(at now: Date) throws(HostError) -> MaterialPlan {
        materialPlanner.plan(
            orders: try openOrders(), stock: try usableStock(at: now),
            purchaseOrders: try stored { () throws(StoreError) in try store.purchaseOrders(outstandingOnly: true) },
            at: now)
    }

    /// Released lots of items and products with stock on hand, not past their use-by at `now`, first expiry
    /// first out (then by id).
    func usableStock(at now: Date) throws(HostError) -> [MaterialPlanner.Stock] {
        let onHand = try stored { () throws(StoreError) in try store.onHand() }
        return try lots(status: .released).compactMap { lot -> MaterialPlanner.Stock? in
            guard definition.items[lot.product] != nil || definition.products[lot.product] != nil,
                let quantity = onHand[lot.id], quantity > 1e-9, (lot.expiresAt ?? .distantFuture) > now
            else { return nil }
            return MaterialPlanner.Stock(lot: lot.id, item: lot.product, quantity: quantity, expiresAt: lot.expiresAt)
        }.sorted { ($0.expiresAt ?? .distantFuture, $0.lot) < ($1.expiresAt ?? .distantFuture, $1.lot) }
    }

    /// Takes up to `quantity` from `stock` (as `usableStock` lists it): the lots of each of `items` in turn, first
    /// expiry first out, leaving in `stock` what remains. Returns what it took from each lot, and how much the
    /// items held in all before it took.
    func takeFirstExpiry(_ quantity: Double, of items: [String], from stock: inout [MaterialPlanner.Stock])
        -> (taken: [(lot: String, quantity: Double)], available: Double)
    {
        var taken: [(lot: String, quantity: Double)] = []
        var available = 0.0
        var left = quantity
        for item in items {
            for index in stock.indices where stock[index].item == item && stock[index].quantity > 1e-9 {
                available += stock[index].quantity
                guard left > 1e-9 else { continue }
                let take = min(left, stock[index].quantity)
                stock[index].quantity -= take
                left -= take
                taken.append((stock[index].lot, take))
            }
        }
        return (taken, available)
    }

    /// Creates a purchase order. The supplier must be approved (or conditional) for the item; the id is the next
    /// `PO-n` when not given.
    @discardableResult
    public func createPurchaseOrder(
        id: String? = nil, supplier: String, item: String, quantity: Double, due: Date, by person: String?, at now: Date
    ) throws(HostError) -> PurchaseOrder {
        guard let definitionItem = definition.items[item] else {
            throw .unknown(kind: "item", id: item, known: Array(definition.items.keys))
        }
        guard let vendor = definition.suppliers[supplier] else {
            throw .unknown(kind: "supplier", id: supplier, known: Array(definition.suppliers.keys))
        }
        guard vendor.items[item] == .approved || vendor.items[item] == .conditional else {
            throw .invalidInput(
                "\(vendor.name) is \(vendor.items[item] == .suspended ? "suspended" : "not approved") for "
                    + "\(definitionItem.name): buy it from "
                    + (materialPlanner.supplier(for: item).map { "\($0)" } ?? "a supplier approved for it first"))
        }
        guard quantity > 0, quantity.isFinite, quantity < 1e12 else {
            throw .invalidInput("a purchase order's quantity must be a positive number of \(definitionItem.unit)")
        }
        guard due >= now.addingTimeInterval(-86_400) else {
            throw .invalidInput("the due date \(Instant.format(due, in: definition.timeZone)) has passed")
        }
        try requireStaff(person)
        if let id, id.trimmingCharacters(in: .whitespaces).isEmpty || id.count > 64 {
            throw .invalidInput("a purchase order id must be 1 to 64 characters")
        }
        // No id: the store numbers it in the same transaction that stores it.
        let order = PurchaseOrder(
            id: id ?? "", supplier: supplier, item: item, quantity: quantity, due: due, createdAt: now,
            createdBy: person)
        return try stored { () throws(StoreError) in try store.addPurchaseOrder(order) }
    }

    /// Creates the purchase orders a material plan suggests, each due when it is needed (or as soon as the lead
    /// time allows). Suggestions with no approved supplier are left, and named.
    public func createPurchaseOrders(
        from plan: MaterialPlan, items: Set<String>? = nil, by person: String?, at now: Date
    )
        throws(HostError) -> (created: [PurchaseOrder], left: [String])
    {
        var created: [PurchaseOrder] = []
        var left: [String] = []
        for suggestion in plan.suggestions where items?.contains(suggestion.item) ?? true {
            guard let supplier = suggestion.supplier else {
                left.append("\(suggestion.item): no supplier is approved for it")
                continue
            }
            let earliest = materialPlanner.leadTime(of: suggestion.item).map {
                now.addingTimeInterval(Double($0.seconds))
            }
            created.append(
                try createPurchaseOrder(
                    supplier: supplier, item: suggestion.item, quantity: suggestion.quantity,
                    due: max(suggestion.neededBy, earliest ?? suggestion.neededBy), by: person, at: now))
        }
        return (created, left)
    }

    /// Marks purchase orders sent (to export them for the supplier), closes or cancels one.
    @discardableResult
    public func setPurchaseOrder(_ id: String, status: PurchaseOrder.Status, at now: Date) throws(HostError)
        -> PurchaseOrder
    {
        guard status != .open else { throw .invalidInput("a purchase order cannot be reopened") }
        guard try stored({ () throws(StoreError) in try store.purchaseOrder(id) }) != nil else {
            throw .unknown(
                kind: "purchase order", id: id,
                known: try stored { () throws(StoreError) in try store.purchaseOrders(outstandingOnly: true) }.map(\.id)
            )
        }
        return try stored { () throws(StoreError) in try store.setPurchaseOrder(id, status: status, at: now) }
    }

    public func purchaseOrders(outstandingOnly: Bool = false) throws(HostError) -> [PurchaseOrder] {
        try stored { () throws(StoreError) in try store.purchaseOrders(outstandingOnly: outstandingOnly) }
    }
}
