import TaktCore

/// The configuration page's picker: adds a tighter limit to the document a person is writing, as the line they
/// would have typed, so what is published is always the text they can read and edit.
enum LimitPicker {
    enum Problem: Error, Equatable, CustomStringConvertible {
        case noLimit
        case notANumber(String)
        case cannotPlace

        var description: String {
            switch self {
            case .noLimit: return "Give a new minimum, a new maximum or both."
            case .notANumber(let text): return "'\(text.prefix(40))' is not a number (write 4.5)."
            case .cannotPlace:
                return
                    "The picker adds to an empty document or to one with a block-style 'rules:' section; add this limit by hand."
            }
        }
    }

    /// `document` with `- {rule: RULE, min: MIN, max: MAX}` added under `rules:` → `limits:`, which are created
    /// when missing. `min` and `max` are as typed (`4,5` reads as 4.5); an empty one is left out.
    static func add(rule: String, min: String, max: String, to document: String) throws(Problem) -> String {
        func number(_ text: String) throws(Problem) -> Double? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            guard let value = Double(trimmed.replacingOccurrences(of: ",", with: ".")), value.isFinite else {
                throw .notANumber(trimmed)
            }
            return value
        }
        let low = try number(min)
        let high = try number(max)
        guard low != nil || high != nil else { throw .noLimit }
        var entry = "{rule: \(rule)"
        if let low { entry += ", min: \(CriticalLimits.format(low))" }
        if let high { entry += ", max: \(CriticalLimits.format(high))" }
        entry += "}"
        var lines = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        if lines.isEmpty { return "rules:\n  limits:\n    - \(entry)\n" }
        guard let rules = lines.firstIndex(where: { $0.hasPrefix("rules:") }),
            lines[rules].trimmingCharacters(in: .whitespaces) == "rules:"
        else { throw .cannotPlace }
        // The end of the rules section: the next line that is not indented.
        let end =
            lines[(rules + 1)...].firstIndex { !$0.isEmpty && !$0.hasPrefix(" ") && !$0.hasPrefix("#") } ?? lines.count
        if lines[(rules + 1)..<end].contains(where: {
            let text = $0.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("limits:") && text != "limits:"
        }) {
            throw .cannotPlace
        }
        if let limits = lines[(rules + 1)..<end].firstIndex(where: {
            $0.trimmingCharacters(in: .whitespaces) == "limits:"
        }) {
            let indent = String(lines[limits].prefix { $0 == " " })
            // After the last entry of the limits list: lines indented deeper than `limits:`.
            var at = limits + 1
            while at < end, lines[at].hasPrefix(indent + " ") || lines[at].hasPrefix(indent + "-") { at += 1 }
            let item = lines[(limits + 1)..<at].first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("-") }
            let dash = item.map { String($0.prefix { $0 == " " }) } ?? indent + "  "
            lines.insert(dash + "- " + entry, at: at)
        } else {
            let indent =
                lines[(rules + 1)..<end].first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
                    String($0.prefix { $0 == " " })
                } ?? "  "
            lines.insert(contentsOf: [indent + "limits:", indent + "  - " + entry], at: rules + 1)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
