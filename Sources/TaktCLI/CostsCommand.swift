import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt costs`: costs in the site's currency, rolled up in the region's.
struct CostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs", abstract: "Record costs in the site's currency; list them with the region's roll-up.",
        subcommands: [List.self, Add.self], defaultSubcommand: List.self)

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
            var line = String(format: "recorded %.2f %@ (%@)", entry.amount, entry.currency, entry.category)
            if let region = entry.regionAmount, let currency = entry.regionCurrency {
                line += String(format: " = %.2f %@ for the region", region, currency)
            }
            print(line)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Costs over a period, with totals per category.")
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
            let region = host.definition.rules.currencyRollUp
            for (category, items) in Dictionary(grouping: entries, by: \.category).sorted(by: { $0.key < $1.key }) {
                var line = String(format: "%@: %.2f %@", category, items.map(\.amount).reduce(0, +), currency)
                if let region {
                    line += String(
                        format: " = %.2f %@", items.compactMap(\.regionAmount).reduce(0, +), region.regionCurrency)
                }
                print(line)
            }
            var total = String(format: "total: %.2f %@", entries.map(\.amount).reduce(0, +), currency)
            if let region {
                total += String(
                    format: " = %.2f %@ (at %g %@ per %@)", entries.compactMap(\.regionAmount).reduce(0, +),
                    region.regionCurrency,
                    region.rate, region.regionCurrency, currency)
            }
            print(total)
        }
    }
}
