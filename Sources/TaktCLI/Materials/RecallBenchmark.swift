import Foundation
import TaktCore
import TaktHost
import TaktScheduling
import TaktStore

/// A mock recall at a site with a year of materials history: `lots` lots (a tenth received from suppliers, the
/// rest intermediates and finished goods made from them) and about `movements` ledger entries (the lot graph,
/// shipments to customers, counts), loaded into a real site database; then recalls of supplier lots chosen at
/// random, each timed from the request to the full answer (every lot reached, its stock, every shipment).
struct RecallBenchmark {
    var lots: Int
    var movements: Int
    var recalls: Int = 20

    struct Result: Encodable {
        var lots: Int
        var movements: Int
        var secondsToGenerate: Double
        var databaseMegabytes: Double
        var recalls: Int
        var millisecondsMedian: Double
        var millisecondsMax: Double
        var lotsReachedMedian: Int
        var shipmentsMedian: Int
    }

    func run(site: String, registry: ModuleRegistry) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recall-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let host = try SiteHost.open(path: site, dataDirectory: folder.path, registry: registry)
        let started = ContinuousClock.now
        var generator = SystemRandomNumberGenerator()
        let history = MaterialsHistory.year(lots: lots, movements: movements, using: &generator)
        let (all, ledger, received) = (history.lots, history.ledger, history.received)
        try host.store.importHistory(lots: all, origins: history.origins, movements: ledger)
        let generated = (ContinuousClock.now - started).seconds
        var times: [Double] = []
        var reached: [Int] = []
        var shipped: [Int] = []
        for _ in 0..<recalls {
            let supplierLot = "SL-\(Int.random(in: 0..<((received + 1) / 2), using: &generator))"
            let clock = ContinuousClock.now
            guard let recall = try? host.recall(supplierLot: supplierLot, at: Date()) else { continue }
            times.append((ContinuousClock.now - clock).seconds * 1000)
            reached.append(Set(recall.trees.flatMap(\.lots).map(\.lot)).count)
            shipped.append(recall.shipments.count)
        }
        times.sort()
        let file = folder.appendingPathComponent("\(host.definition.site.id).sqlite").path
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        return Result(
            lots: all.count, movements: ledger.count, secondsToGenerate: generated,
            databaseMegabytes: Double(bytes) / 1_048_576, recalls: times.count,
            millisecondsMedian: times.isEmpty ? 0 : times[times.count / 2], millisecondsMax: times.last ?? 0,
            lotsReachedMedian: reached.sorted().dropFirst(reached.count / 2).first ?? 0,
            shipmentsMedian: shipped.sorted().dropFirst(shipped.count / 2).first ?? 0)
    }
}

/// A year of a site's materials history for the recall benchmarks: a tenth of the lots received from suppliers
/// (two lots per supplier lot `SL-n`), three tenths intermediates made from three received lots each, the rest
/// finished goods made from two intermediates and packaging, each shipped to five customers; then counts until
/// the ledger has `movements` entries.
struct MaterialsHistory {
    var lots: [Lot] = []
    var origins: [LotOrigin] = []
    var ledger: [StockMovement] = []
    /// How many lots were received (supplier lots are `SL-0` to `SL-\(received / 2)`).
    var received = 0

    static func year(lots: Int, movements: Int, using generator: inout some RandomNumberGenerator)
        -> MaterialsHistory
    {
        var history = MaterialsHistory()
        let year = Date().addingTimeInterval(-365 * 86_400)
        let received = max(1, lots / 10)
        let intermediates = max(1, lots * 3 / 10)
        let finished = max(1, lots - received - intermediates)
        history.received = received
        func at(_ index: Int, of count: Int) -> Date {
            year.addingTimeInterval(Double(index) / Double(count) * 365 * 86_400)
        }
        for index in 0..<received {
            let lot = "R-\(index)"
            history.lots.append(
                Lot(id: lot, product: "item-\(index % 20)", quantity: 1_000, producedAt: at(index, of: received)))
            history.origins.append(
                LotOrigin(
                    lot: lot, supplier: "supplier-\(index % 12)", supplierLot: "SL-\(index / 2)",
                    receivedAt: at(index, of: received)))
        }
        for index in 0..<intermediates {
            let lot = "I-\(index)"
            let when = at(index, of: intermediates)
            history.lots.append(Lot(id: lot, product: "intermediate", quantity: 500, producedAt: when))
            let near = Int(Double(index) / Double(intermediates) * Double(received))
            for offset in 0..<3 {
                history.ledger.append(
                    StockMovement(lot: "R-\(max(0, near - offset))", kind: .consume, quantity: -10, into: lot, at: when)
                )
            }
        }
        for index in 0..<finished {
            let lot = "F-\(index)"
            let when = at(index, of: finished)
            history.lots.append(Lot(id: lot, product: "finished", quantity: 400, producedAt: when))
            let near = Int(Double(index) / Double(finished) * Double(intermediates))
            for offset in 0..<2 {
                history.ledger.append(
                    StockMovement(lot: "I-\(max(0, near - offset))", kind: .consume, quantity: -20, into: lot, at: when)
                )
            }
            let packaging = Int(Double(index) / Double(finished) * Double(received))
            history.ledger.append(
                StockMovement(lot: "R-\(packaging)", kind: .consume, quantity: -1, into: lot, at: when))
            for customer in 0..<5 {
                history.ledger.append(
                    StockMovement(
                        lot: lot, kind: .ship, quantity: -10, customer: "customer-\((index + customer) % 300)",
                        at: when.addingTimeInterval(3600)))
            }
        }
        while history.ledger.count < movements {
            let lot = history.lots[Int.random(in: 0..<history.lots.count, using: &generator)]
            history.ledger.append(
                StockMovement(
                    lot: lot.id, kind: .adjust, quantity: 1, reason: "count",
                    at: lot.producedAt.addingTimeInterval(7200)))
        }
        return history
    }
}
