import Foundation
import TaktCore
import TaktStore

/// Materials at a site: receiving from suppliers, consuming lots into others, shipping, counting; and tracing
/// any lot back to its suppliers or forward to its customers.
extension SiteHost {
    /// A delivery: its new lot, where it came from, and what it measured on arrival.
    public struct Receipt: Sendable {
        public var lot: String
        public var item: String
        public var quantity: Double
        public var supplier: String
        public var supplierLot: String
        /// Its use-by; the item's shelf life from receipt when absent.
        public var expiresAt: Date?
        /// The delivery's temperature, judged by the site's receiving check.
        public var temperature: Double?
        /// The purchase order it is delivered against: its item and supplier must match.
        public var purchaseOrder: String?
        /// Where it is put away (a chiller, a rack); the lot's first location.
        public var location: String?
        /// The supplier's certificate of analysis: its number or where it is filed.
        public var certificate: String?
        /// The unit the quantity is in, when the person said: it must be the item's.
        public var unit: String?
        /// What one unit cost, in the site's currency: the lot's actual price for costing.
        public var unitPrice: Double?
        public var by: String?
        public var at: Date

        public init(
            lot: String, item: String, quantity: Double, supplier: String, supplierLot: String, expiresAt: Date? = nil,
            temperature: Double? = nil, purchaseOrder: String? = nil, location: String? = nil,
            certificate: String? = nil, unit: String? = nil, unitPrice: Double? = nil, by: String? = nil, at: Date
        ) {
            self.unitPrice = unitPrice
            self.purchaseOrder = purchaseOrder
            self.location = location
            self.certificate = certificate
            self.unit = unit
            self.lot = lot
            self.item = item
            self.quantity = quantity
            self.supplier = supplier
            self.supplierLot = supplierLot
            self.expiresAt = expiresAt
            self.temperature = temperature
            self.by = by
            self.at = at
        }
    }

