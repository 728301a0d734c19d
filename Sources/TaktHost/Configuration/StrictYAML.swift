import Foundation
import TaktCore
import Yams

/// Decodes configuration from YAML strictly: wrong types, missing keys and unknown keys are all problems,
/// each located by line and key path.
///
/// Unknown keys are found by walking the decoded value beside the document: at each mapping that decoded into
/// a struct, the known keys are the snake_case forms of the struct's stored properties (`maxCelsius` is
/// `max_celsius`). Configuration types therefore name their keys that way; a dictionary's keys are data and
/// are not checked.
enum StrictYAML {
    /// Parses `text` into a node tree, or a problem located at the syntax error.
    static func compose(_ text: String, file: String) throws(HostError) -> Node {
        do {
            return try Yams.compose(yaml: text) ?? Node.mapping(.init([]))
        } catch let error as YamlError {
            if let tab = tabIndentation(in: text) {
                throw .invalidSite([
                    ConfigurationProblem(
                        file: file, line: tab, path: "",
                        message: "YAML does not allow tabs for indentation; indent with spaces")
                ])
            }
            throw .invalidSite([Self.problem(error, file: file)])
        } catch {
            throw .invalidSite([ConfigurationProblem(file: file, line: nil, path: "", message: "\(error)")])
        }
    }

    /// Decodes `T` from `node`, returning it with the unknown keys found in `node`; `prefix` is the key path of
    /// `node` in its file, for messages. Throws for what stops decoding: a wrong type or a missing key.
    static func decode<T: Codable>(
        _ type: T.Type, from node: Node, file: String, prefix: [String] = []
    ) throws(HostError) -> (value: T, unknownKeys: [ConfigurationProblem]) {
        let value: T
        do {
            value = try YAMLDecoder().decode(T.self, from: node)
        } catch let error as DecodingError {
            throw .invalidSite(allMissingKeys(T.self, first: error, root: node, file: file, prefix: prefix))
        } catch {
            throw .invalidSite([
                ConfigurationProblem(file: file, line: node.mark?.line, path: join(prefix), message: "\(error)")
            ])
        }
        return (value, unknownKeys(in: node, value: value, path: prefix, file: file))
    }

    /// Every missing key, not only the first the decoder stops at: after each, a placeholder text is put where
    /// the key belongs and decoding tried again, until it stops for something else (most required keys are
    /// text; a placeholder of the wrong type ends the search quietly).
    static func allMissingKeys<T: Decodable>(
        _ type: T.Type, first: DecodingError, root: Node, file: String, prefix: [String]
    ) -> [ConfigurationProblem] {
        var problems = [problem(first, root: root, file: file, prefix: prefix)]
        var error = first
        var patched = root
        var placed: [[String]] = []
        for _ in 0..<20 {
            guard case .keyNotFound(let key, let context) = error else { break }
            let path = context.codingPath + [key]
            guard let next = setting(Node("\u{0}placeholder"), at: path, in: patched) else { break }
            patched = next
            placed.append(components(path))
            do {
                _ = try YAMLDecoder().decode(T.self, from: patched)
                break
            } catch let again as DecodingError {
                if case .keyNotFound = again {
                    problems.append(problem(again, root: root, file: file, prefix: prefix))
                } else if let at = again.codingPath, !placed.contains(components(at)) {
                    problems.append(problem(again, root: root, file: file, prefix: prefix))
                    break
                } else {
                    break
                }
                error = again
            } catch {
                break
            }
        }
        return problems
    }

    /// `root` with `value` set at `path` (creating the last key only), or nil when the path does not lead there.
    static func setting(_ value: Node, at path: [any CodingKey], in root: Node) -> Node? {
        guard let head = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch root {
        case .mapping(var mapping):
            let key = Node(head.stringValue)
            if rest.isEmpty {
                mapping[key] = value
            } else {
                guard let child = mapping[key], let updated = setting(value, at: rest, in: child) else { return nil }
                mapping[key] = updated
            }
            return .mapping(mapping)
        case .sequence(var sequence):
            guard let index = head.intValue, index < sequence.count,
                let updated = setting(value, at: rest, in: sequence[index])
            else { return nil }
            sequence[index] = updated
            return .sequence(sequence)
        default:
            return nil
        }
    }

    /// The node at `path` below `root`, if there is one.
    static func node(at path: [any CodingKey], in root: Node) -> Node? {
        var current = root
        for key in path {
            if let index = key.intValue, let sequence = current.sequence {
                guard index < sequence.count else { return nil }
                current = sequence[index]
            } else if let mapping = current.mapping, let next = mapping[Node(key.stringValue)] {
                current = next
            } else {
                return nil
            }
        }
        return current
    }

    static func join(_ path: [String]) -> String {
        path.reduce(into: "") { text, part in
            if part.hasPrefix("[") { text += part } else { text += text.isEmpty ? part : "." + part }
        }
    }

    static func components(_ path: [any CodingKey]) -> [String] {
        path.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
    }

