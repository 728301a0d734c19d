import Foundation

/// What a rule declares it reads of a module's records; the host loads exactly these into
/// ``RuleContext/records`` before the rule judges an event.
public struct RecordRead: Hashable, Sendable {
    public let kind: RecordKindID
    /// For a fact kind: how far back from the event the host loads; ignored for state (every latest record).
    public let window: TimeSpan?

    /// Every latest record of a state kind.
    public static func latest<V>(_ kind: RecordKind<V>) -> RecordRead { RecordRead(kind: kind.id, window: nil) }

    /// The facts of `kind` that happened within `window` before the event.
    public static func facts<V>(_ kind: RecordKind<V>, within window: TimeSpan) -> RecordRead {
        RecordRead(kind: kind.id, window: window)
    }
}

/// Module records as a rule sees them: the ones its declared ``RecordRead``s asked for, decoded, as they stand
/// before the event being judged. Reading a kind the rule did not declare gives nothing.
public struct ModuleRecords: Sendable {
    /// Decoded records by kind, in key order (state) or in the order they happened (facts).
    var values: [RecordKindID: [(key: String, value: any Sendable)]]
    /// The kinds the current rule may read; nil while the host fills the value.
    var allowed: Set<RecordKindID>?

    public init() {
        values = [:]
        allowed = nil
    }

    /// Adds records of `kind` the host loaded, decoding each; throws naming the kind and key when one does not
    /// decode at the kind's version.
    public mutating func load(_ kind: AnyRecordKind, rows: [(key: String, json: String)]) throws(CoreError) {
        var decoded: [(key: String, value: any Sendable)] = []
        for row in rows {
            do { decoded.append((row.key, try kind.decode(Data(row.json.utf8)))) } catch {
                throw .invalidRecord(
                    kind: kind.id, key: row.key, reason: "does not decode at version \(kind.version): \(error)")
            }
        }
        values[kind.id] = decoded
    }

    /// The same records, readable only in the kinds of `reads`.
    public func restricted(to reads: [RecordRead]) -> ModuleRecords {
        var copy = self
        copy.allowed = Set(reads.map(\.kind))
        return copy
    }

    private func rows(_ id: RecordKindID) -> [(key: String, value: any Sendable)] {
        if let allowed, !allowed.contains(id) { return [] }
        return values[id] ?? []
    }

    /// Every record of `kind` that was loaded.
    public func all<V>(_ kind: RecordKind<V>) -> [V] { rows(kind.id).compactMap { $0.value as? V } }

    /// The latest record of a state `kind` with `key`.
    public func latest<V>(_ kind: RecordKind<V>, key: String) -> V? {
        rows(kind.id).first { $0.key == key }?.value as? V
    }
}

/// A module record being written, as rules judge it (``SiteEvent/record(_:)``): the kind, its key and time, and
/// the payload as JSON.
public struct RecordEvent: Hashable, Sendable {
    public let kind: RecordKindID
    public let key: String
    public let at: Date
    public let json: String

    public init(_ write: RecordWrite, at: Date) {
        kind = write.kind
        key = write.key ?? ""
        self.at = write.at ?? at
        json = write.json
    }

    /// The record, when it is of `kind`.
    public func value<V>(as kind: RecordKind<V>) -> V? {
        guard kind.id == self.kind else { return nil }
        return try? kind.decode(json, key: key)
    }
}
