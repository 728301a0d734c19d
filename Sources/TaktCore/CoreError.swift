/// What can go wrong in the domain and the module API, in words a production manager can act on.
public enum CoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A name that is not a lowercase, dot-separated id.
    case invalidIdentifier(String)
    /// Two rules (or checks) registered under the same id.
    case duplicateRule(RuleID)
    /// Two modules with the same id in one list of built-in modules.
    case duplicateModule(ModuleID)
    /// A limit override names a rule that nobody registered.
    case unknownRule(RuleID)
    /// A limit override names a rule that has no adjustable limits.
    case notAdjustable(RuleID)
    /// A configured limit is looser than the law or the registering rule allows.
    case looserThanAllowed(rule: RuleID, setting: String, allowed: String, source: String)
    /// A configuration value that fails validation; `path` is the key path below the module's configuration.
    case invalidConfiguration(path: String, message: String)
    /// A record kind declared wrongly (bad version history, an index that is not a field).
    case invalidRecordKind(kind: RecordKindID, reason: String)
    /// A record kind whose id is not in its module's namespace.
    case recordKindOutsideNamespace(kind: RecordKindID, module: ModuleID)
    /// Two modules (or one, twice) declaring the same record kind.
    case duplicateRecordKind(kind: RecordKindID, modules: [ModuleID])
    /// A module record that cannot be read or written as its kind says; `key` names it where known.
    case invalidRecord(kind: RecordKindID, key: String?, reason: String)
    /// Input that does not fit the site's state (opening a reel that is already open); nothing was written.
    case invalidInput(String)
    /// A module command's argument that is missing or wrong; `name` as the user typed it (`--id`, `<event>`).
    case invalidArgument(name: String, message: String)

    public var description: String {
        switch self {
        case .invalidIdentifier(let text):
            return "'\(text)' is not a valid id: use lowercase letters, digits, '_' and '-', "
                + "in dot-separated segments that start with a letter"
        case .duplicateRule(let id): return "rule '\(id)' is registered twice"
        case .duplicateModule(let id): return "module '\(id)' is listed twice among the built-in modules"
        case .unknownRule(let id): return "no rule '\(id)' is registered at this site"
        case .notAdjustable(let id): return "rule '\(id)' has no limits that a site can adjust"
        case .looserThanAllowed(let rule, let setting, let allowed, let source):
            return "\(rule): \(setting) is looser than the allowed \(allowed) (\(source))"
        case .invalidConfiguration(let path, let message): return path.isEmpty ? message : "\(path): \(message)"
        case .invalidRecordKind(let kind, let reason):
            return "module \(kind.namespace): record kind '\(kind)': \(reason)"
        case .recordKindOutsideNamespace(let kind, let module):
            return "module \(module): record kind '\(kind)' must be named '\(module).…' (its module's namespace)"
        case .duplicateRecordKind(let kind, let modules):
            return "record kind '\(kind)' is declared twice (by \(modules.map(\.rawValue).joined(separator: " and ")))"
        case .invalidRecord(let kind, let key, let reason):
            return "module \(kind.namespace): \(kind) record" + (key.map { $0.isEmpty ? "" : " '\($0)'" } ?? "")
                + " \(reason)"
        case .invalidInput(let message): return message
        case .invalidArgument(let name, let message):
            return "\(name): \(message)"
        }
    }
}