    /// Receives a delivery as a new lot of the item with its origin. A supplier not approved for the item is
    /// refused, or — with `materials.unapproved_supplier: hold` — received on hold with a finding; a
    /// temperature is recorded as a reading of the site's receiving check on the new lot, so a warm chilled
    /// delivery goes on hold by the same rule as everywhere else. Returns the findings raised.
    public func receive(_ receipt: Receipt) throws(HostError) -> [Finding] {
        guard let item = definition.items[receipt.item] else {
            throw .unknown(kind: "item", id: receipt.item, known: Array(definition.items.keys))
        }
        guard let supplier = definition.suppliers[receipt.supplier] else {
            throw .unknown(kind: "supplier", id: receipt.supplier, known: Array(definition.suppliers.keys))
        }
        guard receipt.quantity > 0, receipt.quantity.isFinite else {
            throw .invalidInput("a receipt's quantity must be a positive number of \(item.unit)")
        }
        if let price = receipt.unitPrice, !(price.isFinite && price >= 0 && price < 1e9) {
            throw .invalidInput(
                "a unit price is an amount of \(definition.site.currency) per \(item.unit), 0 or more, not "
                    + CriticalLimits.format(price))
        }
        if let unit = receipt.unit, unit.trimmingCharacters(in: .whitespaces) != item.unit {
            throw .invalidInput(
                "\(item.name) is counted in \(item.unit), not \(unit): give the quantity in \(item.unit)")
        }
        for (name, value) in [("location", receipt.location), ("certificate", receipt.certificate)] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty || value.count > 200 {
                throw .invalidInput("the \(name) must be 1 to 200 characters")
            }
        }
        guard !receipt.supplierLot.trimmingCharacters(in: .whitespaces).isEmpty, !receipt.lot.isEmpty else {
            throw .invalidInput("give the new lot's id and the supplier's lot or date code")
        }
        try requireNotAhead(receipt.at, "the receipt's time")
        try requireStaff(receipt.by)
        if let id = receipt.purchaseOrder {
            guard let order = try stored({ () throws(StoreError) in try store.purchaseOrder(id) }) else {
                throw .unknown(
                    kind: "purchase order", id: id,
                    known: try stored { () throws(StoreError) in try store.purchaseOrders(outstandingOnly: true) }
                        .map(\.id))
            }
            guard order.item == item.id, order.supplier == supplier.id else {
                throw .invalidInput(
                    "purchase order \(id) is for \(order.item) from \(order.supplier), not \(item.id) from \(supplier.id)"
                )
            }
            guard order.outstanding > 0 else {
                throw .invalidInput("purchase order \(id) is \(order.status.rawValue): nothing more comes on it")
            }
        }
        var check: CheckDefinition?
        if let temperature = receipt.temperature {
            guard temperature.isFinite else { throw .invalidInput("the delivery's temperature must be a number") }
            guard let id = definition.rules.receivingCheck, let found = definition.rules.check(id) else {
                throw .invalidInput("this site has no receiving check to judge a delivery's temperature")
            }
            check = found
        }
        let approval = supplier.items[item.id]
        var findings: [Finding] = []
        if approval != .approved && approval != .conditional {
            let why =
                "\(supplier.name), which is \(approval == .suspended ? "suspended" : "not approved") for \(item.name)"
            guard definition.unapprovedSupplier == .hold else {
                throw .refused(["from \(why): the delivery is refused (materials.unapproved_supplier: refuse)"])
            }
            findings.append(
                Finding(
                    rule: "site.materials.approved_supplier", severity: .major, subject: .init(.lot, receipt.lot),
                    message: "lot \(receipt.lot) of \(item.name) came from \(why); received on hold",
                    actions: [
                        FindingAction(.holdLot, receipt.lot),
                        FindingAction(.correctiveAction, "Quality decides: return it, or approve the supplier first"),
                    ], raisedAt: receipt.at))
        }
        let expiry = receipt.expiresAt ?? item.shelfLife.map { receipt.at.addingTimeInterval(Double($0.seconds)) }
        if let expiry, expiry <= receipt.at {
            throw .invalidInput("lot \(receipt.lot) is already past its use-by on receipt")
        }
        let lot = Lot(
            id: receipt.lot, product: item.id, quantity: receipt.quantity, producedAt: receipt.at, expiresAt: expiry)
        let origin = LotOrigin(
            lot: receipt.lot, supplier: supplier.id, supplierLot: receipt.supplierLot, receivedAt: receipt.at,
            purchaseOrder: receipt.purchaseOrder, certificate: receipt.certificate, unitPrice: receipt.unitPrice)
        let delivery = MaterialReceipt(
            lot: receipt.lot, item: item, quantity: receipt.quantity, supplier: supplier.id,
            supplierLot: receipt.supplierLot, at: receipt.at)
        guard try stored({ () throws(StoreError) in try store.lot(receipt.lot) }) == nil else {
            throw .invalidInput("lot '\(receipt.lot)' already exists")
        }
        var changes: [RecordChange] = []
        for rule in definition.rules.receiptRules {
            do {
                if let change = try rule.prepare(delivery, self) { changes.append(change) }
            } catch let error as HostError {
                throw error
            } catch {
                throw .invalidInput("\(rule.id): \(error)")
            }
        }
        try stored { () throws(StoreError) in
            try store.receive(lot, origin: origin, location: receipt.location, at: receipt.at)
        }
        for change in changes {
            do {
                _ = try apply(change)
            } catch {
                throw .invalidInput(
                    "lot \(receipt.lot) was received, but what a module keeps of it was not stored: \(error)")
            }
        }
        var raised = try stored { () throws(StoreError) in try store.raise(findings) }
        if let check, let temperature = receipt.temperature {
            raised += try record(
                CheckReading(
                    check: check.id, value: temperature, lot: receipt.lot, recordedBy: receipt.by, at: receipt.at)
            ).findings
        }
        return raised
    }

    /// Takes `quantity` of lot `from` into lot `into` (the lot it is used to make): the lot graph's edge. Refused
    /// when `from` is on hold, rejected or expired, holds less, or either lot is unknown.
    @discardableResult
    public func consume(from: String, into: String, quantity: Double, by: String?, at: Date) throws(HostError)
        -> StockMovement
    {
        guard from != into else { throw .invalidInput("a lot cannot be used to make itself") }
        try requireNotAhead(at, "the time")
        try requireStaff(by)
        try requireUsable(from, at: at)
        guard quantity > 0, quantity.isFinite else { throw .invalidInput("the quantity must be a positive number") }
        guard try !stored({ () throws(StoreError) in try reaches(into, from) }) else {
            throw .invalidInput("lot \(into) already went into \(from): using \(from) in \(into) would make a loop")
        }
        return try stored { () throws(StoreError) in
            try store.move(
                StockMovement(lot: from, kind: .consume, quantity: -quantity, into: into, by: by, at: at))
        }
    }

    /// Ships `quantity` of a lot to `customer`.
    @discardableResult
    public func ship(lot: String, customer: String, quantity: Double, by: String?, at: Date) throws(HostError)
        -> StockMovement
    {
        let name = customer.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw .invalidInput("give the customer") }
        try requireNotAhead(at, "the time")
        try requireStaff(by)
        try requireUsable(lot, at: at)
        guard quantity > 0, quantity.isFinite else { throw .invalidInput("the quantity must be a positive number") }
        return try stored { () throws(StoreError) in
            try store.move(StockMovement(lot: lot, kind: .ship, quantity: -quantity, customer: name, by: by, at: at))
        }
    }

    /// A counted difference (signed) or scrap, with its reason; never below zero.
    @discardableResult
    public func adjust(lot: String, by quantity: Double, scrap: Bool, reason: String, person: String?, at: Date)
        throws(HostError) -> StockMovement
    {
        guard quantity != 0, quantity.isFinite, !scrap || quantity < 0 else {
            throw .invalidInput(
                scrap ? "scrap takes a positive quantity away" : "the difference must be a number other than 0")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("give the reason") }
        try requireNotAhead(at, "the time")
        try requireStaff(person)
        return try stored { () throws(StoreError) in
            try store.move(
                StockMovement(
                    lot: lot, kind: scrap ? .scrap : .adjust, quantity: quantity, reason: reason, by: person, at: at))
        }
    }

    /// A cycle count of a lot: the variance against the book stock is recorded as an adjustment with both
    /// figures in its reason. Returns the book stock and the adjustment, nil when the count agrees.
    public func count(lot: String, counted: Double, by person: String?, at: Date) throws(HostError)
        -> (book: Double, adjustment: StockMovement?)
    {
        guard counted.isFinite, counted >= 0, counted < 1e12 else {
            throw .invalidInput("the count must be a number, 0 or more")
        }
        try requireNotAhead(at, "the time")
        try requireStaff(person)
        return try stored { () throws(StoreError) in try store.count(lot: lot, counted: counted, by: person, at: at) }
    }

    /// Moves a whole lot to another store location.
    @discardableResult
    public func transfer(lot: String, to location: String, by person: String?, at: Date) throws(HostError)
        -> LotTransfer
    {
        let place = location.trimmingCharacters(in: .whitespaces)
        guard !place.isEmpty, place.count <= 200 else { throw .invalidInput("give the location (1 to 200 characters)") }
        try requireNotAhead(at, "the time")
        try requireStaff(person)
        return try stored { () throws(StoreError) in try store.transfer(lot: lot, to: place, by: person, at: at) }
    }

    func requireUsable(_ id: String, at: Date) throws(HostError) {
        guard let lot = try stored({ () throws(StoreError) in try store.lot(id) }) else {
            throw .unknown(
                kind: "lot", id: id, known: try stored { () throws(StoreError) in try store.lots().map(\.id) })
        }
        guard lot.status == .released else {
            throw .invalidInput(
                "lot \(id) is \(lot.status.rawValue.replacingOccurrences(of: "_", with: " ")) and cannot be used or shipped"
            )
        }
        if let expiry = lot.expiresAt, expiry < at {
            throw .invalidInput(
                "lot \(id) expired \(Instant.format(expiry, in: definition.timeZone)) and cannot be used or shipped")
        }
    }

    /// Whether `from` is `to` or went, through any lots, into `to`.
    func reaches(_ from: String, _ to: String) throws(StoreError) -> Bool {
        var frontier = [from]
        var seen: Set<String> = []
        while let next = frontier.popLast() {
            if next == to { return true }
            guard seen.insert(next).inserted else { continue }
            frontier += try store.movements(of: next).compactMap(\.into)
        }
        return false
    }

    // MARK: trace

    /// The lots `lot` was made from, and theirs, back to what was received from suppliers.
    public func traceBack(_ lot: String) throws(HostError) -> TraceNode {
        try trace(lot, direction: .back)
    }

    /// The lots `lot` went into, and theirs, forward to every shipment.
    public func traceForward(_ lot: String) throws(HostError) -> TraceNode {
        try trace(lot, direction: .forward)
    }

    enum Direction { case back, forward }

    func trace(_ root: String, direction: Direction) throws(HostError) -> TraceNode {
        let graph = try stored { () throws(StoreError) in
            try store.traceGraph(from: root, back: direction == .back)
        }
        guard graph[root] != nil else {
            throw .unknown(
                kind: "lot", id: root, known: try stored { () throws(StoreError) in try store.lots().map(\.id) })
        }
        func node(_ id: String, quantity: Double?, path: Set<String>) -> TraceNode {
            let entry = graph[id]
            let children =
                path.contains(id)
                ? [] : (entry?.edges ?? []).map { node($0.lot, quantity: $0.quantity, path: path.union([id])) }
            return TraceNode(
                lot: id, item: entry?.lot.product ?? "?", quantity: quantity, onHand: entry?.onHand ?? 0,
                status: entry?.lot.status ?? .released, origin: entry?.origin, shipments: entry?.shipments ?? [],
                children: children)
        }
        return node(root, quantity: nil, path: [])
    }

    /// Every lot made from a supplier's lot, through intermediates, with its stock still on site and every
    /// shipment; with `holdBy`, the lots with stock still released go on hold under one critical finding.
    public func recall(supplierLot: String, holdBy person: String? = nil, at now: Date) throws(HostError) -> Recall {
        let origins = try stored { () throws(StoreError) in try store.origins(supplierLot: supplierLot) }
        guard !origins.isEmpty else {
            throw .invalidInput("no lot was received with the supplier's lot '\(supplierLot)'")
        }
        let trees = try origins.keys.sorted().map { (lot: String) throws(HostError) -> TraceNode in
            try traceForward(lot)
        }
        var recall = Recall(supplierLot: supplierLot, trees: trees)
        guard let person else { return recall }
        try requireStaff(person)
        let toHold = recall.inStock.filter { $0.status == .released }.map(\.lot)
        guard !toHold.isEmpty else { return recall }
        let finding = Finding(
            rule: "site.materials.recall", severity: .critical, subject: .init(.site, definition.site.id),
            message: "recall of supplier lot \(supplierLot): \(toHold.count) lot(s) still on site held ("
                + toHold.joined(separator: ", ") + "); \(recall.shipments.count) shipment(s) to customers",
            actions: toHold.map { FindingAction(.holdLot, $0) }
                + [FindingAction(.correctiveAction, "Tell the customers shipped; quarantine and count the held stock")],
            raisedAt: now, key: "recall:\(supplierLot):\(Instant.iso(now))")
        _ = try stored { () throws(StoreError) in try store.raise([finding]) }
        recall.held = toHold
        return recall
    }
}
