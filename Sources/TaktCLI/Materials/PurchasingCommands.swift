import ArgumentParser
import Foundation
import TaktCore
import TaktHost

extension MaterialsCommand {
    /// `takt materials plan`: what the open orders need, how stock and purchase orders cover it, and what to buy.
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Net the open orders' materials against stock and purchase orders: what is short, what to buy by when.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Create the suggested purchase orders.") var order = false
        @Option(help: "Staff id of who orders (with --order).") var by: String?
        @Option(help: "Plan as of this time (site-local); now when absent.") var at: String?

        struct Result: Encodable {
            var plan: MaterialPlan
            var shortages: [MaterialPlan.Shortage]
            var created: [PurchaseOrder]
            var left: [String]
        }

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let now = try parseInstant(at, option: "--at", in: zone)
            let plan = try host.materialPlan(at: now)
            let made: (created: [PurchaseOrder], left: [String]) =
                order ? try host.createPurchaseOrders(from: plan, by: by, at: now) : ([], [])
            if output.json {
                return try output.print(
                    json: Result(plan: plan, shortages: plan.shortages, created: made.created, left: made.left))
            }
            let unit = { (item: String) in host.definition.items[item]?.unit ?? "" }
            if plan.requirements.isEmpty { print("no open order needs materials from a bill of materials") }
            for requirement in plan.requirements {
                var cover: [String] = []
                if requirement.fromStock > 0 {
                    cover.append("\(CriticalLimits.format(requirement.fromStock)) from stock")
                }
                for (po, quantity) in requirement.purchaseOrders.sorted(by: { $0.key < $1.key }) {
                    cover.append("\(CriticalLimits.format(quantity)) on \(po)")
                }
                if requirement.short > 0 { cover.append("\(CriticalLimits.format(requirement.short)) SHORT") }
                print(
                    "\(requirement.order): \(CriticalLimits.format(requirement.quantity)) \(unit(requirement.item)) "
                        + "\(requirement.item) by \(Instant.format(requirement.neededBy, in: zone)): "
                        + cover.joined(separator: ", "))
            }
            if !plan.suggestions.isEmpty { print("\nto buy:") }
            for suggestion in plan.suggestions {
                print(
                    "  \(CriticalLimits.format(suggestion.quantity)) \(unit(suggestion.item)) \(suggestion.item) from "
                        + (suggestion.supplier ?? "(no approved supplier)") + ", needed by "
                        + Instant.format(suggestion.neededBy, in: zone)
                        + (suggestion.orderBy.map { ", order by \(Instant.format($0, in: zone))" } ?? "")
                        + (suggestion.late ? " (LATE: it cannot arrive in time)" : "") + "; \(suggestion.reason)")
            }
            for created in made.created {
                print(
                    "created \(created.id): \(CriticalLimits.format(created.quantity)) \(created.item) from \(created.supplier), due \(Instant.format(created.due, in: zone))"
                )
            }
            for line in made.left { print("not ordered: \(line)") }
        }
    }

    /// `takt materials po`: purchase orders.
    struct Purchase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "po",
            abstract: "Purchase orders: list, create, send (CSV or JSON for the supplier), close, cancel.",
            subcommands: [List.self, Create.self, Send.self, Close.self], defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Purchase orders by due date.")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Flag(help: "Closed and cancelled ones too.") var all = false

            func run() throws {
                let host = try site.open()
                let orders = try host.purchaseOrders(outstandingOnly: !all)
                if output.json { return try output.print(json: orders) }
                if orders.isEmpty { print("no purchase orders") }
                for order in orders { print(Purchase.line(order, host: host)) }
            }
        }

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a purchase order.")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Option(help: "Its id; the next PO-n when absent.") var id: String?
            @Option(help: "The supplier (approved for the item).") var supplier: String
            @Option(help: "The item.") var item: String
            @Option(help: "How much, in the item's unit.") var quantity: Double
            @Option(help: "When it is due (site-local date or time).") var due: String
            @Option(help: "Staff id.") var by: String?

            func run() throws {
                let host = try site.open()
                let zone = host.definition.timeZone
                guard let dueDate = Instant.parseDeadline(due, in: zone) else {
                    throw ValidationError("--due: '\(due)' is not a date (2026-12-01) or a date and time")
                }
                let order = try host.createPurchaseOrder(
                    id: id, supplier: supplier, item: item, quantity: quantity, due: dueDate, by: by, at: Date())
                if output.json { return try output.print(json: order) }
                print("created " + Purchase.line(order, host: host))
            }
        }

        struct Send: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Mark purchase orders sent and print them for the supplier (CSV, or JSON with --json).")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "The purchase orders; every open one when none is named.") var ids: [String] = []

            func run() throws {
                let host = try site.open()
                let now = Date()
                let chosen =
                    ids.isEmpty
                    ? try host.purchaseOrders(outstandingOnly: true).filter { $0.status == .open }.map(\.id) : ids
                let sent = try chosen.map { try host.setPurchaseOrder($0, status: .sent, at: now) }
                if output.json { return try output.print(json: sent) }
                print(Purchase.csv(sent, host: host), terminator: "")
            }
        }

        struct Close: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Close a purchase order short (nothing more will come), or cancel it.")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "The purchase order.") var id: String
            @Flag(help: "Cancel it instead.") var cancel = false

            func run() throws {
                let host = try site.open()
                let order = try host.setPurchaseOrder(id, status: cancel ? .cancelled : .closed, at: Date())
                if output.json { return try output.print(json: order) }
                print(Purchase.line(order, host: host))
            }
        }

        static func line(_ order: PurchaseOrder, host: SiteHost) -> String {
            let unit = host.definition.items[order.item]?.unit ?? ""
            return
                "\(order.id): \(CriticalLimits.format(order.quantity)) \(unit) \(order.item) from \(order.supplier), "
                + "due \(Instant.format(order.due, in: host.definition.timeZone)), \(order.status.rawValue)"
                + (order.received > 0 ? ", \(CriticalLimits.format(order.received)) received" : "")
        }

        /// One line per order for the supplier: RFC 4180 quoting.
        static func csv(_ orders: [PurchaseOrder], host: SiteHost) -> String {
            func field(_ text: String) -> String {
                text.contains(where: { ",\"\n\r".contains($0) })
                    ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }
            var out = "purchase_order,supplier,item,item_name,quantity,unit,due\r\n"
            for order in orders {
                let item = host.definition.items[order.item]
                out +=
                    [
                        order.id, order.supplier, order.item, item?.name ?? order.item,
                        CriticalLimits.format(order.quantity),
                        item?.unit ?? "", Instant.iso(order.due),
                    ].map(field).joined(separator: ",") + "\r\n"
            }
            return out
        }
    }
}
