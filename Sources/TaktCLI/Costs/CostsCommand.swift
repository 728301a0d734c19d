import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt costs`: recorded costs, standard and actual cost with the variance, and budgets.
struct CostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs",
        abstract: "Record costs; standard cost, order cost and variance; budgets against actual and forecast.",
        subcommands: [List.self, Add.self, Standard.self, Order.self, Variance.self, Budget.self],
        defaultSubcommand: List.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a cost in the site's currency.")
        @OptionGroup var site: SiteOptions
        @Option(help: "The amount, in the site's currency.") var amount: Double
        @Option(help: "What it is: scrap, overtime, repair, freight, …") var category: String
        @Option(help: "The order it belongs to.") var order: String?
        @Option(help: "A note.") var note: String?
        @Option(help: "When (site-local); now when absent.") var at: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let entry = try host.recordCost(
                amount: amount, category: category, order: order, note: note,
                at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
            if output.json { return try output.print(json: entry) }
            print(String(format: "recorded %.2f %@ (%@)", entry.amount, entry.currency, entry.category))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Costs recorded over a period, per category.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "From (site-local); 30 days ago when absent.") var from: String?
        @Option(help: "To (site-local); now when absent.") var to: String?

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let end = try parseInstant(to, option: "--to", in: zone)
            let start =
                try from.map { try parseInstant($0, option: "--from", in: zone) }
                ?? end.addingTimeInterval(-30 * 86_400)
            let entries = try host.costs(in: DateInterval(start: start, end: max(start, end.addingTimeInterval(1))))
            if output.json { return try output.print(json: entries) }
            let currency = host.definition.site.currency
            for (category, items) in Dictionary(grouping: entries, by: \.category).sorted(by: { $0.key < $1.key }) {
                print("\(category): \(Money.text(items.map(\.amount).reduce(0, +), currency))")
            }
            print("total: \(Money.text(entries.map(\.amount).reduce(0, +), currency))")
        }
    }

    struct Standard: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The standard cost of a quantity of a product: routing × rates + materials + overhead.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The product.") var product: String
        @Option(help: "How many.") var quantity: Double = 1

        func run() throws {
            let host = try site.open()
            let cost = try host.standardCost(product: product, quantity: quantity)
            if output.json { return try output.print(json: cost) }
            print(Money.standard(cost))
        }
    }

    struct Order: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An order's actual cost against standard, with the variance in its parts.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The order.") var order: String

        func run() throws {
            let host = try site.open()
            let cost = try host.orderCost(order)
            if output.json { return try output.print(json: cost) }
            print(Money.order(cost))
        }
    }

    struct Variance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The variance of the orders produced in a month (or a period), per order or per product.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The month, YYYY-MM; this month when absent.") var month: String?
        @Option(help: "Group by order or product.") var by: Grouping = .order

        enum Grouping: String, ExpressibleByArgument, CaseIterable { case order, product }

        func run() throws {
            let host = try site.open()
            let window = try parseMonth(month, in: host.definition.timeZone).window(in: host.definition.timeZone)
            let report = try host.variance(in: window)
            if output.json { return try output.print(json: report) }
            print(Money.variance(report, byProduct: by == .product))
        }
    }

    struct Budget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a month's budget per category; show budget against actual and the forecast to month end.",
            subcommands: [Show.self, Set.self], defaultSubcommand: Show.self)

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set one category's budget for a month.")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Option(help: "The month, YYYY-MM.") var month: String
            @Option(help: "material, labour, machine, overhead, or a category of recorded costs.") var category: String
            @Option(help: "The amount, in the site's currency.") var amount: Double
            @Option(help: "Staff id of who agreed it.") var by: String?

            func run() throws {
                let host = try site.open()
                let line = try host.setBudget(
                    month: try parseMonth(month, in: host.definition.timeZone), category: category, amount: amount,
                    by: by, at: Date())
                if output.json { return try output.print(json: line) }
                print("budget \(line.month) \(line.category): \(Money.text(line.amount, line.currency))")
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Budget against actual and forecast.")
            @OptionGroup var site: SiteOptions
            @OptionGroup var output: OutputOptions
            @Option(help: "The month, YYYY-MM; this month when absent.") var month: String?

            func run() throws {
                let host = try site.open()
                let status = try host.budgetStatus(
                    of: try parseMonth(month, in: host.definition.timeZone), at: Date())
                if output.json { return try output.print(json: status) }
                print(Money.budget(status, in: host.definition.timeZone))
            }
        }
    }
}

/// `YYYY-MM` on the command line; this month when absent.
func parseMonth(_ text: String?, in zone: TimeZone) throws -> CostMonth {
    guard let text else { return CostMonth(LocalDate(Date(), in: zone)) }
    guard let month = CostMonth(parsing: text) else {
        throw ValidationError("--month: '\(text)' is not a month (write it as YYYY-MM, such as 2026-11)")
    }
    return month
}
