import Foundation
import GRDB

/// One change waiting to be sent to central, numbered gaplessly per site database.
public struct OutboxEntry: Hashable, Sendable, Codable {
    /// Facts are never dropped; a latest-state record may be replaced by a newer one with the same key.
    public enum Class: String, Hashable, Sendable, Codable, DatabaseValueConvertible {
        case fact, state
    }

    public var seq: Int64
    public var epoch: String
    /// What the payload is: `check_reading`, `finding`, `lot`, `order`, `incident`, ...
    public var kind: String
    public var `class`: Class
    /// For state records, what they are the latest state of (a lot id); for facts, their own id.
    public var key: String
    /// The record as JSON.
    public var payload: String
    public var createdAt: Date
    public var ackedAt: Date?
    /// SHA-256 of this row and the hash of the row before it (`AuditChain`): an edit or a removal breaks the chain.
    public var hash: String? = nil
    /// The hash this row chains from (the row before it, or the epoch's start), kept so central can check each
    /// record it holds even where the rows between were never sent (superseded states).
    public var previousHash: String? = nil
}

extension OutboxEntry: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "outbox"
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
