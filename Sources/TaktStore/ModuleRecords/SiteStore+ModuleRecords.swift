import Foundation
import GRDB
import TaktCore

extension SiteStore {
    /// A module record as stored: its key (a fact's is its sequence number), schema version and payload.
    public struct StoredModuleRecord: Hashable, Sendable {
        public var key: String
        public var version: Int
        public var json: String
    }

    /// The kind with `id`, when a module this site loads declares it.
    func recordKind(_ id: RecordKindID) throws(StoreError) -> AnyRecordKind {
        guard let kind = recordKinds.first(where: { $0.id == id }) else {
            throw .rejected(reason: "no module loaded at this site keeps '\(id)' records")
        }
        return kind
    }

    /// Latest records of a state kind (by key), or facts of a fact kind (oldest first), optionally only those
    /// whose indexed `field` equals `value`, or facts at or after `since`.
    public func moduleRecords(
        _ id: RecordKindID, key: String? = nil, field: String? = nil, equals value: String? = nil,
        since: Date? = nil
    ) throws(StoreError) -> [StoredModuleRecord] {
        let kind = try recordKind(id)
        if let field, !kind.indexes.contains(field) {
            throw .rejected(
                reason: "\(id) has no index on '\(field)' (it indexes: \(kind.indexes.joined(separator: ", ")))")
        }
        return try read { db in
            try Self.moduleRecords(db, kind, key: key, field: field, equals: value, since: since)
        }
    }

    static func moduleRecords(
        _ db: Database, _ kind: AnyRecordKind, key: String? = nil, field: String? = nil, equals value: String? = nil,
        since: Date? = nil
    ) throws -> [StoredModuleRecord] {
        let table = ModuleRecordMigrations.table(kind.id)
        let keyColumn = kind.recordClass == .state ? "key" : "CAST(seq AS TEXT)"
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let key {
            conditions.append("\(keyColumn) = ?")
            _ = arguments.append(contentsOf: [key])
        }
        if let field {
            // The index is on the JSON value as stored: a number matches a number, text matches text.
            if let value, let number = Double(value), number.isFinite {
                conditions.append("json_extract(payload, '$.\(field)') IN (?, ?)")
                _ = arguments.append(contentsOf: [value, number])
            } else {
                conditions.append("json_extract(payload, '$.\(field)') = ?")
                _ = arguments.append(contentsOf: [value])
            }
        }
        if let since {
            conditions.append("at >= ?")
            _ = arguments.append(contentsOf: [since])
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let order = kind.recordClass == .state ? "key" : "at, seq"
        return try Row.fetchAll(
            db, sql: "SELECT \(keyColumn) AS key, version, payload FROM \(table)\(filter) ORDER BY \(order)",
            arguments: arguments
        ).map { StoredModuleRecord(key: $0["key"], version: $0["version"], json: $0["payload"]) }
    }

    /// Stores a module's change in one transaction: its records (each also in the outbox under its kind), the
    /// blocks it lifts, and the findings rules raised for it with their actions. Returns the findings stored.
    public func apply(
        _ writes: [RecordWrite], lifting lifts: [FindingAction] = [], by person: String? = nil, at now: Date,
        findings: [Finding] = []
    ) throws(StoreError) -> [Finding] {
        try apply(writes, lifting: lifts, by: person, at: now, basedOn: [], creates: [], reading: []) { _ in findings }
    }

    /// Judges and stores a module's change in one write transaction: `judge` gets the records of `reads` (each
    /// kind, with facts from `since`) as they stand inside the transaction, before the change, and returns the
    /// findings to store with it. A change made at the same moment elsewhere is judged before or after this one,
    /// never against the same state. An error from `judge` rolls everything back, and so does a state record
    /// in `basedOn` that no longer says what it said when the change was computed, or one in `creates` that
    /// exists already.
    public func apply(
        _ writes: [RecordWrite], lifting lifts: [FindingAction] = [], by person: String? = nil, at now: Date,
        basedOn: [RecordWrite], creates: [RecordWrite] = [], reading reads: [(kind: RecordKindID, since: Date?)],
        judge: @Sendable ([RecordKindID: [StoredModuleRecord]]) throws -> [Finding]
    ) throws(StoreError) -> [Finding] {
        var kinds: [AnyRecordKind] = []
        for write in writes { kinds.append(try recordKind(write.kind)) }
        var readKinds: [(AnyRecordKind, Date?)] = []
        for read in reads { readKinds.append((try recordKind(read.kind), read.since)) }
        let epoch = self.epoch
        var expected: [(AnyRecordKind, RecordWrite)] = []
        for write in basedOn { expected.append((try recordKind(write.kind), write)) }
        var fresh: [(AnyRecordKind, RecordWrite)] = []
        for write in creates { fresh.append((try recordKind(write.kind), write)) }
        let (resolved, toRead, unchanged, new) = (kinds, readKinds, expected, fresh)
        return try write { db in
            for (kind, write) in new where try !Self.moduleRecords(db, kind, key: write.key).isEmpty {
                throw StoreError.rejected(reason: "\(kind.id) '\(write.key ?? "")' already exists; nothing was stored")
            }
            for (kind, write) in unchanged {
                let now = try Self.moduleRecords(db, kind, key: write.key).first?.json
                guard now == write.json else {
                    throw StoreError.rejected(
                        reason: "\(kind.id) '\(write.key ?? "")' changed while this was being recorded; "
                            + "nothing was stored — look again and repeat it")
                }
            }
            var loaded: [RecordKindID: [StoredModuleRecord]] = [:]
            for (kind, since) in toRead { loaded[kind.id] = try Self.moduleRecords(db, kind, since: since) }
            let findings: [Finding]
            do { findings = try judge(loaded) } catch { throw StoreError.rejected(reason: "\(error)") }
            for (write, kind) in zip(writes, resolved) {
                let key = try ModuleRecordWriter.insert(write, kind: kind, at: now, db: db)
                try Self.enqueue(
                    db, epoch: epoch, kind: kind.id.rawValue, class: kind.recordClass == .state ? .state : .fact,
                    key: key, payload: ModuleRecordPayload(version: kind.version, json: write.json),
                    at: write.at ?? now)
            }
            for lift in lifts { _ = try Self.lift(lift, by: person, at: now, db: db, epoch: epoch) }
            return try findings.compactMap { try Self.insert($0, readingID: nil, db: db, epoch: epoch) }
        }
    }
}

/// A module record as it travels in the outbox: `{"record": …, "version": n}`, so central (and a newer
/// central's projections) know which version of the kind's shape the record has.
struct ModuleRecordPayload: Encodable {
    var version: Int
    var json: String

    enum CodingKeys: String, CodingKey {
        case record, version
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(try RecordJSON.decode(JSONValue.self, from: Data(json.utf8)), forKey: .record)
        try container.encode(version, forKey: .version)
    }
}
