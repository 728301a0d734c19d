import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt materials`: receive deliveries, use lots to make others, ship, count, and see the stock.
struct MaterialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "materials", abstract: "Receive, use, ship and count material lots; see the stock.",
        subcommands: [
            Stock.self, Receive.self, Consume.self, Ship.self, Adjust.self, Count.self, Transfer.self, Plan.self,
            Purchase.self,
        ],
        defaultSubcommand: Stock.self)

    struct Stock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every lot with stock on hand, its status and use-by.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only lots of this item or product.") var item: String?
        @Flag(help: "Lots with nothing left too.") var all = false

        struct Row: Encodable {
            var lot: String
            var item: String
            var onHand: Double
            var unit: String
            var status: Lot.Status
            var expiresAt: Date?
            var supplier: String?
            var supplierLot: String?
            var location: String?
        }

        func run() throws {
            let host = try site.open()
            let lots = try host.store.lots(product: item)
            let onHand = try host.store.onHand()
            let origins = try host.store.origins()
            let locations = try host.store.locations()
            let rows = lots.filter { all || (onHand[$0.id] ?? 0) > 0 }.map { lot in
                Row(
                    lot: lot.id, item: lot.product, onHand: onHand[lot.id] ?? 0,
                    unit: host.definition.items[lot.product]?.unit ?? "units", status: lot.status,
                    expiresAt: lot.expiresAt, supplier: origins[lot.id]?.supplier,
                    supplierLot: origins[lot.id]?.supplierLot, location: locations[lot.id])
            }
            if output.json { return try output.print(json: rows) }
            if rows.isEmpty { print("no stock") }
            let zone = host.definition.timeZone
            for row in rows {
                print(
                    "\(row.lot): \(row.item) \(CriticalLimits.format(row.onHand)) \(row.unit), \(row.status.rawValue)"
                        + (row.expiresAt.map { ", use by \(Instant.format($0, in: zone))" } ?? "")
                        + (row.supplier.map { ", from \($0) lot \(row.supplierLot ?? "?")" } ?? "")
                        + (row.location.map { ", in \($0)" } ?? ""))
            }
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Receive a delivery as a new lot; a warm chilled delivery, or one from a supplier not approved, is held or refused."
        )
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The new lot's id.") var lot: String
        @Option(help: "The item delivered (from items: in site.yaml).") var item: String
        @Option(help: "How much, in the item's unit.") var quantity: Double
        @Option(help: "The supplier (from suppliers: in site.yaml).") var supplier: String
        @Option(name: .customLong("supplier-lot"), help: "The supplier's lot or date code.") var supplierLot: String
        @Option(help: "Use-by (a local date or time); the item's shelf life from receipt when absent.") var expires:
            String?
        @Option(help: "The delivery's temperature, judged by the site's receiving check.") var temperature: Double?
        @Option(help: "The purchase order it arrives on (partial deliveries count against it).") var po: String?
        @Option(help: "Where it is put away (chiller-1, rack B3).") var location: String?
        @Option(help: "The supplier's certificate of analysis (number or where it is filed).") var certificate: String?
        @Option(help: "The unit of --quantity, to be sure it is the item's (kg).") var unit: String?
        @Option(help: "What one unit cost, in the site's currency: the lot's price for actual costs.") var price:
            Double?
        @Option(help: "Staff id of who received it.") var by: String?
        @Option(help: "When (site-local unless a zone is given); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let instant = try parseInstant(at, option: "--at", in: zone)
            let expiry = try expires.map { text in
                guard let date = Instant.parseDeadline(text, in: zone) else {
                    throw ValidationError("--expires: '\(text)' is not a date (2026-12-01) or a date and time")
                }
                return date
            }
            let findings = try host.receive(
                .init(
                    lot: lot, item: item, quantity: quantity, supplier: supplier, supplierLot: supplierLot,
                    expiresAt: expiry, temperature: temperature, purchaseOrder: po, location: location,
                    certificate: certificate, unit: unit, unitPrice: price, by: by, at: instant))
            if output.json { return try output.print(json: findings) }
            print("received lot \(lot): \(item) \(CriticalLimits.format(quantity)) from \(supplier) lot \(supplierLot)")
            for finding in findings { print(FindingsCommand.line(for: finding, timeZone: zone)) }
        }
    }

    struct Consume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Use part of a lot to make another lot (the lot it goes into must exist).")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The lot used.") var from: String
        @Option(help: "The lot it goes into.") var into: String
        @Option(help: "How much of it.") var quantity: Double
        @Option(help: "Staff id.") var by: String?
        @Option(help: "When; now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let movement = try host.consume(
                from: from, into: into, quantity: quantity, by: by,
                at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
            if output.json { return try output.print(json: movement) }
            print("\(CriticalLimits.format(quantity)) of \(from) went into \(into)")
        }
    }

    struct Ship: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ship part of a lot to a customer.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The lot shipped.") var lot: String
        @Option(help: "The customer.") var customer: String
        @Option(help: "How much.") var quantity: Double
        @Option(help: "Staff id.") var by: String?
        @Option(help: "When; now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let movement = try host.ship(
                lot: lot, customer: customer, quantity: quantity, by: by,
                at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
            if output.json { return try output.print(json: movement) }
            print("shipped \(CriticalLimits.format(quantity)) of \(lot) to \(customer)")
        }
    }

    struct Adjust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a counted difference (+ or -) or scrap, with its reason; stock never goes below zero.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The lot.") var lot: String
        @Option(help: "The difference counted (-2.5), or with --scrap the quantity scrapped (2.5).") var quantity:
            Double
        @Flag(help: "Scrap: the quantity leaves stock.") var scrap = false
        @Option(help: "Why.") var reason: String
        @Option(help: "Staff id.") var by: String?
        @Option(help: "When; now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let movement = try host.adjust(
                lot: lot, by: scrap ? -abs(quantity) : quantity, scrap: scrap, reason: reason, person: by,
                at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
            if output.json { return try output.print(json: movement) }
            print("\(scrap ? "scrapped" : "adjusted") \(lot) by \(CriticalLimits.format(movement.quantity))")
        }
    }
}

extension MaterialsCommand {
    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a cycle count: the variance against the book stock becomes an adjustment.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The lot counted.") var lot: String
        @Option(help: "What was counted, in the item's unit.") var counted: Double
        @Option(help: "Staff id.") var by: String?
        @Option(help: "When; now when absent.") var at: String?

        struct Counted: Encodable {
            var lot: String
            var counted: Double
            var book: Double
            var variance: Double
            var adjustment: StockMovement?
        }

        func run() throws {
            let host = try site.open()
            let result = try host.count(
                lot: lot, counted: counted, by: by,
                at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
            let variance = counted - result.book
            if output.json {
                return try output.print(
                    json: Counted(
                        lot: lot, counted: counted, book: result.book,
                        variance: result.adjustment == nil ? 0 : variance,
                        adjustment: result.adjustment))
            }
            print(
                result.adjustment == nil
                    ? "\(lot): counted \(CriticalLimits.format(counted)), as the book says"
                    : "\(lot): counted \(CriticalLimits.format(counted)), book \(CriticalLimits.format(result.book)), "
                        + "variance \(variance > 0 ? "+" : "")\(CriticalLimits.format(variance)) recorded")
        }
    }
}

extension MaterialsCommand {
    struct Transfer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a whole lot to another store location.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The lot.") var lot: String
        @Option(help: "Where it goes.") var to: String
        @Option(help: "Staff id.") var by: String?
        @Option(help: "When; now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let moved = try host.transfer(
                lot: lot, to: to, by: by, at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
            if output.json { return try output.print(json: moved) }
            print("\(lot): \(moved.from ?? "(not placed)") → \(moved.to)")
        }
    }
}

/// `takt trace back|forward LOT`: where a lot came from, or where it went.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "Trace a lot back to its suppliers or forward to its customers.",
        subcommands: [Back.self, Forward.self])

    struct Back: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The lots a lot was made from, back to suppliers.")
        @OptionGroup var trace: TraceOptions
        func run() throws { try trace.run { host, lot throws(HostError) in try host.traceBack(lot) } }
    }

    struct Forward: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The lots a lot went into, forward to customers.")
        @OptionGroup var trace: TraceOptions
        func run() throws { try trace.run { host, lot throws(HostError) in try host.traceForward(lot) } }
    }

    /// What both directions take: the site, `--json` and the lot.
    struct TraceOptions: ParsableArguments {
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The lot.") var lot: String

        func run(_ trace: (SiteHost, String) throws(HostError) -> TraceNode) throws {
            let host = try site.open()
            let tree = try trace(host, lot)
            if output.json { return try output.print(json: tree) }
            TraceCommand.print(tree, zone: host.definition.timeZone)
        }
    }

    static func print(_ node: TraceNode, zone: TimeZone, depth: Int = 0) {
        let indent = String(repeating: "  ", count: depth) + (depth == 0 ? "" : "└ ")
        var line = "\(indent)\(node.lot) (\(node.item))"
        if let quantity = node.quantity { line += " \(CriticalLimits.format(quantity))" }
        line += ", on hand \(CriticalLimits.format(node.onHand)), \(node.status.rawValue)"
        if let origin = node.origin { line += ", from \(origin.supplier) lot \(origin.supplierLot)" }
        Swift.print(line)
        for shipment in node.shipments {
            Swift.print(
                String(repeating: "  ", count: depth + 1)
                    + "→ shipped \(CriticalLimits.format(-shipment.quantity)) to \(shipment.customer ?? "?") \(Instant.format(shipment.at, in: zone))"
            )
        }
        for child in node.children { print(child, zone: zone, depth: depth + 1) }
    }
}

/// `takt recall --supplier-lot X [--hold --by STAFF]`.
struct RecallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract: "Every lot made from a supplier's lot, its stock on site and every shipment; --hold holds the stock.")
    @OptionGroup var site: SiteOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("supplier-lot"), help: "The supplier's lot or date code.") var supplierLot: String
    @Flag(help: "Put every affected lot still on site on hold.") var hold = false
    @Option(help: "Staff id of who holds them (with --hold).") var by: String?

    func validate() throws {
        if hold && by == nil { throw ValidationError("--hold needs --by: who holds the stock") }
    }

    func run() throws {
        let host = try site.open()
        let recall = try host.recall(supplierLot: supplierLot, holdBy: hold ? by : nil, at: Date())
        if output.json { return try output.print(json: recall) }
        let zone = host.definition.timeZone
        for tree in recall.trees { TraceCommand.print(tree, zone: zone) }
        print(
            "in stock: "
                + (recall.inStock.isEmpty
                    ? "none"
                    : recall.inStock.map { "\($0.lot) \(CriticalLimits.format($0.onHand))" }.joined(separator: ", ")))
        print(
            "shipped: "
                + (recall.shipments.isEmpty
                    ? "none" : recall.shipments.map { "\($0.lot) to \($0.customer ?? "?")" }.joined(separator: ", ")))
        if !recall.held.isEmpty { print("held: " + recall.held.joined(separator: ", ")) }
    }
}
