import Foundation
import TaktCore
import TaktHost
import TaktScheduling
import TaktStore

/// `takt bench quote`: capable-to-promise on a generated plant's plan of record, through the real host and store.
struct QuoteBenchmark {
    let operations: Int
    let workCentres: Int
    let quotes: Int
    let seed: UInt64

    struct Result: Encodable {
        var operations: Int
        var orders: Int
        var workCentres: Int
        var secondsToPlan: Double
        var quotes: Int
        var secondsMedian: Double
        var secondsMax: Double
        var slipsFound: Int
    }

    func run(timeLimit: Double, workers: Int) throws -> Result {
        let from = Date(timeIntervalSince1970: 1_795_996_800)  // Monday 2026-11-30 00:00 UTC
        let site = PlantGenerator.site(workCentres: workCentres, products: 60, seed: seed)
        let orders = PlantGenerator.orders(for: site, operations: operations, from: from, days: 28, seed: seed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("takt-quote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SiteStore(path: folder.appendingPathComponent("bench.sqlite").path, siteID: site.site.id)
        let host = SiteHost(definition: site, store: store, clock: { from })
        _ = try store.importOrders(orders, at: from)
        let clock = ContinuousClock()
        let planning = clock.now
        let plan = try host.plan(
            from: from, horizon: .days(365),
            limits: SearchLimits(timeLimit: .milliseconds(Int(timeLimit * 1000)), seed: seed, workers: workers),
            now: from)
        let secondsToPlan = planning.duration(to: clock.now).seconds
        var random = SplitMix64(seed: seed)
        let products = site.products.keys.sorted()
        var seconds: [Double] = []
        var slips = 0
        for _ in 0..<quotes {
            let product = products[random.below(products.count)]
            let started = clock.now
            // Asked for within a week: some quotes miss it and name the orders that would slip.
            let quote = try host.quote(
                product: product, quantity: Double(50 + random.below(500)),
                by: from.addingTimeInterval(Double(1 + random.below(7)) * 86_400), horizon: .days(365), at: from)
            seconds.append(started.duration(to: clock.now).seconds)
            slips += quote.slips.count
        }
        seconds.sort()
        return Result(
            operations: plan.summary.operations, orders: plan.summary.orders, workCentres: workCentres,
            secondsToPlan: secondsToPlan, quotes: quotes, secondsMedian: seconds[seconds.count / 2],
            secondsMax: seconds.last ?? 0, slipsFound: slips)
    }
}
