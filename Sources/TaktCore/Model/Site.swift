import Foundation

/// One plant: the unit that owns a database, a set of modules and a rule book.
public struct Site: Hashable, Sendable, Codable {
    /// Stable id, such as `leeds-bakery`; it names the database file and the sync endpoint.
    public var id: String
    public var name: String
    /// The region a regional manager oversees, such as `uk-north`.
    public var region: String
    /// IANA time zone (`Europe/London`): it decides shifts, days and what is shown.
    public var timeZone: String
    /// ISO 4217 currency code in which the site records costs, such as `GBP`.
    public var currency: String
    /// Ids of the modules the site loads.
    public var modules: [ModuleID]
    /// Where the plant is, as ISO 3166: a country (`IE`, `MY`) or, where the law differs inside it, a
    /// subdivision (`GB-ENG`, `GB-SCT`). Modules choose the law they enforce from it. Nil when not given.
    public var country: String?
    /// The language the site app speaks at this site unless a person chooses another; English when nil.
    public var locale: SiteLocale?

    public init(
        id: String, name: String, region: String, timeZone: String, currency: String, modules: [ModuleID] = []
    ) {
        self.id = id
        self.name = name
        self.region = region
        self.timeZone = timeZone
        self.currency = currency
        self.modules = modules
    }
}
