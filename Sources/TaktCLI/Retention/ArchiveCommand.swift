import ArgumentParser
import Foundation
import TaktCentral
import TaktCentralStore
import TaktCore

/// `takt central archive`: moves records older than the retention out of central's database into a gzip'd JSON
/// Lines file, written and synced before anything is deleted.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Write records older than the retention to a .jsonl.gz file, then delete them from central.",
        discussion: """
            Roll-ups are kept for ever; only raw records leave. The file is complete (synced, then renamed into \
            place) before the first record is deleted; a record received in the last five minutes is never taken, \
            so a batch landing during the archive is not lost. Run it from cron, e.g. nightly.
            """)
    @OptionGroup var central: CentralCommand.CentralOptions
    @Option(help: "The folder for the archive file.") var to: String
    @Option(
        name: .customLong("older-than-days"),
        help: "Archive records older than this many days (default: retention_days).")
    var olderThanDays: Int?
    @OptionGroup var output: OutputOptions

    struct Archived: Encodable {
        var file: String?
        var records: Int
        var before: Date
    }

    func run() async throws {
        let (configuration, _) = try central.load()
        guard let days = olderThanDays ?? configuration.retentionDays else {
            throw CommandFailure(
                message: "no retention: set retention_days in \(central.config) or pass --older-than-days", code: 2)
        }
        if let problem = Retention.problem(days: days) { throw CommandFailure(message: problem, code: 2) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: to, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure(message: "\(to): no such folder for the archive", code: 2)
        }
        let now = Date()
        let before = now.addingTimeInterval(-Double(days) * 86_400)
        let receivedBy = now.addingTimeInterval(-300)
        let stamp = Instant.iso(now).replacingOccurrences(of: ":", with: "")
        let path = URL(fileURLWithPath: to).appendingPathComponent("takt-records-\(stamp).jsonl.gz").path
        let result = try await central.withStore { store in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            let file = try GzipFile(path: path)
            var count = 0
            var after: Retention.Position?
            while true {
                let page = try await store.archivable(
                    before: before, receivedBy: receivedBy, after: after, limit: 5_000)
                guard let last = page.last else { break }
                var lines = Data()
                for record in page {
                    lines.append(try encoder.encode(record))
                    lines.append(0x0A)
                }
                try file.write(lines)
                count += page.count
                after = last.position
            }
            guard count > 0 else { return Archived(file: nil, records: 0, before: before) }
            try file.finish()
            let deleted = try await store.deleteArchived(before: before, receivedBy: receivedBy)
            if deleted != count {
                FileHandle.standardError.write(
                    Data(
                        "warning: archived \(count) record(s) but deleted \(deleted); the file holds what was read\n"
                            .utf8))
            }
            let previous = try await store.meta("archived_before").flatMap(Double.init) ?? 0
            try await store.setMeta("archived_before", String(max(previous, before.timeIntervalSince1970)))
            return Archived(file: path, records: count, before: before)
        }
        if output.json { return try output.print(json: result) }
        if let file = result.file {
            print("archived \(result.records) record(s) made before \(Instant.iso(before)) to \(file)")
        } else {
            print("nothing to archive: no record made before \(Instant.iso(before))")
        }
    }
}
