import Foundation
import GRDB
import Testing

@testable import TaktCore
@testable import TaktStore

/// A module's record kind in the site database: its own table and migrations, its shape evolving across
/// releases, and an older build refusing what a newer one wrote.
@Suite struct ModuleRecordStoreTests {
    let directory = TemporaryDirectory()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    struct BinV1: Codable, Sendable {
        var id: String
        var qty: Int
    }

    struct Bin: Codable, Sendable, Equatable {
        var id: String
        var quantity: Int
        var unit: String
    }

    /// The kind as release 1 shipped it.
    static let v1 = RecordKind<BinV1>.state("test_shelf.bin", key: \.id, indexes: ["qty"])
    /// Release 3: `qty` became `quantity` (version 2), then `unit` arrived with a default (version 3).
    static let v3 = RecordKind<Bin>.state(
        "test_shelf.bin", version: 3, key: \.id, indexes: ["quantity"],
        upgrades: [.rename("qty", to: "quantity"), .add("unit", default: .string("pcs"))])

    func open(_ kinds: [AnyRecordKind]) throws -> SiteStore {
        try SiteStore(path: directory.file("site.sqlite"), siteID: "leeds", recordKinds: kinds, newEpoch: { "e" })
    }

    @Test func anOldDatabaseIsMigratedToTheKindsNewShapeAndKeepsItsRecords() throws {
        do {
            let old = try open([Self.v1.erased])
            _ = try old.apply(
                [try Self.v1.write(BinV1(id: "b1", qty: 4)), try Self.v1.write(.init(id: "b2", qty: 9))], at: now)
            #expect(try old.appliedMigrations().contains("test_shelf.bin.v1"))
        }
        let new = try open([Self.v3.erased])
        #expect(
            try new.appliedMigrations().filter { $0.hasPrefix("test_shelf") } == [
                "test_shelf.bin.v1", "test_shelf.bin.v2", "test_shelf.bin.v3",
            ])
        let rows = try new.moduleRecords("test_shelf.bin")
        #expect(rows.map(\.version) == [3, 3])
        #expect(
            try rows.map { try Self.v3.decode($0.json, key: $0.key) } == [
                Bin(id: "b1", quantity: 4, unit: "pcs"), Bin(id: "b2", quantity: 9, unit: "pcs"),
            ])
        // The new index answers; the outbox still holds what release 1 sent, at version 1.
        #expect(try new.moduleRecords("test_shelf.bin", field: "quantity", equals: "9").map(\.key) == ["b2"])
        #expect(try new.outbox().map(\.payload).first == #"{"record":{"id":"b1","qty":4},"version":1}"#)
    }

    @Test func anOlderBuildRefusesADatabaseWithNewerRecordsAndChangesNothing() throws {
        do {
            let store = try open([Self.v3.erased])
            _ = try store.apply([try Self.v3.write(Bin(id: "b1", quantity: 1, unit: "kg"))], at: now)
        }
        do {
            _ = try open([Self.v1.erased])
            Issue.record("an older build opened a newer database")
        } catch {
            #expect("\(error)".contains("written by a newer Takt"))
            #expect(
                "\(error)".contains("test_shelf.bin.v2, test_shelf.bin.v3")
                    || "\(error)".contains("test_shelf.bin.v3, test_shelf.bin.v2"))
        }
        // Nothing changed: the newer build still finds its schema and its record.
        let again = try open([Self.v3.erased])
        #expect(try again.moduleRecords("test_shelf.bin").map(\.version) == [3])
        #expect(try again.outbox().count == 1)
    }

    @Test func aModuleTheSiteNoLongerLoadsKeepsItsTableUntouched() throws {
        do {
            let store = try open([Self.v3.erased])
            _ = try store.apply([try Self.v3.write(Bin(id: "b1", quantity: 1, unit: "kg"))], at: now)
        }
        let without = try open([])
        #expect(
            try without.pool.read { db in try Int.fetchOne(db, sql: #"SELECT COUNT(*) FROM "test_shelf.bin""#) } == 1)
        #expect { _ = try without.moduleRecords("test_shelf.bin") } throws: { error in
            "\(error)".contains("no module loaded at this site keeps 'test_shelf.bin' records")
        }
        // And loading it again finds the record where it was.
        #expect(try open([Self.v3.erased]).moduleRecords("test_shelf.bin").map(\.key) == ["b1"])
    }

    @Test func aWriteThatBreaksTheTableRollsBackEverything() throws {
        let store = try open([Self.v3.erased])
        let good = try Self.v3.write(Bin(id: "b1", quantity: 1, unit: "kg"))
        let keyless = RecordWrite(kind: "test_shelf.bin", recordClass: .state, key: "", at: nil, json: "{}")
        #expect(throws: StoreError.self) { _ = try store.apply([good, keyless], at: now) }
        #expect(try store.moduleRecords("test_shelf.bin").isEmpty)
        #expect(try store.outbox().isEmpty)
    }
}
