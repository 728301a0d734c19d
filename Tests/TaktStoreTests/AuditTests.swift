import Foundation
import GRDB
import Testing

@testable import TaktCore
@testable import TaktStore

/// The outbox's hash chain: intact as written; an edit made directly in the database, a removed record, or a
/// reading changed in its own table is caught and named.
@Suite struct AuditTests {
    func store() throws -> (SiteStore, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).sqlite")
            .path
        let store = try SiteStore(path: path, siteID: "leeds")
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<5 {
            _ = try store.record(
                CheckReading(
                    check: "site.chill", value: 3 + Double(index) / 10, workCentre: "chiller",
                    at: at.addingTimeInterval(Double(index) * 60)), findings: [])
        }
        try store.addLot(Lot(id: "L1", product: "loaf", quantity: 10, producedAt: at), at: at)
        return (store, path)
    }

    func edit(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
    }

    @Test func anIntactTrailVerifies() throws {
        let (store, _) = try store()
        #expect(try store.verifyAudit().isEmpty)
        let rows = try store.outbox(after: 0, limit: 100)
        #expect(rows.count == 6 && rows.allSatisfy { $0.hash?.count == 64 })
    }

    @Test func anEditedRecordARemovedOneAndAnEditedReadingAreNamed() throws {
        let (store, path) = try store()
        try edit(path, "UPDATE outbox SET payload = replace(payload, '3.1', '2.1') WHERE seq = 2")
        var problems = try store.verifyAudit()
        #expect(Set(problems.map(\.seq)) == [2])
        #expect(problems.contains { $0.message.contains("changed after it was written") })
        try edit(path, "DELETE FROM outbox WHERE seq = 4")
        problems = try store.verifyAudit()
        #expect(problems.contains { $0.seq == 4 && $0.message.contains("removed") })
        // The reading itself edited in its table: it no longer says what its record says.
        try edit(path, "UPDATE check_readings SET value = 9.5 WHERE id = 5")
        problems = try store.verifyAudit()
        #expect(problems.contains { $0.kind == "check_reading" && $0.key == "5" && $0.message.contains("9.5") })
    }
}
