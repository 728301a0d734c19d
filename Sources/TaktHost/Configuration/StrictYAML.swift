import Foundation
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
            throw .invalidSite([problem(error, root: node, file: file, prefix: prefix)])
        } catch {
            throw .invalidSite([
                ConfigurationProblem(file: file, line: node.mark?.line, path: join(prefix), message: "\(error)")
            ])
        }
        return (value, unknownKeys(in: node, value: value, path: prefix, file: file))
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

    private static func problem(_ error: DecodingError, root: Node, file: String, prefix: [String])
        -> ConfigurationProblem
    {
        switch error {
        case .keyNotFound(let key, let context):
            let line = node(at: context.codingPath, in: root)?.mark?.line
            return ConfigurationProblem(
                file: file, line: line, path: join(prefix + components(context.codingPath)),
                message: "missing key '\(key.stringValue)'")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let line = node(at: context.codingPath, in: root)?.mark?.line
            return ConfigurationProblem(
                file: file, line: line, path: join(prefix + components(context.codingPath)),
                message: "expected \(describe(type))")
        case .dataCorrupted(let context):
            let line = node(at: context.codingPath, in: root)?.mark?.line
            return ConfigurationProblem(
                file: file, line: line, path: join(prefix + components(context.codingPath)),
                message: context.debugDescription)
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

    /// The key among `candidates` within two edits of `key`, for a "did you mean" hint.
    private static func closest(to key: String, among candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
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
        let scored = candidates.map { ($0, distance(Array(key), Array($0))) }.filter { $0.1 <= 2 }
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
