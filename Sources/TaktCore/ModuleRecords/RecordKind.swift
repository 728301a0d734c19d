import Foundation

/// The id of a kind of module record, namespaced by the module that declares it: `electronics_assembly.reel`.
public typealias RecordKindID = NamespacedID

/// Whether a module record is a fact (appended, never changed: a reel taken out of dry storage) or the latest
/// state of something (a reel's exposure now, replaced on every change). The same two classes as every other
/// record in the outbox.
public enum RecordClass: String, Hashable, Sendable, Codable {
    case fact, state
}

/// A kind of record a module keeps at the site: its id, its Swift type, its schema version, its key and class,
/// and the fields the site database indexes.
///
/// A module declares its kinds in ``SiteModule/records``. The site store keeps each kind in a table of its own,
/// created by a migration named after the kind (`electronics_assembly.reel.v1`) that runs only at sites that
/// load the module; every write goes into the same transaction and outbox as the core's own records, and
/// travels to central under the kind's id.
///
/// ## Evolving a kind
///
/// Never change a shipped kind's shape silently. Raise `version` and append one ``RecordUpgrade`` per step to
/// `upgrades` (`upgrades[0]` turns version 1 into 2, and so on): adding a field with a default, renaming one, or
/// a custom rewrite. A site database written by an older build is upgraded in place, in a migration named
/// `<kind>.v<version>`, when the newer build opens it; an older build refuses a database whose records are
/// newer than it understands.
public struct RecordKind<Value: Codable & Sendable>: Sendable {
    public let id: RecordKindID
    /// The schema version of `Value`; 1 until the kind first changes shape.
    public let version: Int
    public let recordClass: RecordClass
    /// A state record's key (the reel's id); facts are keyed by the order they are stored in.
    public let key: @Sendable (Value) -> String
    /// When a record happened: facts are found by it (`ModuleRecords.facts(_:)`); for state, when it changed.
    public let at: @Sendable (Value) -> Date?
    /// Top-level fields of the payload that the site database indexes, for ``ModuleSite/records(_:where:equals:)``.
    public let indexes: [String]
    /// `upgrades[n]` turns a payload of version `n + 1` into one of version `n + 2`.
    public let upgrades: [RecordUpgrade]
    /// Rows that an earlier build kept in a table of its own, to adopt into this kind once: the table, and how
    /// one of its rows becomes a record (nil skips the row).
    public let adopts: (table: String, convert: @Sendable ([String: LegacyValue]) throws -> Value?)?

    /// Declares a latest-state kind: one record per key, replaced by every write.
    public static func state(
        _ id: RecordKindID, version: Int = 1, key: @escaping @Sendable (Value) -> String,
        at: @escaping @Sendable (Value) -> Date? = { _ in nil }, indexes: [String] = [],
        upgrades: [RecordUpgrade] = [],
        adopts: (table: String, convert: @Sendable ([String: LegacyValue]) throws -> Value?)? = nil
    ) -> RecordKind {
        RecordKind(
            id: id, version: version, recordClass: .state, key: key, at: at, indexes: indexes, upgrades: upgrades,
            adopts: adopts)
    }

    /// Declares a fact kind: records are appended and never changed; `at` says when each happened.
    public static func fact(
        _ id: RecordKindID, version: Int = 1, at: @escaping @Sendable (Value) -> Date, indexes: [String] = [],
        upgrades: [RecordUpgrade] = [],
        adopts: (table: String, convert: @Sendable ([String: LegacyValue]) throws -> Value?)? = nil
    ) -> RecordKind {
        RecordKind(
            id: id, version: version, recordClass: .fact, key: { _ in "" }, at: { at($0) }, indexes: indexes,
            upgrades: upgrades, adopts: adopts)
    }

    /// The kind without its Swift type, as the registry, the store and central handle it.
    public var erased: AnyRecordKind {
        let legacy = adopts.map { adoption in
            LegacyTable(table: adoption.table) { row in try adoption.convert(row).map { value in try self.write(value) }
            }
        }
        return AnyRecordKind(
            id: id, version: version, recordClass: recordClass, indexes: indexes, upgrades: upgrades, adopts: legacy,
            check: { data in _ = try RecordJSON.decode(Value.self, from: data) },
            decode: { data in try RecordJSON.decode(Value.self, from: data) })
    }

    /// The longest key a state record may have, and the largest record, in bytes of its JSON.
    public static var maximumKeyLength: Int { 200 }
    public static var maximumBytes: Int { 64 * 1024 }

    /// A record of this kind ready to write: its key, time and canonical JSON. Refused, for every module alike,
    /// when a state's key is empty, longer than ``maximumKeyLength`` or holds control characters, or the record
    /// is larger than ``maximumBytes``.
    public func write(_ value: Value) throws(CoreError) -> RecordWrite {
        if recordClass == .state {
            let key = key(value)
            guard !key.isEmpty, key.count <= Self.maximumKeyLength,
                !key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw .invalidRecord(
                    kind: id, key: String(key.prefix(40)),
                    reason: "needs a key of 1 to \(Self.maximumKeyLength) characters without control characters")
            }
        }
        let json: String
        do { json = try RecordJSON.text(value) } catch {
            throw .invalidRecord(kind: id, key: key(value), reason: "cannot be encoded: \(error)")
        }
        guard json.utf8.count <= Self.maximumBytes else {
            throw .invalidRecord(
                kind: id, key: String(key(value).prefix(40)),
                reason: "is \(json.utf8.count) bytes; a record may be at most \(Self.maximumBytes)")
        }
        return RecordWrite(
            kind: id, recordClass: recordClass, key: recordClass == .state ? key(value) : nil, at: at(value),
            json: json)
    }

    /// Decodes a payload of this kind at its current version, naming the kind and key when it does not fit.
    public func decode(_ json: String, key: String) throws(CoreError) -> Value {
        do { return try RecordJSON.decode(Value.self, from: Data(json.utf8)) } catch {
            throw .invalidRecord(kind: id, key: key, reason: "does not decode at version \(version): \(error)")
        }
    }
}

