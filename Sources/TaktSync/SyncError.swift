/// What can go wrong between a site and central, in words an operator can act on.
public enum SyncError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request's signature, key or site did not check out.
    case unauthorized(String)
    /// The request was signed too far from central's clock; says both times.
    case clockSkew(serverTime: Double, requestTime: Double)
    /// The batch is not acceptable as sent; resending it will not help.
    case malformed(String)
    /// Central expects the batch to start at `expected`.
    case gap(expected: Int64)
    /// Central is busy; try again after the given seconds.
    case busy(retryAfter: Double)
    /// The network or central failed; try again.
    case transport(String)
    /// A key file is missing, unreadable, or readable by others.
    case key(String)

    public var description: String {
        switch self {
        case .unauthorized(let why): return "central refused the request: \(why)"
        case .clockSkew(let server, let request):
            return "clock skew: central's time is \(Int(server)), the request was signed at \(Int(request)) "
                + "(\(Int(request - server)) s apart); fix the site's clock (NTP) — the key itself is fine"
        case .malformed(let why): return "central rejected the batch as malformed: \(why)"
        case .gap(let expected): return "central expects sequence \(expected) next"
        case .busy(let seconds): return "central is busy; retry after \(seconds) s"
        case .transport(let why): return "could not reach central: \(why)"
        case .key(let why): return why
        }
    }
}
