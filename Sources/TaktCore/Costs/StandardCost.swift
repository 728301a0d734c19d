import Foundation

/// What making a quantity of a product should cost: its routing at each operation's first work centre and the
/// site's rates, its bill of materials at the items' prices (an intermediate at its own direct standard cost),
/// and overhead on the lot.
///
/// Changeovers are not in a product's standard: they depend on the sequence, so they show up as a variance.
public struct StandardCost: Hashable, Sendable, Codable {
    /// One operation of the routing at standard.
    public struct Operation: Hashable, Sendable, Codable {
        public var operation: String
        public var workCentre: String
        public var setupHours: Double
        public var runHours: Double
        /// The people on it: the crew's size, or one operator.
        public var people: Int
        public var machine: Double
        public var labour: Double
    }

    /// One line of the bill of materials at standard.
    public struct Material: Hashable, Sendable, Codable {
        public var component: String
        /// Including the line's planned scrap.
        public var quantity: Double
        public var unitPrice: Double
        public var cost: Double
    }

    public var product: String
    public var quantity: Double
    public var currency: String
    public var operations: [Operation]
    public var materials: [Material]
    public var parts: CostParts
    /// What the standard could not price (an item without a price, a work centre without rates): the standard
    /// counts them as nothing, and says so.
    public var gaps: [String]

    public var total: Double { parts.total }
    public var perUnit: Double { quantity > 0 ? total / quantity : 0 }
}

/// Costing at a site: standard costs, and the standard behind an order's actual cost.
public struct Costing: Sendable {
    public let site: SiteDefinition

    public init(site: SiteDefinition) { self.site = site }

    /// The standard cost of `quantity` of `product`; nil for a product the site does not make.
    public func standard(_ product: String, quantity: Double) -> StandardCost? {
        guard let made = site.products[product] else { return nil }
        var gaps: [String] = []
        var seen: Set<String> = []
        let direct = directCost(made, quantity: quantity, gaps: &gaps, seen: &seen)
        var parts = direct.parts
        parts.overhead = (parts.material + parts.labour + parts.machine) * site.costs.overhead
        return StandardCost(
            product: product, quantity: quantity, currency: site.site.currency, operations: direct.operations,
            materials: direct.materials, parts: parts, gaps: gaps)
    }

    /// The people an operation takes: its crew, or one operator.
    public static func people(_ operation: RoutingOperation) -> Int {
        operation.crew.isEmpty ? 1 : operation.crew.map(\.count).reduce(0, +)
    }

    /// A work centre's rates; nil when the site set none for it.
    public func rates(_ workCentre: String) -> CostRates.WorkCentre? { site.costs.workCentres[workCentre] }

    private func directCost(
        _ product: Product, quantity: Double, gaps: inout [String], seen: inout Set<String>
    ) -> (parts: CostParts, operations: [StandardCost.Operation], materials: [StandardCost.Material]) {
        var parts = CostParts()
        var operations: [StandardCost.Operation] = []
        for operation in product.routing {
            guard let centre = operation.workCentres.first else { continue }
            let people = Self.people(operation)
            let setup = Double(operation.setup.seconds) / 3600
            let run = operation.secondsPerUnit * quantity / 3600
            let rate = rates(centre)
            if rate == nil, !site.costs.isEmpty { gaps.append("no rates for work centre \(centre)") }
            let machine = (setup + run) * (rate?.machine ?? 0)
            let labour = (setup + run) * Double(people) * (rate?.labour ?? 0)
            parts.machine += machine
            parts.labour += labour
            operations.append(
                .init(
                    operation: operation.id, workCentre: centre, setupHours: setup, runHours: run, people: people,
                    machine: machine, labour: labour))
        }
        var materials: [StandardCost.Material] = []
        for line in product.bom {
            let needed = quantity * line.quantity * (1 + line.scrap)
            let price: Double
            if let item = site.items[line.component] {
                if item.price == nil { gaps.append("no price for item \(item.id)") }
                price = item.price ?? 0
            } else if let sub = site.products[line.component], seen.insert(sub.id).inserted {
                // An intermediate at its direct cost per unit; overhead is added once, on the whole.
                let made = directCost(sub, quantity: max(needed, 1e-9), gaps: &gaps, seen: &seen)
                seen.remove(sub.id)
                price = needed > 0 ? (made.parts.material + made.parts.labour + made.parts.machine) / needed : 0
            } else {
                gaps.append("no price for \(line.component)")
                price = 0
            }
            parts.material += needed * price
            materials.append(.init(component: line.component, quantity: needed, unitPrice: price, cost: needed * price))
        }
        return (parts, operations, materials)
    }
}
