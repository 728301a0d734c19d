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
        }
    }
}
