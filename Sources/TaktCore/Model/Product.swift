/// Something the site makes, with the attributes that modules and rules read (allergens, product family, feeder
/// set, ...). Each attribute holds a set of values: `allergens: [milk, eggs]`, `family: [rye]`.
public struct Product: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var attributes: [String: [String]]
    /// The operations that make it, in order, with their work centres and times.
    public var routing: [RoutingOperation]
    /// What one unit of it is made from: items bought and other products (intermediates such as dough).
    public var bom: [BOMLine] = []
    /// Attribute values its ingredients bring, through every level of the bill of materials, for the attributes
    /// modules say are inherited (food_processing: `allergens`). `values(of:)` includes them.
    public var derived: [String: [String]] = [:]

    public init(
        id: String, name: String, attributes: [String: [String]] = [:], routing: [RoutingOperation] = [],
        bom: [BOMLine] = []
    ) {
        self.id = id
        self.name = name
        self.attributes = attributes
        self.routing = routing
        self.bom = bom
    }

    /// The values of `attribute`, declared or brought by its ingredients; empty when it has none.
    public func values(of attribute: String) -> Set<String> {
        Set(attributes[attribute] ?? []).union(derived[attribute] ?? [])
    }

    /// The values of `attribute` the product declares (its label), without what its ingredients bring.
    public func declared(_ attribute: String) -> Set<String>? { attributes[attribute].map(Set.init) }
}

/// One line of a bill of materials: how much of a component one unit of the product takes.
public struct BOMLine: Hashable, Sendable, Codable {
    /// An item's or a product's id.
    public var component: String
    /// Per unit of the product, in the component's unit.
    public var quantity: Double
    /// The share lost to scrap in making it (0.02: 2 %), added to the quantity planned.
    public var scrap: Double
    /// What may be used instead when the component is short, in order of preference, in the same quantity.
    public var alternates: [String]

    public init(component: String, quantity: Double, scrap: Double = 0, alternates: [String] = []) {
        self.component = component
        self.quantity = quantity
        self.scrap = scrap
        self.alternates = alternates
    }

    /// The component first, then its alternates.
    public var choices: [String] { [component] + alternates }
}

/// Selects products by their attributes, for rules such as "from anything with sesame to anything without".
///
/// A product matches when it has every value listed under `has` and none listed under `lacks`. An empty
/// selector matches every product; `product` pins one product id.
public struct ProductSelector: Hashable, Sendable, Codable, CustomStringConvertible {
    public var product: String?
    public var has: [String: [String]]?
    public var lacks: [String: [String]]?

    public init(product: String? = nil, has: [String: [String]]? = nil, lacks: [String: [String]]? = nil) {
        self.product = product
        self.has = has
        self.lacks = lacks
    }

    public func matches(_ candidate: Product) -> Bool {
        if let product, product != candidate.id { return false }
        for (attribute, values) in has ?? [:] where !candidate.values(of: attribute).isSuperset(of: values) {
            return false
        }
        for (attribute, values) in lacks ?? [:] where !candidate.values(of: attribute).isDisjoint(with: values) {
            return false
        }
        return true
    }

    public var description: String {
        var parts: [String] = []
        if let product { parts.append("product \(product)") }
        for (attribute, values) in (has ?? [:]).sorted(by: { $0.key < $1.key }) {
            parts.append("\(attribute) has \(values.joined(separator: ", "))")
        }
        for (attribute, values) in (lacks ?? [:]).sorted(by: { $0.key < $1.key }) {
            parts.append("\(attribute) lacks \(values.joined(separator: ", "))")
        }
        return parts.isEmpty ? "any product" : parts.joined(separator: " and ")
    }
}
