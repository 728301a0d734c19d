import Foundation

/// A region-wide quote asked at central: the product, quantity and date wanted, who asked, and the sites asked
/// (those that make the product, as their names say).
public struct QuoteRequestRecord: Hashable, Sendable, Codable {
    public var id: String
    public var region: String
    public var product: String
    public var quantity: Double
    public var by: Date?
    public var askedBy: String
    public var askedAt: Date
    public var sites: [String]

    public init(
        id: String, region: String, product: String, quantity: Double, by: Date?, askedBy: String, askedAt: Date,
        sites: [String]
    ) {
        self.id = id
        self.region = region
        self.product = product
        self.quantity = quantity
        self.by = by
        self.askedBy = askedBy
        self.askedAt = askedAt
        self.sites = sites
    }
}