/// A ``RecordKind`` without its Swift type: everything the store needs to create, index and upgrade its table.
public struct AnyRecordKind: Sendable {
    public let id: RecordKindID
    public let version: Int
    public let recordClass: RecordClass
    public let indexes: [String]
    public let upgrades: [RecordUpgrade]
    public let adopts: LegacyTable?
    /// Throws when a payload does not decode as the kind's Swift type.
    public let check: @Sendable (Data) throws -> Void
    let decode: @Sendable (Data) throws -> any Sendable

    /// The module that declares the kind: the first segment of its id.
    public var module: String { id.namespace }

    /// Brings a payload stored at version `stored` up to `target` (the kind's current version when nil); throws
    /// when it is newer than this build knows.
    public func upgrade(_ json: String, from stored: Int, to target: Int? = nil) throws(CoreError) -> String {
        let target = min(target ?? version, version)
        guard stored != target else { return json }
        guard stored < target, stored >= 1 else {
            throw .invalidRecord(
                kind: id, key: nil,
                reason: "is stored at version \(stored), but this build knows versions 1 to \(version)")
        }
        do {
            var value = try RecordJSON.decode(JSONValue.self, from: Data(json.utf8))
            for step in upgrades[(stored - 1)..<(target - 1)] { try step.apply(&value) }
            return try RecordJSON.text(value)
        } catch let error as CoreError {
            throw error
        } catch {
            throw .invalidRecord(kind: id, key: nil, reason: "cannot be upgraded from version \(stored): \(error)")
        }
    }

    /// Checks the declaration itself: a version of at least 1 with one upgrade per step, indexes that are plain
    /// field names.
    public func validate() throws(CoreError) {
        guard version >= 1, upgrades.count == version - 1 else {
            throw .invalidRecordKind(
                kind: id,
                reason: "version \(version) needs \(max(version - 1, 0)) upgrade steps, it declares \(upgrades.count)")
        }
        for field in indexes where !RecordUpgrade.isFieldName(field) {
            throw .invalidRecordKind(kind: id, reason: "index '\(field)' is not a field name (letters, digits, '_')")
        }
    }
}

/// A module record ready to be stored, produced by ``RecordKind/write(_:)``.
public struct RecordWrite: Hashable, Sendable {
    public let kind: RecordKindID
    public let recordClass: RecordClass
    /// The state's key; nil for a fact (the store numbers it).
    public let key: String?
    public let at: Date?
    /// The payload, as ``RecordJSON`` writes it.
    public let json: String
}

/// One step in a record kind's history: how a payload of one version becomes the next.
public struct RecordUpgrade: Sendable {
    let apply: @Sendable (inout JSONValue) throws -> Void

    /// A step that rewrites the payload as the module sees fit.
    public static func custom(_ body: @escaping @Sendable (inout [String: JSONValue]) throws -> Void) -> RecordUpgrade {
        RecordUpgrade { value in
            guard case .object(var fields) = value else {
                throw CoreError.invalidRecordKind(kind: "record", reason: "payload is not an object")
            }
            try body(&fields)
            value = .object(fields)
        }
    }

    /// A new field, `value` in every record written before it existed.
    public static func add(_ field: String, default value: JSONValue) -> RecordUpgrade {
        custom { fields in if fields[field] == nil { fields[field] = value } }
    }

    /// A field renamed from `old` to `new`.
    public static func rename(_ old: String, to new: String) -> RecordUpgrade {
        custom { fields in
            if let value = fields.removeValue(forKey: old) { fields[new] = value }
        }
    }

    static func isFieldName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
            && !(text.first?.isNumber ?? true)
    }
}

/// A table an earlier build of Takt kept in the core for what is now a module's record kind (the reels, before
/// modules owned their records): its rows are adopted into the kind once, in the migration
/// `<kind>.adopt-<table>`, and the table is dropped.
public struct LegacyTable: Sendable {
    public let table: String
    /// Turns one row (column name → value, `nil` for NULL) into the record; nil skips the row.
    public let convert: @Sendable ([String: LegacyValue]) throws -> RecordWrite?

    public init(table: String, convert: @escaping @Sendable ([String: LegacyValue]) throws -> RecordWrite?) {
        self.table = table
        self.convert = convert
    }
}

/// One column's value in a ``LegacyTable`` row.
public enum LegacyValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var string: String? {
        switch self {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .null: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .text(let text): return Double(text)
        case .null: return nil
        }
    }
}

extension LegacyValue {
    /// A time as SQLite kept it for earlier builds (`2026-11-25 08:00:00.000`, UTC) or in ISO 8601.
    public var date: Date? {
        guard case .text(let text) = self else { return nil }
        var parts = text.split(separator: " ")
        if parts.count == 2 { parts = [parts[0] + "T" + parts[1] + "Z"] }
        let iso = String(parts.first ?? "")
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(iso) { return date }
        return try? Date.ISO8601FormatStyle().parse(iso)
    }
}
