import Foundation
import TaktCore

/// Reads production orders from CSV: a header row naming the columns `id`, `product`, `quantity`, `due`, and
/// optionally `priority` (1 when empty) and `release`; times are site-local unless they carry a zone. A bare
/// `due` date means by the end of that day; a bare `release` date means from the start of it.
///
/// Files from real spreadsheets are read as they come: UTF-8, UTF-16 or Windows-1252; separated by `,`, `;` or
/// tabs (detected from the header, or given); decimal commas where the separator allows them; columns an ERP
/// export adds are ignored with a note, and its own column names can be mapped (`columns`). Every bad row is
/// reported with its line number, and then nothing is imported.
public struct OrderCSV: Sendable {
    public let definition: SiteDefinition

    /// How to read a file; every field has a default.
    public struct Options: Sendable {
        /// The field separator; detected from the header line when nil.
        public var delimiter: Character?
        /// Takt's column name → the file's: `["id": "Order No", "due": "Delivery date"]`.
        public var columns: [String: String]

        public init(delimiter: Character? = nil, columns: [String: String] = [:]) {
            self.delimiter = delimiter
            self.columns = columns
        }
    }

    static let known = ["id", "product", "quantity", "due", "priority", "release"]

    public init(definition: SiteDefinition) {
        self.definition = definition
    }

    /// Parses `text`; returns the orders and what the reader noticed (ignored columns, the separator).
    public func parse(_ text: String, file: String, options: Options = Options()) throws(HostError) -> (
        orders: [Order], notes: [String]
    ) {
        var notes: [String] = []
        let delimiter = options.delimiter ?? SpreadsheetText.delimiter(of: text)
        if delimiter != "," { notes.append("fields separated by '\(delimiter == "\t" ? "tab" : String(delimiter))'") }
        let (rows, syntax) = CSVReader(delimiter: delimiter).rows(text)
        guard syntax.isEmpty else { throw .invalidRows(file: file, problems: syntax) }
        guard let header = rows.first else { throw .invalidRows(file: file, problems: ["1: the file is empty"]) }
        var problems: [String] = []
        for (takt, _) in options.columns where !Self.known.contains(takt) {
            problems.append("--columns: '\(takt)' is not a column Takt reads (\(Self.known.joined(separator: ", ")))")
        }
        let renamed = Dictionary(
            options.columns.map { ($0.value.trimmingCharacters(in: .whitespaces).lowercased(), $0.key) },
            uniquingKeysWith: { first, _ in first })
        let columns = header.fields.map { field -> String in
            let name = field.trimmingCharacters(in: .whitespaces).lowercased()
            return renamed[name] ?? name
        }
        var counted: [String: Int] = [:]
        for column in columns { counted[column, default: 0] += 1 }
        for (column, count) in counted.sorted(by: { $0.key < $1.key }) where count > 1 {
            problems.append("\(header.line): column '\(column)' appears \(count) times")
        }
        let ignored = columns.filter { !Self.known.contains($0) }
        if !ignored.isEmpty {
            notes.append(
                "ignored column(s) \(ignored.map { "'\($0)'" }.joined(separator: ", ")) (Takt reads "
                    + "\(Self.known.joined(separator: ", ")); map one with --columns id=\"Order No\")")
        }
        for required in ["id", "product", "quantity", "due"] where !columns.contains(required) {
            problems.append("\(header.line): missing column '\(required)'")
        }
        guard problems.isEmpty else { throw .invalidRows(file: file, problems: problems) }
        var orders: [Order] = []
        var seen: [String: Int] = [:]
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.fields.count == columns.count else {
                problems.append("\(row.line): expected \(columns.count) fields, found \(row.fields.count)")
                continue
            }
            let value = Dictionary(
                zip(columns, row.fields.map { $0.trimmingCharacters(in: .whitespaces) }),
                uniquingKeysWith: { first, _ in first })
            switch order(from: value, decimalComma: delimiter != ",") {
            case .success(let order):
                if let first = seen[order.id] {
                    problems.append("\(row.line): order '\(order.id)' is also on line \(first)")
                } else {
                    seen[order.id] = row.line
                    orders.append(order)
                }
            case .failure(let message): problems.append("\(row.line): \(message.text)")
            }
        }
        guard problems.isEmpty else { throw .invalidRows(file: file, problems: problems) }
        return (orders, notes)
    }

    struct RowProblem: Error { var text: String }

    private func order(from value: [String: String], decimalComma: Bool) -> Result<Order, RowProblem> {
        let id = value["id"] ?? ""
        guard !id.isEmpty else { return .failure(.init(text: "id is empty")) }
        let product = value["product"] ?? ""
        guard definition.products[product] != nil else {
            let known = definition.products.keys.sorted().joined(separator: ", ")
            return .failure(.init(text: "order \(id): unknown product '\(product)' (known: \(known))"))
        }
        guard let quantity = SpreadsheetText.number(value["quantity"] ?? "", decimalComma: decimalComma) else {
            let example = decimalComma ? "1200 or 1.200,5" : "1200 or 1200.5"
            return .failure(
                .init(text: "order \(id): quantity '\(value["quantity"] ?? "")' is not a number (write \(example))"))
        }
        guard quantity > 0 else {
            return .failure(.init(text: "order \(id): quantity must be positive, not \(value["quantity"]!)"))
        }
        guard let due = Instant.parseDeadline(value["due"] ?? "", in: definition.timeZone) else {
            return .failure(
                .init(text: "order \(id): due '\(value["due"] ?? "")' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"))
        }
        var release: Date?
        if let text = value["release"], !text.isEmpty {
            guard let parsed = Instant.parse(text, in: definition.timeZone) else {
                return .failure(.init(text: "order \(id): release '\(text)' is not a date"))
            }
            guard parsed <= due else {
                return .failure(.init(text: "order \(id): due \(value["due"]!) is before release \(text)"))
            }
            release = parsed
        }
        var priority = 1
        if let text = value["priority"], !text.isEmpty {
            guard let parsed = Int(text), parsed >= 1 else {
                return .failure(.init(text: "order \(id): priority '\(text)' must be a whole number from 1 up"))
            }
            priority = parsed
        }
        return .success(
            Order(id: id, product: product, quantity: quantity, release: release, due: due, priority: priority))
    }
}
