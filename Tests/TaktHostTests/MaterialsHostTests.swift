import Foundation
import Synchronization
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// Materials under bad and concurrent input: nothing is lost, duplicated or taken below zero.
@Suite struct MaterialsHostTests {
    func host() throws -> SiteHost {
        let text =
            SiteLoaderTests.header + """
                products:
                  - {id: loaf}
                items:
                  - {id: flour, unit: kg, shelf_life: 180d}
                suppliers:
                  - {id: millers, items: {flour: approved}}
                """
        let definition = try SiteLoader(registry: testRegistry).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "materials-\(UUID().uuidString).sqlite")
        return SiteHost(definition: definition, store: try SiteStore(path: path.path, siteID: definition.site.id))
    }

    @Test func hostileQuantitiesTimesAndIdsAreRefusedAndWriteNothing() throws {
        let host = try host()
        let now = Date()
        func receipt(_ quantity: Double, lot: String = "F-1", at: Date = now) -> SiteHost.Receipt {
            .init(lot: lot, item: "flour", quantity: quantity, supplier: "millers", supplierLot: "ML-1", at: at)
        }
        for quantity in [0, -5, .infinity, .nan] {
            #expect(throws: HostError.self) { try host.receive(receipt(quantity)) }
        }
        #expect(throws: HostError.self) { try host.receive(receipt(1, at: now.addingTimeInterval(400 * 86_400))) }
        #expect(throws: HostError.self) { try host.receive(receipt(1, lot: "")) }
        #expect(try host.store.lots().isEmpty)
        _ = try host.receive(receipt(100, lot: "<F&1>"))
        #expect(throws: HostError.self) { try host.receive(receipt(100, lot: "<F&1>")) }
        try host.addLot(Lot(id: "L-1", product: "loaf", quantity: 10, producedAt: now), at: now)
        for quantity in [0, -1, 1e308 * 10] {
            #expect(throws: HostError.self) {
                try host.consume(from: "<F&1>", into: "L-1", quantity: quantity, by: nil, at: now)
            }
        }
        #expect(throws: HostError.self) {
            try host.consume(from: "<F&1>", into: "<F&1>", quantity: 1, by: nil, at: now)
        }
        #expect(throws: HostError.self) { try host.ship(lot: "L-1", customer: "  ", quantity: 1, by: nil, at: now) }
        #expect(throws: HostError.self) {
            try host.adjust(lot: "<F&1>", by: -1, scrap: false, reason: " ", person: nil, at: now)
        }
        #expect(try host.store.movements(of: "<F&1>").isEmpty)
        #expect(try host.store.onHand(["<F&1>"])["<F&1>"] == 100)
    }

    /// A cycle count records the variance against the book, once; a rejected lot can be counted and scrapped but not
    /// used; a count that is not a number is refused.
    @Test func aCycleCountRecordsItsVarianceAndARejectedLotCanBeCountedButNotUsed() throws {
        let host = try host()
        let now = Date()
        _ = try host.receive(
            .init(lot: "F-1", item: "flour", quantity: 100, supplier: "millers", supplierLot: "ML-1", at: now))
        try host.addLot(Lot(id: "L-1", product: "loaf", quantity: 10, producedAt: now), at: now)
        try host.consume(from: "F-1", into: "L-1", quantity: 30, by: nil, at: now)
        let counted = try host.count(lot: "F-1", counted: 68, by: nil, at: now)
        #expect(counted.book == 70 && counted.adjustment?.quantity == -2)
        #expect(counted.adjustment?.reason == "cycle count: counted 68, book 70")
        #expect(try host.count(lot: "F-1", counted: 68, by: nil, at: now).adjustment == nil)
        for bad in [-1, Double.nan, .infinity] {
            #expect(throws: HostError.self) { try host.count(lot: "F-1", counted: bad, by: nil, at: now) }
        }
        #expect(throws: HostError.self) { try host.count(lot: "F-9", counted: 1, by: nil, at: now) }
        _ = try host.store.decide(lot: "F-1", status: .rejected, by: "qa", at: now)
        #expect(throws: HostError.self) { try host.consume(from: "F-1", into: "L-1", quantity: 1, by: nil, at: now) }
        #expect(try host.count(lot: "F-1", counted: 60, by: nil, at: now).adjustment?.quantity == -8)
        try host.adjust(lot: "F-1", by: -60, scrap: true, reason: "rejected, destroyed", person: nil, at: now)
        #expect(try host.store.onHand(["F-1"])["F-1"] == 0)
    }

    /// A delivery's unit must be the item's; where it is put away, and its certificate, are kept; a lot moves
    /// whole between locations, never to where it is.
    @Test func receiptsKeepTheirLocationAndCertificateAndLotsMoveBetweenLocations() throws {
        let host = try host()
        let now = Date()
        #expect(throws: HostError.self) {
            try host.receive(
                .init(
                    lot: "F-1", item: "flour", quantity: 500, supplier: "millers", supplierLot: "ML-1", unit: "lb",
                    at: now))
        }
        #expect(try host.store.lot("F-1") == nil)
        _ = try host.receive(
            .init(
                lot: "F-1", item: "flour", quantity: 500, supplier: "millers", supplierLot: "ML-1",
                location: "dry store",
                certificate: "CoA 2026/4471", unit: "kg", at: now))
        #expect(try host.store.origins()["F-1"]?.certificate == "CoA 2026/4471")
        #expect(try host.store.locations()["F-1"] == "dry store")
        let moved = try host.transfer(lot: "F-1", to: "line-1 side store", by: nil, at: now)
        #expect(moved.from == "dry store" && moved.to == "line-1 side store")
        #expect(try host.store.locations()["F-1"] == "line-1 side store")
        #expect(throws: HostError.self) { try host.transfer(lot: "F-1", to: "line-1 side store", by: nil, at: now) }
        #expect(throws: HostError.self) { try host.transfer(lot: "F-9", to: "x", by: nil, at: now) }
        #expect(throws: HostError.self) { try host.transfer(lot: "F-1", to: "  ", by: nil, at: now) }
    }

    /// Forty people take 3 kg each from a 100 kg lot at once: exactly 33 are recorded, the lot ends at 1 kg.
    @Test func takingFromOneLotAtOnceNeverGoesBelowZero() throws {
        let host = try host()
        let now = Date()
        _ = try host.receive(
            .init(lot: "F-1", item: "flour", quantity: 100, supplier: "millers", supplierLot: "ML-1", at: now))
        try host.addLot(Lot(id: "L-1", product: "loaf", quantity: 10, producedAt: now), at: now)
        let recorded = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 40) { _ in
            if (try? host.consume(from: "F-1", into: "L-1", quantity: 3, by: nil, at: now)) != nil {
                recorded.withLock { $0 += 1 }
            }
        }
        #expect(recorded.withLock { $0 } == 33)
        #expect(try host.store.onHand(["F-1"])["F-1"] == 1)
        #expect(try host.store.movements(of: "F-1").count == 33)
    }
}
