import Foundation

/// A production order: make `quantity` of `product` between `release` and `due`.
public struct Order: Hashable, Sendable, Codable {
    public var id: String
    public var product: String
    public var quantity: Double
    /// Earliest start; nil means it can start now.
    public var release: Date?
    public var due: Date
    /// Weight of lateness: 1 is normal, higher is more important.
    public var priority: Int

    public init(id: String, product: String, quantity: Double, release: Date? = nil, due: Date, priority: Int = 1) {
        self.id = id
        self.product = product
        self.quantity = quantity
        self.release = release
        self.due = due
        self.priority = priority
    }
}
