import Foundation

/// An order to a supplier for an item: created (often from a material plan's suggestion), sent, and received
/// against, in one delivery or several.
public struct PurchaseOrder: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Created, not sent yet: it still counts as coming.
        case open
        case sent
        /// Received in full, or closed short by hand.
        case closed
        case cancelled
    }

    public var id: String
    public var supplier: String
    public var item: String
    /// In the item's unit.
    public var quantity: Double
    /// Received against it so far.
    public var received: Double
    /// When the supplier is to deliver it.
    public var due: Date
    public var status: Status
    public var createdAt: Date
    public var createdBy: String?
    public var sentAt: Date?

    public init(
        id: String, supplier: String, item: String, quantity: Double, received: Double = 0, due: Date,
        status: Status = .open, createdAt: Date, createdBy: String? = nil, sentAt: Date? = nil
    ) {
        self.id = id
        self.supplier = supplier
        self.item = item
        self.quantity = quantity
        self.received = received
        self.due = due
        self.status = status
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.sentAt = sentAt
    }

    /// Still to come: nothing once closed or cancelled.
    public var outstanding: Double {
        status == .open || status == .sent ? max(0, quantity - received) : 0
    }
}
