import Foundation

/// Material requirements planning: what the open orders need of each item, when, and how stock and purchase
/// orders cover it; what to buy and by when; and, for each order, when its materials are all there.
///
/// Each order's bill of materials is exploded down to items (intermediates such as dough are made within the
/// order, so their ingredients are what is planned), with each line's scrap factor. Requirements are netted per
/// item in the order they are needed: first against usable stock, first expiry first out (a lot that will have
/// expired by then does not count), then against open purchase orders by due date. What is left is short.
public struct MaterialPlan: Hashable, Sendable, Codable {
    /// One order's need for one item, and how it is covered.
    public struct Requirement: Hashable, Sendable, Codable {
        public var order: String
        public var item: String
        public var quantity: Double
        /// The order's latest start: its due date less its routing's work, not before now.
        public var neededBy: Date
        public var fromStock: Double
        /// The purchase orders that cover the rest, with how much of each.
        public var purchaseOrders: [String: Double]
        public var short: Double
        /// When all of it is there: now from stock, the last purchase order's due date, or, when short, the
        /// earliest a purchase order placed now could arrive (nil when the item has no lead time to plan by).
        public var readyAt: Date?
    }

    /// A purchase order the plan suggests.
    public struct Suggestion: Hashable, Sendable, Codable {
        public var item: String
        /// The first supplier approved for the item (a conditional one when none is approved); nil when none is.
        public var supplier: String?
        public var quantity: Double
        public var neededBy: Date
        /// Its need date less the lead time: place it by then. Nil without a lead time.
        public var orderBy: Date?
        /// Placed now, it cannot arrive in time.
        public var late: Bool
        /// The orders it is for; empty for a reorder point.
        public var orders: [String]
        /// Why: the orders short of it, or the reorder point reached.
        public var reason: String
    }

    /// When an order's materials are all there, and which one it waits for.
    public struct Readiness: Hashable, Sendable, Codable {
        public var order: String
        /// Nil when an item is short with no lead time: it cannot be known when it arrives.
        public var at: Date?
        public var reason: String
    }

    public var at: Date
    public var requirements: [Requirement]
    public var suggestions: [Suggestion]
    /// Per order with a bill of materials.
    public var readiness: [String: Readiness]

    /// Each short item with how much is short and for which orders.
    public var shortages: [Shortage] {
        var byItem: [String: Shortage] = [:]
        for requirement in requirements where requirement.short > 0 {
            byItem[requirement.item, default: Shortage(item: requirement.item, quantity: 0, orders: [])].quantity +=
                requirement.short
            byItem[requirement.item]?.orders.append(requirement.order)
        }
        return byItem.values.sorted { $0.item < $1.item }
    }

    public struct Shortage: Hashable, Sendable, Codable {
        public var item: String
        public var quantity: Double
        public var orders: [String]
    }
}

/// Makes a `MaterialPlan` from a site's items, products, suppliers and lead times.
public struct MaterialPlanner: Sendable {
    /// A usable lot of an item: released, with stock on hand.
    public struct Stock: Hashable, Sendable {
        public var lot: String
        public var item: String
        public var quantity: Double
        public var expiresAt: Date?

        public init(lot: String, item: String, quantity: Double, expiresAt: Date?) {
            self.lot = lot
            self.item = item
            self.quantity = quantity
            self.expiresAt = expiresAt
        }
    }

    public var items: [String: Item]
    public var products: [String: Product]
    public var suppliers: [String: Supplier]
    /// Transit and customs a module adds for materials from abroad, by item id.
    public var transit: [String: TimeSpan]
    public var timeZone: TimeZone

    public init(
        items: [String: Item], products: [String: Product], suppliers: [String: Supplier],
        transit: [String: TimeSpan] = [:], timeZone: TimeZone
    ) {
        self.items = items
        self.products = products
        self.suppliers = suppliers
        self.transit = transit
        self.timeZone = timeZone
    }

    /// The item's lead time: the supplier's plus transit and customs; nil when neither is known.
    public func leadTime(of item: String) -> TimeSpan? {
        let parts = [items[item]?.leadTime, transit[item]].compactMap { $0 }
        return parts.isEmpty ? nil : TimeSpan(seconds: parts.map(\.seconds).reduce(0, +))
    }

    /// What `quantity` units of `product` take of each item, through intermediates, with scrap.
    public func explode(_ product: String, quantity: Double) -> [String: Double] {
        exploded(product, quantity: quantity).reduce(into: [:]) { $0[$1.item, default: 0] += $1.quantity }
    }

