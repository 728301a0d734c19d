import Foundation
import Testing

@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktStore

/// Central's lot graph, kept at ingest, and the recall that walks it across sites, on every central store.
@Suite struct LotGraphTests {
    let contract = CentralStoreContractTests()
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A site's outbox as the site store writes it: lots (state), origins and movements (facts).
    struct Outbox {
        var records: [CentralStore.IncomingRecord] = []
        let encoder: JSONEncoder = {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            return encoder
        }()
        var movementID: Int64 = 0

        mutating func add(_ kind: String, _ recordClass: String, _ key: String, _ payload: some Encodable) throws {
            records.append(
                .init(
                    seq: Int64(records.count + 1), kind: kind, recordClass: recordClass, key: key,
                    payload: String(decoding: try encoder.encode(payload), as: UTF8.self),
                    createdAt: LotGraphTests.t0.addingTimeInterval(Double(records.count))))
        }

        mutating func receive(_ lot: String, _ item: String, _ quantity: Double, supplierLot: String) throws {
            try add("lot", "state", lot, Lot(id: lot, product: item, quantity: quantity, producedAt: LotGraphTests.t0))
            try add(
                "lot_origin", "fact", lot,
                LotOrigin(lot: lot, supplier: "millers", supplierLot: supplierLot, receivedAt: LotGraphTests.t0))
        }

        mutating func make(_ lot: String, _ product: String, _ quantity: Double, from: [(String, Double)]) throws {
            try add(
                "lot", "state", lot, Lot(id: lot, product: product, quantity: quantity, producedAt: LotGraphTests.t0))
            for (source, used) in from {
                try move(StockMovement(lot: source, kind: .consume, quantity: -used, into: lot, at: LotGraphTests.t0))
            }
        }

        mutating func move(_ movement: StockMovement) throws {
            movementID += 1
            var stored = movement
            stored.id = movementID
            try add("stock_movement", "fact", String(movementID), stored)
        }
    }

    @Test(arguments: CentralStoreContractTests.backends)
    func aSupplierLotIsRecalledAtEverySiteThatReceivedItAndOnlyThere(_ backend: CentralStoreContractTests.Backend)
        async throws
    {
        try await contract.with(backend) { store in
            let tag = UUID().uuidString.prefix(6)
            let (leeds, york, hull) = ("leeds-\(tag)", "york-\(tag)", "hull-\(tag)")
            let supplierLot = "ML-\(tag)"
            // Leeds: flour into two doughs, both doughs into one loaf lot, part of it shipped; the flour lot put on
            // hold in the same batch (a lot changed twice in one batch).
            var a = Outbox()
            try a.receive("F-1", "flour", 500, supplierLot: supplierLot)
            try a.make("D-1", "dough", 300, from: [("F-1", 200)])
            try a.make("D-2", "dough", 300, from: [("F-1", 100)])
            try a.make("L-1", "loaf", 400, from: [("D-1", 300), ("D-2", 300)])
            try a.move(StockMovement(lot: "L-1", kind: .ship, quantity: -250, customer: "Tesco Leeds", at: Self.t0))
            try a.add(
                "lot", "state", "F-1",
                Lot(id: "F-1", product: "flour", quantity: 500, producedAt: Self.t0, status: .onHold))
            // York: the same supplier lot, made into one lot still in stock. Hull: another supplier lot.
            var b = Outbox()
            try b.receive("X-1", "flour", 100, supplierLot: supplierLot)
            try b.make("P-1", "pastry", 80, from: [("X-1", 60)])
            var c = Outbox()
            try c.receive("H-1", "flour", 100, supplierLot: "OTHER-\(tag)")
            for (site, outbox) in [(leeds, a), (york, b), (hull, c)] {
                // Sent twice: a retried batch changes nothing.
                for _ in 0..<2 {
                    _ = try await store.ingest(
                        site: site, epoch: "e", first: 1, last: Int64(outbox.records.count), records: outbox.records,
                        configVersion: 0, sentAt: Self.t0, now: Self.t0)
                }
            }

            let recall = try await store.recall(supplierLot: supplierLot, sites: [leeds, york, hull])
            #expect(recall.sites.map(\.site) == [leeds, york])
            let atLeeds = try #require(recall.sites.first { $0.site == leeds }?.recall)
            #expect(Set(atLeeds.trees.flatMap(\.lots).map(\.lot)) == ["F-1", "D-1", "D-2", "L-1"])
            #expect(atLeeds.shipments.map(\.customer) == ["Tesco Leeds"])
            let stock = Dictionary(uniqueKeysWithValues: atLeeds.inStock.map { ($0.lot, $0) })
            #expect(stock["F-1"]?.onHand == 200 && stock["F-1"]?.status == .onHold)
            #expect(stock["L-1"]?.onHand == 150)
            #expect(stock["D-1"] == nil)
            let atYork = try #require(recall.sites.first { $0.site == york }?.recall)
            #expect(atYork.inStock.map(\.lot).sorted() == ["P-1", "X-1"])
            #expect(recall.lots == 6 && recall.shipments == 1)
            // A regional manager who sees only York gets only York.
            #expect(try await store.recall(supplierLot: supplierLot, sites: [york]).sites.map(\.site) == [york])
            #expect(try await store.recall(supplierLot: "nobody-\(tag)", sites: [leeds, york]).sites.isEmpty)
        }
    }
}
