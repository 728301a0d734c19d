import Foundation
import TaktCore
import TaktStore

/// The host is the site a module's commands see: records through the store, every change judged by the rules
/// and stored in one transaction.
extension SiteHost: ModuleSite {
    public func now() -> Date { clock() }

    public func latest<V>(_ kind: RecordKind<V>, key: String) throws -> V? {
        let rows = try stored { () throws(StoreError) in try store.moduleRecords(kind.id, key: key) }
        return try rows.first.map { row throws(CoreError) in try kind.decode(row.json, key: row.key) }
    }

    public func all<V>(_ kind: RecordKind<V>) throws -> [V] {
        let rows = try stored { () throws(StoreError) in try store.moduleRecords(kind.id) }
        return try rows.map { row throws(CoreError) in try kind.decode(row.json, key: row.key) }
    }

    public func records<V>(_ kind: RecordKind<V>, where field: String, equals value: String) throws -> [V] {
        let rows = try stored { () throws(StoreError) in try store.moduleRecords(kind.id, field: field, equals: value) }
        return try rows.map { row throws(CoreError) in try kind.decode(row.json, key: row.key) }
    }

    public func apply(_ change: RecordChange) throws -> [Finding] {
        try requireNotAhead(change.at, "the record's time")
        try requireStaff(change.by)
        try requireWorkCentre(change.workCentre)
        guard !change.writes.isEmpty || !change.lifts.isEmpty else {
            throw HostError.invalidInput("the change writes nothing")
        }
        for write in change.writes where !definition.recordKinds.contains(where: { $0.id == write.kind }) {
            throw HostError.invalidInput(
                "no module loaded at \(definition.site.id) keeps '\(write.kind)' records (its modules: "
                    + definition.site.modules.map(\.rawValue).joined(separator: ", ") + ")")
        }
        guard let event = change.event else {
            return try stored { () throws(StoreError) in
                try store.apply(
                    change.writes, lifting: change.lifts, by: change.by, at: change.at, basedOn: change.basedOn,
                    creates: change.creates, reading: []
                ) { _ in [] }
            }
        }
        // The rules judge inside the write transaction, against the records as they stand there.
        let reads = definition.rules.reads.compactMap { read -> (AnyRecordKind, Date?)? in
            guard let kind = definition.recordKinds.first(where: { $0.id == read.kind }) else { return nil }
            return (kind, window(read, kind, at: change.at))
        }
        let base = try context(at: event.at ?? change.at)
        let rules = definition.rules
        let judged = SiteEvent.record(RecordEvent(event, at: change.at))
        return try stored { () throws(StoreError) in
            try store.apply(
                change.writes, lifting: change.lifts, by: change.by, at: change.at, basedOn: change.basedOn,
                creates: change.creates, reading: reads.map { ($0.0.id, $0.1) }
            ) { rows in
                var records = ModuleRecords()
                for (kind, _) in reads { try records.load(kind, rows: (rows[kind.id] ?? []).map { ($0.key, $0.json) }) }
                var context = base
                context.records = records
                return rules.evaluate(judged, in: context)
            }
        }
    }

    /// From when a read loads facts; nil (everything) for state.
    func window(_ read: RecordRead, _ kind: AnyRecordKind, at now: Date) -> Date? {
        kind.recordClass == .fact ? now.addingTimeInterval(-Double(read.window?.seconds ?? 0)) : nil
    }

    /// Loads what `reads` ask for, as rules see it: every latest record of each state kind, the facts of each
    /// fact kind within its window before `now`. Throws naming the module, kind and record that does not decode.
    func loadRecords(_ reads: [RecordRead], at now: Date) throws(HostError) -> ModuleRecords {
        var records = ModuleRecords()
        for read in reads {
            guard let kind = definition.recordKinds.first(where: { $0.id == read.kind }) else { continue }
            let since = window(read, kind, at: now)
            let rows = try stored { () throws(StoreError) in try store.moduleRecords(kind.id, since: since) }
            do { try records.load(kind, rows: rows.map { ($0.key, $0.json) }) } catch {
                throw .invalidInput(error.description)
            }
        }
        return records
    }

    /// The part stock the modules' planning rules report at `from`, from their records and the active blocks.
    func partStock(from: Date) throws(HostError) -> [PartStock] {
        let rules = definition.rules.scheduling.partStock
        guard !rules.isEmpty else { return [] }
        let records = try loadRecords(rules.flatMap(\.reads), at: from)
        let blocks = try activeBlocks()
        return rules.flatMap { rule in rule.stock(records.restricted(to: rule.reads), blocks, from) }
    }
}