    /// Each item line `quantity` units of `product` take, with the items that may stand in for it.
    func exploded(_ product: String, quantity: Double) -> [(item: String, quantity: Double, alternates: [String])] {
        var result: [(item: String, quantity: Double, alternates: [String])] = []
        func walk(_ id: String, _ amount: Double, _ path: Set<String>) {
            guard let product = products[id], !path.contains(id) else { return }
            for line in product.bom {
                let needed = amount * line.quantity * (1 + line.scrap)
                if items[line.component] != nil {
                    result.append((line.component, needed, line.alternates.filter { items[$0] != nil }))
                } else {
                    walk(line.component, needed, path.union([id]))
                }
            }
        }
        walk(product, quantity, [])
        return result
    }

    /// One order's need of one item while it is netted.
    private struct Need {
        var order: String
        var item: String
        var alternates: [String]
        var quantity: Double
        var neededBy: Date
        var left: Double
        var fromStock = 0.0
        var covering: [String: Double] = [:]
        var readyAt: Date
    }

    public func plan(orders: [Order], stock: [Stock], purchaseOrders: [PurchaseOrder], at now: Date) -> MaterialPlan {
        var needs: [Need] = []
        for order in orders {
            guard let product = products[order.product] else { continue }
            let work = product.routing.map { $0.duration(quantity: order.quantity) }.reduce(0, +)
            let neededBy = max(now, order.due.addingTimeInterval(-Double(work)))
            for line in exploded(order.product, quantity: order.quantity) where line.quantity > 0 {
                needs.append(
                    Need(
                        order: order.id, item: line.item, alternates: line.alternates, quantity: line.quantity,
                        neededBy: neededBy, left: line.quantity, readyAt: now))
            }
        }
        needs.sort { ($0.neededBy, $0.order, $0.item) < ($1.neededBy, $1.order, $1.item) }
        // Usable stock by item, first expiry first out; one pool, so a lot is never counted twice.
        var lots = Dictionary(grouping: stock.filter { $0.quantity > 0 }, by: \.item).mapValues {
            $0.sorted { ($0.expiresAt ?? .distantFuture, $0.lot) < ($1.expiresAt ?? .distantFuture, $1.lot) }
        }
        func take(_ index: Int, from item: String) {
            guard var pool = lots[item] else { return }
            for lot in pool.indices where needs[index].left > 1e-9 {
                if let expiry = pool[lot].expiresAt, expiry <= needs[index].neededBy { continue }
                let taken = min(needs[index].left, pool[lot].quantity)
                pool[lot].quantity -= taken
                needs[index].fromStock += taken
                needs[index].left -= taken
            }
            lots[item] = pool
        }
        // Each item's own stock first, then alternates' stock for what is still short, then purchase orders.
        for index in needs.indices { take(index, from: needs[index].item) }
        for index in needs.indices where needs[index].left > 1e-9 {
            for alternate in needs[index].alternates { take(index, from: alternate) }
        }
        var coming = Dictionary(
            grouping: purchaseOrders.filter { $0.outstanding > 0 }.sorted { ($0.due, $0.id) < ($1.due, $1.id) },
            by: \.item
        ).mapValues { $0.map { (order: $0, left: $0.outstanding) } }
        for index in needs.indices where needs[index].left > 1e-9 {
            guard var pool = coming[needs[index].item] else { continue }
            for entry in pool.indices where needs[index].left > 1e-9 && pool[entry].left > 1e-9 {
                let taken = min(needs[index].left, pool[entry].left)
                pool[entry].left -= taken
                needs[index].covering[pool[entry].order.id] = taken
                needs[index].readyAt = max(needs[index].readyAt, pool[entry].order.due)
                needs[index].left -= taken
            }
            coming[needs[index].item] = pool
        }
        let requirements = needs.map { need -> MaterialPlan.Requirement in
            let short = need.left > 1e-9 ? need.left : 0
            let earliestNew = leadTime(of: need.item).map { now.addingTimeInterval(Double($0.seconds)) }
            return MaterialPlan.Requirement(
                order: need.order, item: need.item, quantity: need.quantity, neededBy: need.neededBy,
                fromStock: need.fromStock, purchaseOrders: need.covering, short: short,
                readyAt: short > 0 ? earliestNew.map { max($0, need.readyAt) } : need.readyAt)
        }
        var suggestions: [MaterialPlan.Suggestion] = []
        let reordered = items.values.filter { $0.reorderPoint != nil }.map(\.id)
        for item in Set(needs.map(\.item)).union(reordered).sorted() {
            let lead = leadTime(of: item)
            let supplier = self.supplier(for: item)
            let short = requirements.filter { $0.item == item && $0.short > 0 }
            if let first = short.first {
                let orderBy = lead.map { first.neededBy.addingTimeInterval(-Double($0.seconds)) }
                let orders = short.map(\.order)
                suggestions.append(
                    MaterialPlan.Suggestion(
                        item: item, supplier: supplier, quantity: short.map(\.short).reduce(0, +),
                        neededBy: first.neededBy, orderBy: orderBy, late: orderBy.map { $0 < now } ?? false,
                        orders: orders,
                        reason: "short for order\(orders.count == 1 ? "" : "s") " + orders.joined(separator: ", ")))
            } else if let definition = items[item], let point = definition.reorderPoint {
                let projected =
                    (lots[item] ?? []).map(\.quantity).reduce(0, +) + (coming[item] ?? []).map(\.left).reduce(0, +)
                guard projected <= point else { continue }
                suggestions.append(
                    MaterialPlan.Suggestion(
                        item: item, supplier: supplier,
                        quantity: max(definition.reorderQuantity ?? 0, point - projected),
                        neededBy: lead.map { now.addingTimeInterval(Double($0.seconds)) } ?? now,
                        orderBy: lead == nil ? nil : now, late: false, orders: [],
                        reason: "stock and purchase orders (\(CriticalLimits.format(projected))) at or below the "
                            + "reorder point \(CriticalLimits.format(point))"))
            }
        }
        return MaterialPlan(
            at: now, requirements: requirements, suggestions: suggestions,
            readiness: readiness(requirements, purchaseOrders: purchaseOrders, now: now))
    }

