/// What can go wrong with a site database, with the file named so a person can find it.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// Another process holds the database; nothing was written.
    case locked(path: String)
    /// The file is not a Takt database or is damaged; nothing was written.
    case corrupt(path: String, reason: String)
    /// The database belongs to another site.
    case wrongSite(path: String, expected: String, found: String)
    /// A referenced record does not exist.
    case notFound(kind: String, id: String)
    /// A write broke a rule of the schema; the transaction was rolled back.
    case rejected(reason: String)
    /// The database was written by a newer Takt (it has migrations this build does not know).
    case newer(path: String, unknown: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "\(path): cannot open the site database: \(reason)"
        case .locked(let path):
            return "\(path): the database is locked by another process; nothing was written (try again)"
        case .corrupt(let path, let reason):
            return "\(path): not a usable Takt site database (\(reason)); nothing was written"
        case .wrongSite(let path, let expected, let found):
            return "\(path): this database belongs to site '\(found)', not '\(expected)'"
        case .notFound(let kind, let id): return "no \(kind) '\(id)' in the site database"
        case .rejected(let reason): return "the database refused the write, nothing was stored: \(reason)"
        case .newer(let path, let unknown):
            return "\(path): written by a newer Takt (it has \(unknown), which this build does "
                + "not know); run the newer takt, or upgrade this one — nothing was changed"
        }
    }

    /// Whether the fault is in what the user supplied (exit code 2) rather than in the system (exit code 1).
    public var isBadInput: Bool {
        switch self {
        case .notFound, .rejected, .wrongSite: return true
        case .cannotOpen, .locked, .corrupt, .newer: return false
        }
    }
}
