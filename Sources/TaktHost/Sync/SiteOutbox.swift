import Foundation
import TaktCore
import TaktStore
import TaktSync

/// The site database as the sync agent's outbox.
public struct SiteOutbox: SyncOutbox {
    public let store: SiteStore

    public init(store: SiteStore) {
        self.store = store
    }

    public var siteID: String { store.siteID }
    public var epoch: String { store.epoch }

    public func records(after: Int64, limit: Int) throws -> [WireRecord] {
        try store.outboxRows(after: after, limit: limit).map {
            WireRecord(
                seq: $0.seq, kind: $0.kind, class: $0.class.rawValue, key: $0.key, payload: $0.payload,
                createdAt: $0.createdAt, hash: $0.hash, previous: $0.previousHash)
        }
    }

    public func lastSequence() throws -> Int64 { try store.lastSequence() }
    public func acknowledged() throws -> Int64 { try store.acknowledgedThrough() }
    public func acknowledge(through seq: Int64, at: Date) throws { try store.acknowledge(through: seq, at: at) }
    public func deadLetter(seq: Int64, reason: String, at: Date) throws {
        try store.deadLetter(seq: seq, reason: reason, at: at)
    }
    public func deadLetters() throws -> Set<Int64> { try store.deadLetterSequences() }
    public func recordAttempt(error: String?, at: Date) throws { try store.recordSyncAttempt(error: error, at: at) }
    public func configVersion() throws -> Int { try store.configVersion() }

    public func pendingRecovery() throws -> (epoch: String, through: Int64)? {
        try store.pendingRecovery().map { ($0.epoch, $0.through) }
    }

    public func restoredRecords(after: Int64, limit: Int) throws -> [WireRecord] {
        try store.restoredRecords(after: after, limit: limit).map {
            WireRecord(
                seq: $0.seq, kind: $0.kind, class: $0.class.rawValue, key: $0.key, payload: $0.payload,
                createdAt: $0.createdAt)
        }
    }

    public func keepRecovered(_ records: [WireRecord], epoch: String, at: Date) throws {
        try store.keepRecovered(
            records.map { ($0.seq, $0.kind, $0.class, $0.key, $0.payload, $0.createdAt) }, epoch: epoch, at: at)
    }

    public func finishRecovery() throws { try store.finishRecovery() }
}

/// Installs configuration central pushes: validated exactly as `takt site validate` would, written atomically
/// beside `site.yaml`, never older than what runs.
public struct PushedConfiguration: Sendable {
    public let sitePath: String
    public let store: SiteStore
    public let registry: ModuleRegistry

    public init(sitePath: String, store: SiteStore, registry: ModuleRegistry) {
        self.sitePath = sitePath
        self.store = store
        self.registry = registry
    }

    /// Applies `document`; returns nil on success or why it was refused.
    public func apply(_ document: ConfigDocument) -> String? {
        do {
            let current = try store.configVersion()
            guard document.version > current else { return "version \(document.version) is not newer than \(current)" }
            let file = SiteLoader.configurationFile(for: sitePath)
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let pushed = SiteLoader.pushedConfigurationFile(for: sitePath)
            let body =
                "# Pushed by central: configuration version \(document.version). Do not edit by hand.\nversion: \(document.version)\n"
                + document.document
            do {
                let definition = try SiteLoader(registry: registry).load(
                    text: text, file: file, overlay: (body, pushed))
                guard definition.site.id == store.siteID else { return "the document is for another site" }
            } catch {
                return error.description
            }
            let temporary = pushed + ".tmp"
            try body.write(toFile: temporary, atomically: false, encoding: .utf8)
            if FileManager.default.fileExists(atPath: pushed) {
                _ = try FileManager.default.replaceItemAt(
                    URL(fileURLWithPath: pushed), withItemAt: URL(fileURLWithPath: temporary))
            } else {
                try FileManager.default.moveItem(atPath: temporary, toPath: pushed)
            }
            try store.setConfigVersion(document.version)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