    /// For each order, its latest-arriving item; an item short with no lead time makes the time unknown.
    private func readiness(_ requirements: [MaterialPlan.Requirement], purchaseOrders: [PurchaseOrder], now: Date)
        -> [String: MaterialPlan.Readiness]
    {
        let dueOf = Dictionary(purchaseOrders.map { ($0.id, $0.due) }, uniquingKeysWith: { a, _ in a })
        var result: [String: MaterialPlan.Readiness] = [:]
        for (order, needs) in Dictionary(grouping: requirements, by: \.order) {
            let unknown = needs.first { $0.readyAt == nil }
            let binding = unknown ?? needs.max { ($0.readyAt!, $0.item) < ($1.readyAt!, $1.item) }!
            let unit = items[binding.item]?.unit ?? ""
            let name = "\(CriticalLimits.format(binding.short)) \(unit) of \(binding.item)"
            let reason: String
            if unknown != nil {
                reason = "\(name) short, with no purchase order and no lead time to plan by (give the item a lead_time)"
            } else if binding.short > 0, let at = binding.readyAt {
                reason =
                    "\(name) short: a purchase order placed now arrives \(Instant.format(at, in: timeZone)) at the "
                    + "earliest (lead time \(leadTime(of: binding.item)?.description ?? "?"))"
            } else if let last = binding.purchaseOrders.keys.max(by: { (dueOf[$0] ?? now) < (dueOf[$1] ?? now) }),
                let due = dueOf[last], due > now
            {
                reason =
                    "waits for \(binding.item) on purchase order \(last), due \(Instant.format(due, in: timeZone))"
            } else {
                reason = "materials in stock"
            }
            result[order] = MaterialPlan.Readiness(order: order, at: binding.readyAt, reason: reason)
        }
        return result
    }

    /// The supplier to buy an item from: approved first, then conditional, by id.
    public func supplier(for item: String) -> String? {
        let candidates = suppliers.values.filter { $0.items[item] == .approved || $0.items[item] == .conditional }
        func rank(_ supplier: Supplier) -> Int { supplier.items[item] == .approved ? 0 : 1 }
        return candidates.min { (rank($0), $0.id) < (rank($1), $1.id) }?.id
    }
}

/// What a site tells central about its materials: what is short, for which orders, and what it should buy and by
/// when. It carries no time of its own, so the same status is sent once.
public struct MaterialStatus: Hashable, Sendable, Codable {
    public struct Line: Hashable, Sendable, Codable {
        public var item: String
        public var name: String
        public var unit: String
        public var suggestion: MaterialPlan.Suggestion
    }

    public var lines: [Line]

    /// A reorder-point suggestion is timed from now (order now, here by now plus the lead time): its times go to
    /// the start of their UTC day, so the status changes when the stock does, not every time it is planned.
    public init(plan: MaterialPlan, items: [String: Item]) {
        func day(_ date: Date) -> Date {
            Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        }
        lines = plan.suggestions.map {
            var suggestion = $0
            if suggestion.orders.isEmpty {
                suggestion.neededBy = day(suggestion.neededBy)
                suggestion.orderBy = suggestion.orderBy.map(day)
            }
            return Line(
                item: suggestion.item, name: items[suggestion.item]?.name ?? suggestion.item,
                unit: items[suggestion.item]?.unit ?? "", suggestion: suggestion)
        }
    }
}
