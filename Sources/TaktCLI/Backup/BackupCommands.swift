import ArgumentParser
import Foundation
import TaktCore
import TaktHost
import TaktStore

/// `takt site backup`: a consistent copy of the site database, taken while the site runs.
struct SiteBackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the site database to a file, safely while the site runs.",
        discussion: "Uses SQLite's online backup API: the copy is one consistent moment, and writers are not stopped.")
    @OptionGroup var site: SiteOptions
    @Option(help: "The backup file to write (must not exist).") var to: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let host = try site.open()
        let report: SiteStore.BackupReport
        do { report = try host.store.backup(to: to) } catch {
            throw CommandFailure(message: error.description, code: 2)
        }
        if output.json { return try output.print(json: report) }
        print(
            "backed up \(report.site) to \(report.path) (\(report.bytes / 1024) KB, outbox through \(report.lastSequence))"
        )
    }
}

/// `takt site restore`: puts a backup in place of the site database, as a new epoch that recovers with central.
struct SiteRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Replace the site database with a backup (stop the site first).",
        discussion: """
            The restored database is a new epoch for central. On its next sync the site sends central what only \
            the backup had, and fetches back what central received after the backup (see `takt site recovered`). \
            The database it replaces is kept as <file>.before-restore-<time>. Refused, with nothing changed, for a \
            file that is not this site's Takt database, is damaged, or was written by a newer Takt.
            """)
    @OptionGroup var site: SiteOptions
    @Option(help: "The backup file.") var from: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let registry = try Takt.modules()
        let definition = try SiteLoader(registry: registry).load(path: site.site)
        let path = SiteStore.defaultPath(siteID: definition.site.id, dataDirectory: site.dataDir)
        let report: SiteStore.RestoreReport
        do {
            report = try SiteStore.restore(
                backup: from, into: path, siteID: definition.site.id, recordKinds: definition.recordKinds)
        } catch {
            if case .locked = error {
                throw CommandFailure(
                    message: "\(path): the site is running; stop it, then restore. Nothing changed.", code: 2)
            }
            throw CommandFailure(message: "\(error.description); nothing changed", code: 2)
        }
        if output.json { return try output.print(json: report) }
        print("restored \(report.site) from \(from): new epoch \(report.epoch)")
        print(
            "the next sync settles the backup's epoch \(report.previousEpoch) (through \(report.restoredThrough)) with central"
        )
        if let replaced = report.replacedFile { print("the replaced database is kept as \(replaced)") }
    }
}

/// `takt site recovered`: what central gave back after a restore: records made after the backup was taken.
struct SiteRecoveredCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovered", abstract: "Records recovered from central after a restore (made after the backup).")
    @OptionGroup var site: SiteOptions
    @Option(help: "Only this kind (finding, check_reading, production, lot, …).") var kind: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let host = try site.open()
        let records: [SiteStore.RecoveredRecord]
        do { records = try host.store.recoveredRecords(kind: kind) } catch {
            throw CommandFailure(message: error.description, code: 2)
        }
        let pending = try? host.store.pendingRecovery()
        if output.json { return try output.print(json: records) }
        if let pending {
            print("recovery pending: the next sync settles epoch \(pending.epoch) through \(pending.through)")
        }
        let zone = host.definition.timeZone
        for record in records {
            print(
                "\(Instant.format(record.createdAt, in: zone))  \(record.kind) \(record.key)  \(record.payload.prefix(120))"
            )
        }
        if records.isEmpty { print("no recovered records") }
    }
}
