import ArgumentParser
import Foundation
import TaktCore
import TaktHost

struct OrdersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders", abstract: "Import, list and complete production orders.",
        subcommands: [Import.self, List.self, Complete.self])

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report an order's production complete; it leaves planning.")

        @OptionGroup var site: SiteOptions
        @Option(help: "The order id.") var id: String
        @OptionGroup var output: OutputOptions

        struct Completed: Encodable {
            var order: String
            var completedAt: Date
        }

        func run() throws {
            let host = try site.open()
            let now = Date()
            try host.completeOrder(id, at: now)
            if output.json { return try output.print(json: Completed(order: id, completedAt: now)) }
            print("order \(id) done")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import orders from CSV (id, product, quantity, due, priority, release); all rows or none.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The CSV file.")
        var file: String

        func run() throws {
            let host = try site.open()
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw HostError.cannotRead(path: file, reason: (error as NSError).localizedDescription)
            }
            let summary = try host.importOrders(csv: text, file: file, at: Date())
            if output.json {
                try output.print(json: summary)
            } else {
                print(
                    "imported \(summary.added + summary.updated) order(s): \(summary.added) new, \(summary.updated) updated"
                )
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open orders by due date.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let orders = try host.openOrders()
            if output.json { return try output.print(json: orders) }
            for order in orders {
                print(
                    "\(order.id)  \(order.product)  \(CriticalLimits.format(order.quantity))  due "
                        + "\(Instant.formatDeadline(order.due, in: host.definition.timeZone))  priority \(order.priority)"
                )
            }
            if orders.isEmpty { print("no open orders") }
        }
    }
}
