import Foundation
import TaktCore

/// Reads production orders from CSV: a header row naming the columns `id`, `product`, `quantity`, `due`, and
/// optionally `priority` (1 when empty) and `release`; times are site-local unless they carry a zone. A bare
/// `due` date means by the end of that day; a bare `release` date means from the start of it.
///
/// Every bad row is reported with its line number, and then nothing is imported.
public struct OrderCSV: Sendable {
    public let definition: SiteDefinition

    public init(definition: SiteDefinition) {
        self.definition = definition
    }

    public func parse(_ text: String, file: String) throws(HostError) -> [Order] {
        let rows = Self.rows(text)
        guard let header = rows.first else { throw .invalidRows(file: file, problems: ["1: the file is empty"]) }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let known: Set = ["id", "product", "quantity", "due", "priority", "release"]
        var problems: [String] = []
        for column in columns where !known.contains(column) {
            problems.append(
                "\(header.line): unknown column '\(column)' (known: id, product, quantity, due, priority, release)")
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
                uniqueKeysWithValues: zip(columns, row.fields.map { $0.trimmingCharacters(in: .whitespaces) }))
            switch order(from: value) {
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
        return orders
    }

    struct RowProblem: Error { var text: String }

    private func order(from value: [String: String]) -> Result<Order, RowProblem> {
        let id = value["id"] ?? ""
        guard !id.isEmpty else { return .failure(.init(text: "id is empty")) }
        let product = value["product"] ?? ""
        guard definition.products[product] != nil else {
            let known = definition.products.keys.sorted().joined(separator: ", ")
            return .failure(.init(text: "order \(id): unknown product '\(product)' (known: \(known))"))
        }
        guard let quantity = Double(value["quantity"] ?? ""), quantity.isFinite else {
            return .failure(.init(text: "order \(id): quantity '\(value["quantity"] ?? "")' is not a number"))
        }
        guard quantity > 0 else {
            return .failure(.init(text: "order \(id): quantity must be positive, not \(value["quantity"]!)"))
        }
        guard let due = Self.due(value["due"] ?? "", in: definition.timeZone) else {
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

    /// A due date: a bare date means by the end of that day (the next midnight, site-local).
    static func due(_ text: String, in timeZone: TimeZone) -> Date? {
        if let day = LocalDate(parsing: text.trimmingCharacters(in: .whitespaces)) {
            return day.next(in: timeZone).instant(in: timeZone)
        }
        return Instant.parse(text, in: timeZone)
    }

    /// Splits CSV text into rows of fields, honouring quotes ("a, b" and "" inside quotes), with the line each
    /// row starts on.
    static func rows(_ text: String) -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var characters = Array(text.replacingOccurrences(of: "\r\n", with: "\n"))
        if characters.last != "\n" { characters.append("\n") }
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if quoted {
                if character == "\"" {
                    if index + 1 < characters.count, characters[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else if character == "\n" {
                fields.append(field)
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowLine, fields)) }
                fields = []
                field = ""
                line += 1
                rowLine = line
            } else {
                field.append(character)
            }
            index += 1
        }
        return rows
    }
}