    /// The first line (1-based) indented with a tab, if any.
    static func tabIndentation(in text: String) -> Int? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") { return index + 1 }
        }
        return nil
    }

    /// Values the configuration's enumerations take, by type name, to say what a wrong value should be.
    static let enumerations: [String: (noun: String, values: [String])] = [
        "Weekday": ("a day", Weekday.allCases.map(\.rawValue)),
        "Severity": ("a severity", Severity.allCases.map(\.rawValue)),
        "BreachAction": ("a breach action", CheckDefinition.BreachAction.allCases.map(\.rawValue)),
        "Slot": ("a slot", ["hygiene", "safety"]),
    ]

    /// `Cannot initialize Weekday from invalid String value Mon` in the project's words:
    /// `'Mon' is not a day; use mon, tue, …`.
    static func enumerationMessage(_ description: String) -> String? {
        guard description.hasPrefix("Cannot initialize "),
            let from = description.range(of: " from invalid String value ")
        else { return nil }
        let type = String(description[description.index(description.startIndex, offsetBy: 18)..<from.lowerBound])
        let value = String(description[from.upperBound...])
        guard let known = enumerations[type] else { return "'\(value)' is not a valid value here" }
        return "'\(value)' is not \(known.noun); use \(known.values.joined(separator: ", "))"
    }

    private static func problem(_ error: DecodingError, root: Node, file: String, prefix: [String])
        -> ConfigurationProblem
    {
        switch error {
        case .keyNotFound(let key, let context):
            let parent = node(at: context.codingPath, in: root)
            var message = "missing key '\(key.stringValue)'"
            let siblings = (parent?.mapping?.keys.compactMap(\.string) ?? [])
            if let near = siblings.first(where: { distance($0, key.stringValue) <= 2 }) {
                message += "; found '\(near)': did you mean '\(key.stringValue)'?"
            }
            return ConfigurationProblem(
                file: file, line: parent?.mark?.line, path: join(prefix + components(context.codingPath)),
                message: message)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let line = node(at: context.codingPath, in: root)?.mark?.line
            return ConfigurationProblem(
                file: file, line: line, path: join(prefix + components(context.codingPath)),
                message: "expected \(describe(type))")
        case .dataCorrupted(let context):
            let line = node(at: context.codingPath, in: root)?.mark?.line
            return ConfigurationProblem(
                file: file, line: line, path: join(prefix + components(context.codingPath)),
                message: enumerationMessage(context.debugDescription) ?? context.debugDescription)
        @unknown default:
            return ConfigurationProblem(file: file, line: nil, path: join(prefix), message: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping of keys to values" }
            return "a mapping (\(name))"
        }
    }

    private static func unknownKeys(in node: Node, value: Any, path: [String], file: String)
        -> [ConfigurationProblem]
    {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return [] }
            return unknownKeys(in: node, value: wrapped, path: path, file: file)
        }
        switch (node, mirror.displayStyle) {
        case (.mapping(let mapping), .struct?):
            let fields = Dictionary(
                mirror.children.compactMap { child in child.label.map { (snakeCase($0), child.value) } },
                uniquingKeysWith: { first, _ in first })
            var problems: [ConfigurationProblem] = []
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? "\(keyNode)"
                if let field = fields[key] {
                    problems += unknownKeys(in: valueNode, value: field, path: path + [key], file: file)
                } else {
                    var message = "unknown key '\(key)'"
                    if let guess = closest(to: key, among: Array(fields.keys)) {
                        message += "; did you mean '\(guess)'?"
                    }
                    problems.append(
                        ConfigurationProblem(file: file, line: keyNode.mark?.line, path: join(path), message: message))
                }
            }
            return problems
        case (.mapping(let mapping), .dictionary?):
            guard let dictionary = value as? [String: Any] else { return [] }
            return mapping.flatMap { keyNode, valueNode -> [ConfigurationProblem] in
                guard let key = keyNode.string, let inner = dictionary[key] else { return [] }
                return unknownKeys(in: valueNode, value: inner, path: path + [key], file: file)
            }
        case (_, .enum?):
            // A value with a payload (a switchable section that is on): check the payload's keys.
            guard let payload = mirror.children.first?.value else { return [] }
            return unknownKeys(in: node, value: payload, path: path, file: file)
        case (.sequence(let sequence), .collection?):
            return zip(sequence, mirror.children.map(\.value)).enumerated().flatMap { index, pair in
                unknownKeys(in: pair.0, value: pair.1, path: path + ["[\(index)]"], file: file)
            }
        default:
            return []
        }
    }

    /// `maxCelsius` → `max_celsius`; `postgresURL` → `postgres_url` (a run of capitals is one word).
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var text = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { text += "_" }
            }
            text += character.lowercased()
        }
        return text
    }

    /// Edit distance between two keys.
    static func distance(_ first: String, _ second: String) -> Int {
        let (a, b) = (Array(first), Array(second))
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let saved = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = saved
            }
        }
        return row[b.count]
    }

    /// The key among `candidates` within two edits of `key`, for a "did you mean" hint.
    private static func closest(to key: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(key, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private static func problem(_ error: YamlError, file: String) -> ConfigurationProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigurationProblem(file: file, line: mark.line, path: "", message: "invalid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationProblem(
                file: file, line: context.mark.line, path: "",
                message: "duplicate key(s) \(duplicates.joined(separator: ", ")) in one mapping")
        default:
            return ConfigurationProblem(file: file, line: nil, path: "", message: "invalid YAML: \(error)")
        }
    }
}

extension DecodingError {
    /// Where decoding stopped.
    var codingPath: [any CodingKey]? {
        switch self {
        case .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .dataCorrupted(let context):
            return context.codingPath
        @unknown default:
            return nil
        }
    }
}
