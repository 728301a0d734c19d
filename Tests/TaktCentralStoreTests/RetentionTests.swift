import Foundation
import Testing

@testable import TaktCentralStore
@testable import TaktStore

/// Old records leave central only into a complete archive file; roll-ups stay.
@Suite struct RetentionTests {
    typealias Backend = CentralStoreContractTests.Backend

    @Test(arguments: Backend.allCases)
    func oldRecordsAreArchivedThenDeletedAndRollupsStay(_ backend: Backend) async throws {
        try await CentralStoreContractTests().with(backend) { store in
            let site = "a-\(UUID().uuidString.prefix(8))"
            let now = Date()
            let old = now.addingTimeInterval(-40 * 86_400)
            let records = (1...7).map { seq in
                CentralStore.IncomingRecord(
                    seq: Int64(seq), kind: "check_reading", recordClass: "fact", key: "\(seq)",
                    payload: "{\"n\":\(seq)}",
                    createdAt: seq <= 5 ? old : now)
            }
            _ = try await store.ingest(
                site: site, epoch: "e", first: 1, last: 7, records: records, configVersion: 0, sentAt: now,
                now: now.addingTimeInterval(-3600))
            let before = now.addingTimeInterval(-30 * 86_400)
            var archived: [Retention.ArchivedRecord] = []
            var after: Retention.Position?
            while true {
                let page = try await store.archivable(before: before, receivedBy: now, after: after, limit: 2)
                guard let last = page.last else { break }
                archived += page.filter { $0.site == site }
                after = last.position
            }
            #expect(archived.map(\.seq) == [1, 2, 3, 4, 5])
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("records.jsonl.gz").path
            let file = try GzipFile(path: path)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            for record in archived { try file.write(try encoder.encode(record) + Data([0x0A])) }
            try file.finish()
            // Any gzip reader reads it back, line for line.
            let gunzip = Process()
            gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
            gunzip.arguments = ["-dc", path]
            let pipe = Pipe()
            gunzip.standardOutput = pipe
            try gunzip.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            gunzip.waitUntilExit()
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let lines = try text.split(separator: "\n").map {
                try decoder.decode(Retention.ArchivedRecord.self, from: Data($0.utf8))
            }
            #expect(lines.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(lines.first?.payload == "{\"n\":1}")

            let kept = try await store.daily(
                site: site, from: .init(old, in: .gmt), to: .init(now, in: .gmt))
            _ = try await store.deleteArchived(before: before, receivedBy: now)
            #expect(try await store.records(site: site).map(\.seq) == [6, 7])
            #expect(try await store.daily(site: site, from: .init(old, in: .gmt), to: .init(now, in: .gmt)) == kept)
            #expect(kept.map(\.checksRecorded).reduce(0, +) == 7)
        }
    }

    @Test func aRetentionShorterThanTheRollupPeriodIsRefused() {
        #expect(Retention.problem(days: 1)?.contains("shorter than the roll-up period") == true)
        #expect(Retention.problem(days: Retention.minimumDays) == nil)
    }
}
