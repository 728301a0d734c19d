import Foundation
import TaktCentralStore
import TaktCore
import TaktStore

/// A mock recall at central across `sites` sites, each with a year of materials history (`MaterialsHistory`):
/// every site's lots, origins and movements are ingested as the sites' outboxes send them (batches of 2,000
/// through the store's ingest, which keeps the lot graph), and every supplier lot exists at every site, so each
/// recall walks all of them. Each recall is timed from the request to the full answer.
struct CentralRecallBenchmark {
    var sites: Int
    var lots: Int
    var movements: Int
    var recalls: Int = 20
    var postgresURL: String?

    struct Result: Encodable {
        var store: String
        var sites: Int
        var records: Int
        var secondsToIngest: Double
        var recalls: Int
        var millisecondsMedian: Double
        var millisecondsMax: Double
        var sitesReachedMedian: Int
        var lotsReachedMedian: Int
        var shipmentsMedian: Int
    }

    func run() async throws -> Result {
        if let postgresURL {
            return try await PostgresCentralStore.with(url: postgresURL) { try await run(on: $0, name: "postgresql") }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "recall-central-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try await run(
            on: try CentralStore(path: folder.appendingPathComponent("central.sqlite").path), name: "sqlite")
    }

    func run(on store: any CentralStorage, name: String) async throws -> Result {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        var generator = SystemRandomNumberGenerator()
        let tag = UUID().uuidString.prefix(6)
        let names = (0..<sites).map { "recall-\(tag)-\($0)" }
        let started = ContinuousClock.now
        var records = 0
        var received = 1
        for site in names {
            let history = MaterialsHistory.year(lots: lots, movements: movements, using: &generator)
            received = history.received
            var outbox: [CentralStore.IncomingRecord] = []
            outbox.reserveCapacity(history.lots.count + history.origins.count + history.ledger.count)
            func add(_ kind: String, _ recordClass: String, _ key: String, _ payload: String, _ at: Date) {
                outbox.append(
                    .init(
                        seq: Int64(outbox.count + 1), kind: kind, recordClass: recordClass, key: key, payload: payload,
                        createdAt: at))
            }
            for lot in history.lots { add("lot", "state", lot.id, try json(lot), lot.producedAt) }
            for origin in history.origins { add("lot_origin", "fact", origin.lot, try json(origin), origin.receivedAt) }
            for (index, movement) in history.ledger.enumerated() {
                var stored = movement
                stored.id = Int64(index + 1)
                add("stock_movement", "fact", String(index + 1), try json(stored), movement.at)
            }
            for start in stride(from: 0, to: outbox.count, by: 2_000) {
                let batch = Array(outbox[start..<min(start + 2_000, outbox.count)])
                _ = try await store.ingest(
                    site: site, epoch: "bench", first: batch[0].seq, last: batch[batch.count - 1].seq, records: batch,
                    configVersion: 0, sentAt: Date(), now: Date())
            }
            records += outbox.count
        }
        let ingested = (ContinuousClock.now - started).seconds
        var times: [Double] = []
        var reachedSites: [Int] = []
        var reachedLots: [Int] = []
        var shipped: [Int] = []
        for _ in 0..<recalls {
            let supplierLot = "SL-\(Int.random(in: 0..<((received + 1) / 2), using: &generator))"
            let clock = ContinuousClock.now
            let recall = try await store.recall(supplierLot: supplierLot, sites: names)
            times.append((ContinuousClock.now - clock).seconds * 1000)
            reachedSites.append(recall.sites.count)
            reachedLots.append(recall.lots)
            shipped.append(recall.shipments)
        }
        times.sort()
        func median(_ values: [Int]) -> Int { values.sorted().dropFirst(values.count / 2).first ?? 0 }
        return Result(
            store: name, sites: sites, records: records, secondsToIngest: ingested, recalls: times.count,
            millisecondsMedian: times.isEmpty ? 0 : times[times.count / 2], millisecondsMax: times.last ?? 0,
            sitesReachedMedian: median(reachedSites), lotsReachedMedian: median(reachedLots),
            shipmentsMedian: median(shipped))
    }
}
