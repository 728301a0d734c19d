import Foundation

/// Something a site buys and uses: a raw material, packaging or a component. Lots of it are received from
/// suppliers and consumed into the site's own lots, so every lot knows what went into it.
public struct Item: Hashable, Sendable, Codable {
    /// How an item is kept.
    public enum Storage: String, Hashable, Sendable, Codable, CaseIterable {
        case ambient, chilled, frozen, dry
        case dryCabinet = "dry_cabinet"
    }

    public var id: String
    public var name: String
    /// The unit its quantities are in (`kg`, `l`, `pcs`).
    public var unit: String
    public var storage: Storage
    /// How long a received lot keeps, when the supplier gives no use-by.
    public var shelfLife: TimeSpan?
    /// What modules read (`allergens: [gluten]`, `msl: 3`).
    public var attributes: [String: [String]]
    /// From ordering to delivery at the supplier's usual pace; transit and customs a module knows are added.
    public var leadTime: TimeSpan?
    /// For items bought outside a bill of materials (packaging, spares): when stock and open purchase orders fall
    /// to this, material planning suggests buying `reorderQuantity` more.
    public var reorderPoint: Double?
    public var reorderQuantity: Double?
    /// Its standard price per unit, in the site's currency: what standard costs use.
    public var price: Double?

    public init(
        id: String, name: String, unit: String, storage: Storage = .ambient, shelfLife: TimeSpan? = nil,
        attributes: [String: [String]] = [:], leadTime: TimeSpan? = nil, reorderPoint: Double? = nil,
        reorderQuantity: Double? = nil, price: Double? = nil
    ) {
        self.price = price
        self.id = id
        self.name = name
        self.unit = unit
        self.storage = storage
        self.shelfLife = shelfLife
        self.attributes = attributes
        self.leadTime = leadTime
        self.reorderPoint = reorderPoint
        self.reorderQuantity = reorderQuantity
    }
}

/// A supplier, and for each item it supplies, whether it is approved to.
public struct Supplier: Hashable, Sendable, Codable {
    public enum Approval: String, Hashable, Sendable, Codable, CaseIterable {
        case approved
        /// Approved with conditions (under review, extra checks on receipt): deliveries are received with a note.
        case conditional
        case suspended
    }

    public var id: String
    public var name: String
    /// Each item's approval; an item not listed is not approved.
    public var items: [String: Approval]

    public init(id: String, name: String, items: [String: Approval] = [:]) {
        self.id = id
        self.name = name
        self.items = items
    }
}

/// What a site does with a delivery from a supplier not approved for the item (`materials.unapproved_supplier`).
public enum UnapprovedSupplierPolicy: String, Hashable, Sendable, Codable {
    /// Refuse the receipt: nothing is stored.
    case refuse
    /// Receive it on hold, with a finding, for quality to decide.
    case hold
}

/// Where a received lot came from.
public struct LotOrigin: Hashable, Sendable, Codable {
    public var lot: String
    public var supplier: String
    /// The supplier's own lot or date code.
    public var supplierLot: String
    public var receivedAt: Date
    /// The purchase order it was received against, if any.
    public var purchaseOrder: String?
    /// The supplier's certificate of analysis (its number or where it is filed), if one came with it.
    public var certificate: String?
    /// What one unit of it cost, in the site's currency, when the receipt said: actual material costs use it.
    public var unitPrice: Double?

    public init(
        lot: String, supplier: String, supplierLot: String, receivedAt: Date, purchaseOrder: String? = nil,
        certificate: String? = nil, unitPrice: Double? = nil
    ) {
        self.unitPrice = unitPrice
        self.lot = lot
        self.supplier = supplier
        self.supplierLot = supplierLot
        self.receivedAt = receivedAt
        self.purchaseOrder = purchaseOrder
        self.certificate = certificate
    }
}

/// A lot moved, whole, to another store location (a chiller, a rack, a dry cabinet): a ledger entry, never
/// edited. A lot's location is its last transfer's.
public struct LotTransfer: Hashable, Sendable, Codable {
    public var id: Int64?
    public var lot: String
    /// Nil for the first placement (on receipt or when made).
    public var from: String?
    public var to: String
    public var by: String?
    public var at: Date

    public init(id: Int64? = nil, lot: String, from: String?, to: String, by: String? = nil, at: Date) {
        self.id = id
        self.lot = lot
        self.from = from
        self.to = to
        self.by = by
        self.at = at
    }
}

/// A change to a lot's stock after it was received or produced: a ledger entry, never edited.
public struct StockMovement: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Used to make another lot (`into`): the lot graph's edge.
        case consume
        /// Dispatched to a customer.
        case ship
        /// A counted difference, with its reason.
        case adjust
        case scrap
    }

    public var id: Int64?
    public var lot: String
    public var kind: Kind
    /// Signed: negative takes from the lot.
    public var quantity: Double
    /// For `consume`: the lot it went into.
    public var into: String?
    /// For `ship`: the customer.
    public var customer: String?
    public var reason: String?
    public var by: String?
    public var at: Date

    public init(
        id: Int64? = nil, lot: String, kind: Kind, quantity: Double, into: String? = nil, customer: String? = nil,
        reason: String? = nil, by: String? = nil, at: Date
    ) {
        self.id = id
        self.lot = lot
        self.kind = kind
        self.quantity = quantity
        self.into = into
        self.customer = customer
        self.reason = reason
        self.by = by
        self.at = at
    }
}
