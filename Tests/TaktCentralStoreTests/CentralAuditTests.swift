import Foundation
import GRDB
import Testing

@testable import TaktCentralStore
@testable import TaktStore

/// Central keeps each record's audit-chain hash as the site sent it, and proves its records were not changed.
@Suite struct CentralAuditTests {
    typealias Backend = CentralStoreContractTests.Backend

    /// Records 1…n of an epoch, chained as a site chains its outbox.
    static func chained(_ count: Int, epoch: String, at: Date) -> [CentralStore.IncomingRecord] {
        var previous = AuditChain.genesis(epoch: epoch)
        return (1...count).map { seq in
            let payload = "{\"value\":\(seq)}"
            let hash = AuditChain.hash(
                previous: previous, seq: Int64(seq), epoch: epoch, kind: "check_reading", recordClass: "fact",
                key: "\(seq)", createdAt: at, payload: payload)
            defer { previous = hash }
            return CentralStore.IncomingRecord(
                seq: Int64(seq), kind: "check_reading", recordClass: "fact", key: "\(seq)", payload: payload,
                createdAt: at, hash: hash, previousHash: previous)
        }
    }

    @Test(arguments: Backend.allCases)
    func storedRecordsVerifyAndAnEditInTheDatabaseIsNamed(_ backend: Backend) async throws {
        try await CentralStoreContractTests().with(backend) { store in
            let site = "audit-\(UUID().uuidString.prefix(8))"
            let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
            var records = Self.chained(5, epoch: "e1", at: now)
            records.remove(at: 2)  // seq 3: a superseded state the site never sent — a gap, not a problem
            _ = try await store.ingest(
                site: site, epoch: "e1", first: 1, last: 5, records: records, configVersion: 0, sentAt: now, now: now)
            let stored = try await store.records(site: site)
            #expect(stored.map(\.hash) == records.map(\.hash))
            // Pages read back for a site's recovery, or for the archive, keep them too.
            let page = try await store.records(site: site, epoch: "e1", after: 0, limit: 10)
            #expect(page.map(\.hash) == records.map(\.hash) && page.map(\.previousHash) == records.map(\.previousHash))
            let intact = CentralAudit.verify(stored)
            #expect(intact.problems.isEmpty && intact.records == 4 && intact.withoutHash == 0)

            guard let sqlite = store as? CentralStore else { return }
            try await sqlite.pool.write { db in
                try db.execute(
                    sql: "UPDATE records SET payload = '{\"value\":99}' WHERE site = ? AND seq = 4", arguments: [site])
                try db.execute(
                    sql: "UPDATE records SET previous_hash = hash WHERE site = ? AND seq = 2", arguments: [site])
            }
            let tampered = CentralAudit.verify(try await store.records(site: site))
            #expect(tampered.problems.map(\.seq) == [2, 2, 4])
            #expect(tampered.problems.last?.message.contains("was changed after it arrived") == true)
        }
    }
}
