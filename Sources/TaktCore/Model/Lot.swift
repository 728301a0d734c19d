import Foundation

/// A quantity of one product made together, traced as one unit and held or released as one.
public struct Lot: Hashable, Sendable, Codable {
    /// Whether a lot may be shipped or used.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case released
        case onHold = "on_hold"
        case rejected
        /// Taken from stock: used or shipped.
        case issued
    }

    public var id: String
    public var product: String
    public var quantity: Double
    public var producedAt: Date
    /// Use-by instant; nil when the product does not expire.
    public var expiresAt: Date?
    public var status: Status

    public init(
        id: String, product: String, quantity: Double, producedAt: Date, expiresAt: Date? = nil,
        status: Status = .released
    ) {
        self.id = id
        self.product = product
        self.quantity = quantity
        self.producedAt = producedAt
        self.expiresAt = expiresAt
        self.status = status
    }
}
