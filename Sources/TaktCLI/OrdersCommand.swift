import ArgumentParser
import Foundation
import TaktCore
import TaktHost

struct OrdersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders", abstract: "Import, list and complete production orders.",
        subcommands: [Import.self, List.self, Complete.self, Adherence.self])

    struct Adherence: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Schedule adherence of a day: orders due that day finished on time ÷ orders due.",
            discussion: """
                An order finished by its due time is on time; one open past its due time is late; one open before \
                its due time is judged by the current plan. Days are the site's own. Central shows the same figure.
                """)

        @OptionGroup var site: SiteOptions
        @Option(help: "The site-local day, YYYY-MM-DD (default today).") var day: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let now = Date()
            let zone = host.definition.timeZone
            var date = LocalDate(now, in: zone)
            if let day {
                guard let parsed = LocalDate(parsing: day) else {
                    throw ValidationError("--day: '\(day)' is not a date YYYY-MM-DD")
                }
                date = parsed
            }
            let adherence = try host.adherence(of: date, at: now)
            if output.json { return try output.print(json: adherence) }
            guard let share = adherence.share else { return print("\(date): no orders due") }
            print(
                "\(date): \(Int((share * 100).rounded())) % on time (\(adherence.onTime) of \(adherence.due) due)"
                    + (adherence.late.isEmpty ? "" : "; late: \(adherence.late.map(\.order).joined(separator: ", "))"))
        }
    }

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
            abstract: "Import orders from CSV (id, product, quantity, due, priority, release); all rows or none.",
            discussion: """
                Reads CSV as spreadsheets save it: UTF-8, UTF-16 ("Unicode text") or Windows-1252; separated by \
                commas, semicolons or tabs (detected from the header); decimal commas when the separator is not \
                a comma. Extra columns are ignored with a note; map your ERP's names with --columns.
                """)

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The field separator: , ; or tab (detected from the header when absent).")
        var delimiter: String?

        @Option(help: "Map your file's column names: id=\"Order No\",due=Delivery (Takt's name first).")
        var columns: String?

        @Argument(help: "The CSV file.", completion: .file(extensions: ["csv", "txt"]))
        var file: String

        func options() throws -> OrderCSV.Options {
            var options = OrderCSV.Options()
            if let delimiter {
                switch delimiter {
                case ",", ";": options.delimiter = Character(delimiter)
                case "tab", "\\t", "\t": options.delimiter = "\t"
                default: throw ValidationError("--delimiter: '\(delimiter)' is not , ; or tab")
                }
            }
            for pair in (columns ?? "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\"")))
                }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ValidationError("--columns: '\(pair)' is not takt_name=file_name (id=\"Order No\")")
                }
                options.columns[parts[0].lowercased()] = parts[1]
            }
            return options
        }

        func run() throws {
            let host = try site.open()
            guard let data = FileManager.default.contents(atPath: file) else {
                throw HostError.cannotRead(path: file, reason: "no such file, or it cannot be read")
            }
            let summary = try host.importOrders(csv: data, file: file, options: try options(), at: Date())
            if output.json {
                try output.print(json: summary)
            } else {
                for note in summary.notes { print("note: \(note)") }
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
