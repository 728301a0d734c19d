import Foundation

/// A delivery as a module's receipt rule sees it: the new lot, its item and where it came from.
public struct MaterialReceipt: Sendable {
    public var lot: String
    public var item: Item
    public var quantity: Double
    public var supplier: String
    public var supplierLot: String
    public var at: Date

    public init(lot: String, item: Item, quantity: Double, supplier: String, supplierLot: String, at: Date) {
        self.lot = lot
        self.item = item
        self.quantity = quantity
        self.supplier = supplier
        self.supplierLot = supplierLot
        self.at = at
    }
}

/// What a module keeps of its own when a delivery is received: electronics_assembly makes each lot of a
/// moisture-sensitive item a reel with the item's level, so its floor life is tracked from the day it arrives.
///
/// `prepare` runs before anything is stored: it returns the module records to write (nil when the item is none
/// of its business), or throws to refuse the whole receipt with its reason. The host then stores the lot and
/// applies the change.
public struct ReceiptRule: Sendable {
    public let id: RuleID
    public let prepare: @Sendable (MaterialReceipt, any ModuleSite) throws -> RecordChange?

    public init(id: RuleID, prepare: @escaping @Sendable (MaterialReceipt, any ModuleSite) throws -> RecordChange?) {
        self.id = id
        self.prepare = prepare
    }
}
