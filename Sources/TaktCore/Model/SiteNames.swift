import Foundation

/// What a site calls its things, so pages away from the site (central) can say `Oven 1` and `Hot holding
/// temperature` instead of `work_centre oven-1` and `food_processing.ccp.hot_hold`. The site sends it when it
/// changes (state `names`); staff are left out: central shows their ids, not their names.
public struct SiteNames: Hashable, Sendable, Codable {
    public var workCentres: [String: String]
    public var products: [String: String]
    /// Checks by rule id.
    public var checks: [String: String]
    /// The ids of the modules the site loads (`food_processing`), for central's filter; empty from a site older
    /// than this field.
    public var modules: [String]
    /// The WebAssembly extensions the site runs, as `id version`; empty from a site older than this field.
    public var extensions: [String] = []

    public init(
        workCentres: [String: String] = [:], products: [String: String] = [:], checks: [String: String] = [:],
        modules: [String] = [], extensions: [String] = []
    ) {
        self.extensions = extensions
        self.workCentres = workCentres
        self.products = products
        self.checks = checks
        self.modules = modules
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        workCentres = try container.decodeIfPresent([String: String].self, forKey: .workCentres) ?? [:]
        products = try container.decodeIfPresent([String: String].self, forKey: .products) ?? [:]
        checks = try container.decodeIfPresent([String: String].self, forKey: .checks) ?? [:]
        modules = try container.decodeIfPresent([String].self, forKey: .modules) ?? []
        extensions = try container.decodeIfPresent([String].self, forKey: .extensions) ?? []
    }

    /// The names a site definition gives.
    public init(_ definition: SiteDefinition) {
        self.init(
            workCentres: Dictionary(definition.workCentres.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
            products: definition.products.mapValues(\.name),
            checks: Dictionary(
                definition.rules.checks.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a }),
            modules: definition.site.modules.map(\.rawValue),
            extensions: definition.extensions.map { "\($0.id) \($0.version)" })
    }

    /// A finding's subject for people: `Oven 1`, `lot L-17`, `check Hot holding temperature`, or as the site
    /// wrote it when no name is known.
    public func describe(_ subject: Finding.Subject) -> String {
        switch subject.kind {
        case .workCentre: return workCentres[subject.id] ?? subject.id
        case .check: return checks[subject.id].map { "check \($0)" } ?? subject.description
        case .order: return "order \(subject.id)"
        case .lot: return "lot \(subject.id)"
        case .site: return "the site"
        default: return subject.description.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// A rule's name for people: the check's name, or the rule id when it is not a check.
    public func rule(_ id: String) -> String { checks[id] ?? id }

    /// A work centre's name, or its id.
    public func workCentre(_ id: String) -> String { workCentres[id] ?? id }

    /// A product's name, or its id.
    public func product(_ id: String) -> String { products[id] ?? id }
}
