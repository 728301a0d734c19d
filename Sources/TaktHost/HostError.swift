import TaktCore
import TaktStore

/// One problem in a site's configuration, located by file, line and key path.
public struct ConfigurationProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Dotted key path, such as `rules.checks[0].max`.
    public var path: String
    public var message: String

    public init(file: String, line: Int?, path: String, message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// What can go wrong in the site host, in words a production manager can act on.
public enum HostError: Error, Sendable, CustomStringConvertible {
    /// The site's configuration has problems; nothing was started or written.
    case invalidSite([ConfigurationProblem])
    /// A file could not be read.
    case cannotRead(path: String, reason: String)
    /// An input refers to something the site does not have.
    case unknown(kind: String, id: String, known: [String])
    /// A value on the command line or in an event is not acceptable.
    case invalidInput(String)
    /// Rows of an imported file are wrong; nothing was imported.
    case invalidRows(file: String, problems: [String])
    /// The site's rules refuse the change; each line names the rule.
    case refused([String])
    /// The site database failed.
    case store(StoreError)

    public var description: String {
        switch self {
        case .invalidSite(let problems): return problems.map(\.description).joined(separator: "\n")
        case .cannotRead(let path, let reason): return "\(path): cannot read: \(reason)"
        case .unknown(let kind, let id, let known):
            let hint = known.isEmpty ? "the site has none" : "known: " + known.sorted().joined(separator: ", ")
            return "unknown \(kind) '\(id)' (\(hint))"
        case .invalidInput(let message): return message
        case .invalidRows(let file, let problems):
            return problems.map { "\(file):\($0)" }.joined(separator: "\n") + "\nnothing was imported"
        case .refused(let reasons): return "refused:\n" + reasons.map { "  \($0)" }.joined(separator: "\n")
        case .store(let error): return error.description
        }
    }

    /// Whether the fault is in what the user supplied (exit code 2) rather than in the system (exit code 1).
    public var isBadInput: Bool {
        switch self {
        case .invalidSite, .unknown, .invalidInput, .invalidRows, .cannotRead, .refused: return true
        case .store(let error): return error.isBadInput
        }
    }
}
