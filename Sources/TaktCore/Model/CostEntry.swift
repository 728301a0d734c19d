import Foundation

/// A cost the site records in its own currency: scrap, overtime, a repair, freight.
public struct CostEntry: Hashable, Sendable, Codable {
    public var amount: Double
    /// ISO 4217 code of the site's currency.
    public var currency: String
    public var category: String
    public var order: String?
    public var note: String?
    public var at: Date
    /// The same amount in the region's currency, at the configured rate, when the region uses another one.
    public var regionAmount: Double?
    public var regionCurrency: String?

    public init(
        amount: Double, currency: String, category: String, order: String? = nil, note: String? = nil, at: Date,
        regionAmount: Double? = nil, regionCurrency: String? = nil
    ) {
        self.amount = amount
        self.currency = currency
        self.category = category
        self.order = order
        self.note = note
        self.at = at
        self.regionAmount = regionAmount
        self.regionCurrency = regionCurrency
    }
}
