import Foundation
import GRDB
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktHost
@testable import TaktStore
@testable import TaktSync

/// A site restored from a backup taken mid-day: central ends with every record once, the site's history has
/// what the backup missed, and nothing is counted twice.
@Suite struct RestoreTests {
    func agent(_ store: SiteStore, _ fixture: SyncFixture, _ url: URL) -> SyncAgent {
        SyncAgent(
            outbox: SiteOutbox(store: store), client: fixture.client(url),
            policy: SyncPolicy(batchSize: 2, baseDelay: 0.01, maximumDelay: 0.05, idleDelay: 0.01, configInterval: 60),
            apply: { _ in nil })
    }

    func readings(_ store: SiteStore, _ values: [Double]) throws {
        for value in values {
            _ = try store.record(
                CheckReading(check: "site.chill", value: value, at: Date(timeIntervalSince1970: 1_800_000_000 + value)),
                findings: [])
        }
    }

    @Test func centralHasMoreThanTheBackupAndGivesItBack() async throws {
        let fixture = try SyncFixture()
        let path = fixture.site.path
        let backup = fixture.folder.appendingPathComponent("midday.sqlite").path
        let oldEpoch = fixture.site.epoch
        try await fixture.withCentral { url, _ in
            try readings(fixture.site, [1, 2, 3])
            #expect(await agent(fixture.site, fixture, url).drain(until: Date().addingTimeInterval(10)))
            try readings(fixture.site, [4])
            let taken = try fixture.site.backup(to: backup)
            #expect(taken.lastSequence == 4)
            try readings(fixture.site, [5, 6])
            #expect(await agent(fixture.site, fixture, url).drain(until: Date().addingTimeInterval(10)))

            let report = try SiteStore.restore(backup: backup, into: path, siteID: "leeds")
            #expect(report.previousEpoch == oldEpoch && report.restoredThrough == 4)
            #expect(report.replacedFile != nil)
            let restored = try SiteStore(path: path, siteID: "leeds")
            #expect(restored.epoch != oldEpoch)
            #expect(try restored.pendingRecovery() == .init(epoch: oldEpoch, through: 4))
            try readings(restored, [7])
            #expect(await agent(restored, fixture, url).drain(until: Date().addingTimeInterval(10)))
            #expect(try restored.pendingRecovery() == nil)

            // The books: central has the old epoch's six readings and the new epoch's one, each once.
            let atCentral = try await fixture.central.records(site: "leeds")
            #expect(atCentral.filter { $0.epoch == oldEpoch }.map(\.seq) == [1, 2, 3, 4, 5, 6])
            #expect(atCentral.filter { $0.epoch == restored.epoch }.count == 1)
            #expect(Set(atCentral.map { "\($0.epoch)/\($0.seq)" }).count == atCentral.count)
            // The site: what the backup had, plus what central gave back, is everything of the old epoch.
            let recovered = try restored.recoveredRecords()
            #expect(recovered.map(\.seq) == [5, 6])
            #expect(
                recovered.map(\.payload)
                    == atCentral.filter { $0.epoch == oldEpoch && $0.seq > 4 }.map(\.payload))
            #expect(try restored.restoredRecords(after: 0, limit: 100).map(\.seq) == [1, 2, 3, 4])
            // The records endpoint bounds what it is asked: a page of at most 1,000, an epoch of at most 200
            // characters, and only the signing site's own records.
            let client = fixture.client(url)
            #expect(try await client.records(epoch: oldEpoch, after: -5, limit: 1_000_000).records.count == 6)
            #expect(try await client.records(epoch: oldEpoch, after: 4, limit: 1).records.map(\.seq) == [5])
            #expect(try await client.records(epoch: "no-such-epoch", after: 0, limit: 10).records.isEmpty)
            await #expect(throws: SyncError.self) {
                _ = try await client.records(epoch: String(repeating: "e", count: 300), after: 0, limit: 10)
            }
            let stranger = CentralClient(
                site: "leeds", key: fixture.otherKey, transport: URLSessionTransport(base: url))
            await #expect(throws: SyncError.self) {
                _ = try await stranger.records(epoch: oldEpoch, after: 0, limit: 10)
            }
            // A second sync recovers nothing again.
            #expect(await agent(restored, fixture, url).drain(until: Date().addingTimeInterval(10)))
            #expect(try restored.recoveredRecords().count == 2)
        }
    }

    @Test func theBackupHasWhatCentralNeverGotAndSendsIt() async throws {
        let fixture = try SyncFixture()
        let path = fixture.site.path
        let backup = fixture.folder.appendingPathComponent("late.sqlite").path
        let oldEpoch = fixture.site.epoch
        try await fixture.withCentral { url, _ in
            try readings(fixture.site, [1, 2, 3])
            #expect(await agent(fixture.site, fixture, url).drain(until: Date().addingTimeInterval(10)))
            try readings(fixture.site, [4, 5])
            _ = try fixture.site.backup(to: backup)
            // The site's disk dies before 4 and 5 reach central.
            _ = try SiteStore.restore(backup: backup, into: path, siteID: "leeds")
            let restored = try SiteStore(path: path, siteID: "leeds")
            #expect(await agent(restored, fixture, url).drain(until: Date().addingTimeInterval(10)))
            let atCentral = try await fixture.central.records(site: "leeds")
            #expect(atCentral.filter { $0.epoch == oldEpoch }.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(try restored.recoveredRecords().isEmpty)
            #expect(try restored.pendingRecovery() == nil)
        }
    }

    @Test func aFileThatIsNotThisSitesTaktDatabaseIsRefusedAndNothingChanges() throws {
        let fixture = try SyncFixture()
        let path = fixture.site.path
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = fixture.folder.appendingPathComponent("notes.txt").path
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: StoreError.self) { try SiteStore.restore(backup: text, into: path, siteID: "leeds") }
        #expect(throws: StoreError.self) {
            try SiteStore.restore(backup: text + ".missing", into: path, siteID: "leeds")
        }
        // A backup never overwrites a file.
        #expect(throws: StoreError.self) { try fixture.site.backup(to: text) }
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "not a database")
        let other = fixture.folder.appendingPathComponent("penang.sqlite").path
        _ = try SiteStore(path: other, siteID: "penang")
        #expect {
            try SiteStore.restore(backup: other, into: path, siteID: "leeds")
        } throws: { "\($0)".contains("penang") }
        // A backup a newer Takt wrote.
        let newer = fixture.folder.appendingPathComponent("newer.sqlite").path
        _ = try fixture.site.backup(to: newer)
        let queue = try GRDB.DatabaseQueue(path: newer)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        try queue.close()
        #expect {
            try SiteStore.restore(backup: newer, into: path, siteID: "leeds")
        } throws: { "\($0)".contains("v99-from-the-future") }
        // While `takt site run` (or `serve`) holds the site, a restore is refused.
        let good = fixture.folder.appendingPathComponent("good.sqlite").path
        _ = try fixture.site.backup(to: good)
        let running = try SiteInUse(path: path)
        #expect {
            try SiteStore.restore(backup: good, into: path, siteID: "leeds")
        } throws: { error in
            if case StoreError.locked = error { return true }
            return false
        }
        withExtendedLifetime(running) {}
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + ".restoring"))
    }
}
