/// What stops central from starting or serving, in words an administrator can act on.
public enum CentralError: Error, CustomStringConvertible, Sendable {
    /// The certificate or key for TLS could not be read.
    case tls(String)
    /// A secret (the PostgreSQL URL or password) could not be read from where central.yaml says.
    case secret(String)

    public var description: String {
        switch self {
        case .tls(let why): return "cannot serve TLS: \(why)"
        case .secret(let why): return why
        }
    }
}
