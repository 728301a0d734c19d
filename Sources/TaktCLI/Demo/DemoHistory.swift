import Foundation
import TaktCore
import TaktHost

/// The weeks before the demo's day, so central's trend charts and comparison have history to show: each past day
/// every site imports a day's orders and finishes them (most on time, some late, each site its own way, getting
/// better over the weeks), reports a shift's production at every work centre, records its routine checks and
/// books the day's labour. Everything goes through `SiteHost` at the day's own time, as the day itself does, so
/// central's roll-ups are what real use would give. Deterministic: the same days every run.
struct DemoHistory {
    /// How many days before today.
    let days: Int

    /// A number from 0 to 1 for a site, a day and a salt: the demo's weather, the same every run.
    static func chance(_ site: String, _ day: LocalDate, _ salt: Int) -> Double {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "\(site)|\(day)|\(salt)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        return Double(hash % 10_000) / 10_000
    }

    /// How often a site finishes an order late, falling over the weeks (`age` is days before today).
    static func lateness(_ site: String, age: Int) -> Double {
        let base = ["leeds-bakery": 0.12, "penang-smt": 0.08][site] ?? 0.22
        return base * (0.5 + Double(age) / 56)
    }

    /// Who records the routine checks at each site (qualified for them in the demo's sites).
    static let recorder = ["leeds-bakery": "amara", "penang-smt": "siti", "monterrey-assembly": "lucia"]

    /// Fills the days before `run.start` and leaves the clock at the demo day's start.
    func fill(_ run: DemoSimulator.SiteRun) throws -> Int {
        let definition = run.host.definition
        let zone = run.zone
        let today = LocalDate(run.start, in: zone)
        var events = 0
        for age in stride(from: days, through: 1, by: -1) {
            let day = today.adding(days: -age)
            func at(_ hour: Double) -> Date { day.instant(in: zone).addingTimeInterval(hour * 3600) }
            run.clock.now = at(23.5)
            // Orders: one per two hours from 10:00, each of a product some work centre makes.
            let products = definition.products.values.filter { !$0.routing.isEmpty }.map(\.id).sorted()
            guard !products.isEmpty else { break }
            let count = 4 + Int(Self.chance(run.id, day, 0) * 4)
            let orders = (0..<count).map { index -> Order in
                Order(
                    id: "H-\(day)-\(index + 1)", product: products[index % products.count],
                    quantity: Double(100 + 50 * index), release: at(6), due: at(10 + Double(index) * 2))
            }
            _ = try run.host.store.importOrders(orders, at: at(6))
            for (index, order) in orders.enumerated() {
                let late = Self.chance(run.id, day, 10 + index) < Self.lateness(run.id, age: age)
                let finish = order.due.addingTimeInterval(
                    late ? 1800 + 5400 * Self.chance(run.id, day, 40 + index) : -1800)
                try run.host.completeOrder(order.id, at: finish)
                events += 1
            }
            // A shift at each work centre that makes something: some down time, a little scrap.
            for centre in definition.workCentres {
                guard
                    let product = definition.products.values.sorted(by: { $0.id < $1.id }).first(where: {
                        $0.routing.contains { $0.workCentres.contains(centre.id) }
                    }),
                    let operation = product.routing.first(where: { $0.workCentres.contains(centre.id) })
                else { continue }
                let down = 20 * 60 * Self.chance(run.id, day, 100)
                let hours = 8.0
                let ideal = operation.secondsPerUnit
                let made = max(
                    1, ((hours * 3600 - down) / max(ideal, 1) * (0.8 + 0.15 * Self.chance(run.id, day, 101))).rounded())
                let scrap = (made * 0.01 * (1 + 2 * Self.chance(run.id, day, 102))).rounded()
                if (try? run.host.reportProduction(
                    workCentre: centre.id, product: product.id, order: nil, good: made - scrap, scrap: scrap,
                    from: at(6), to: at(6 + hours), down: TimeSpan(seconds: Int(down)))) != nil
                {
                    events += 1
                }
            }
            // The routine checks, within their limits, twice a day where they are kept.
            for check in definition.rules.checks where check.every != nil {
                let value: Double
                if check.isPassFail {
                    value = 1
                } else if let min = check.limits.min, let max = check.limits.max {
                    value = (min + max) / 2
                } else if let min = check.limits.min {
                    value = min + 2
                } else if let max = check.limits.max {
                    value = max - 1
                } else {
                    continue
                }
                guard check.limits.breach(of: value, unit: check.unit) == nil else { continue }
                for (slot, hour) in [8.0, 14.0].enumerated() {
                    // A real process varies a little (a control chart needs it): up to ±4 % of the value.
                    let noise = check.isPassFail ? 0 : (Self.chance(run.id, day, 60 + slot) - 0.5) * 0.08 * abs(value)
                    let varied = check.limits.breach(of: value + noise, unit: check.unit) == nil ? value + noise : value
                    if (try? run.host.record(
                        CheckReading(
                            check: check.id, value: varied, workCentre: check.workCentres.first,
                            recordedBy: Self.recorder[run.id], at: at(hour)))) != nil
                    {
                        events += 1
                    }
                }
            }
            _ = try? run.host.recordCost(
                amount: (800 + 400 * Self.chance(run.id, day, 200)).rounded(), category: "labour", order: nil,
                note: "day shift", at: at(22))
            try run.host.publishAdherence(of: [day], at: at(23.5))
            // Whatever another rule found in these routine days was dealt with the same evening: the demo's
            // day starts with only its own problems open.
            for finding in try run.host.findings(openOnly: true) where finding.raisedAt < at(24) {
                if let id = finding.id, let person = Self.recorder[run.id] {
                    _ = try? run.host.closeFinding(id, by: person, resolution: "dealt with on the day", at: at(23))
                }
            }
        }
        run.clock.now = run.start
        // This month's agreed budget, so the site app and central compare cost with it: labour as recorded each
        // day, production's own figures at the site's rates.
        let month = CostMonth(today)
        let budgets: [String: Double] = ["labour": 31_000, "machine": 40_000, "overhead": 9_000]
        for (category, amount) in budgets.sorted(by: { $0.key < $1.key }) {
            let scales: [String: Double] = ["penang-smt": 4.5, "monterrey-assembly": 18.0]
            let scale = scales[run.id] ?? 1
            _ = try? run.host.setBudget(
                month: month, category: category, amount: amount * scale, by: Self.recorder[run.id], at: run.start)
        }
        return events
    }
}
