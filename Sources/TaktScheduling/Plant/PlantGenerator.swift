import Foundation
import TaktCore

/// Generates a plant of a given size for the scale benchmark: work centres on two shifts with a maintenance
/// window, products in families with changeovers between families, routings of three to six operations with
/// one to three eligible work centres each, and orders due over the horizon. Deterministic for a seed.
public enum PlantGenerator {
    public static func site(workCentres: Int, products: Int, seed: UInt64) -> SiteDefinition {
        var random = SplitMix64(seed: seed)
        let zone = TimeZone(identifier: "Europe/London")!
        let start = LocalDate(year: 2026, month: 11, day: 30)
        let shifts = ShiftCalendar(
            id: "two-shifts",
            shifts: [
                .init(
                    days: [.mon, .tue, .wed, .thu, .fri, .sat], start: .init(hour: 6, minute: 0),
                    end: .init(hour: 14, minute: 0)),
                .init(
                    days: [.mon, .tue, .wed, .thu, .fri], start: .init(hour: 14, minute: 0),
                    end: .init(hour: 22, minute: 0)),
            ],
            exceptions: [
                .init(
                    from: start.instant(at: .init(hour: 10, minute: 0), in: zone),
                    to: start.instant(at: .init(hour: 12, minute: 0), in: zone), reason: "maintenance")
            ])
        let centres = (0..<workCentres).map {
            WorkCentre(id: "wc\($0)", name: "Work centre \($0)", calendar: "two-shifts")
        }
        var catalogue: [String: Product] = [:]
        for index in 0..<products {
            let steps = 3 + random.below(4)
            var routing: [RoutingOperation] = []
            for step in 0..<steps {
                let stage = (step * workCentres / steps + random.below(max(workCentres / steps, 1))) % workCentres
                let options = (0..<(1 + random.below(3))).map { "wc\((stage + $0 * 7) % workCentres)" }
                routing.append(
                    RoutingOperation(
                        id: "op\(step)", workCentres: Array(Set(options)).sorted(),
                        setup: .minutes(5 + random.below(20)),
                        secondsPerUnit: Double(2 + random.below(10))))
            }
            let id = "p\(index)"
            catalogue[id] = Product(id: id, name: id, attributes: ["family": ["f\(index % 8)"]], routing: routing)
        }
        var rules = RuleBook()
        try? rules.addChangeover(
            FamilyRule(id: "site.family_changeover", within: .minutes(10), between: .minutes(40)))
        return SiteDefinition(
            site: Site(
                id: "generated", name: "Generated plant", region: "bench", timeZone: "Europe/London", currency: "GBP"),
            timeZone: zone, calendars: ["two-shifts": shifts], workCentres: centres, products: catalogue, rules: rules)
    }

    /// Orders whose routings add up to about `operations` operations, due across `days` from `from`.
    public static func orders(for site: SiteDefinition, operations: Int, from: Date, days: Int, seed: UInt64) -> [Order]
    {
        var random = SplitMix64(seed: seed &+ 1)
        let products = site.products.values.sorted { $0.id < $1.id }
        var orders: [Order] = []
        var count = 0
        while count < operations {
            let product = products[random.below(products.count)]
            count += product.routing.count
            let due = from.addingTimeInterval(TimeInterval(86_400 * (1 + random.below(max(days - 1, 1)))))
            orders.append(
                Order(
                    id: "o\(orders.count)", product: product.id, quantity: Double(20 + random.below(200)), due: due,
                    priority: 1 + random.below(3)))
        }
        return orders
    }

    /// Changeovers by family: short within, long between.
    struct FamilyRule: ChangeoverRule {
        let id: RuleID
        let within: TimeSpan
        let between: TimeSpan
        var summary: String { "family changeovers" }

        func changeover(from previous: Product, to next: Product, on workCentre: String) -> Changeover? {
            let same = previous.values(of: "family") == next.values(of: "family")
            return .required(duration: same ? within : between, task: same ? "adjust" : "family change", rule: id)
        }
    }

    /// The site with people as capacity: every operation needs one or two people of one of `skills` skills, and
    /// `people` people (each with two or three skills) are rostered half on the early and half on the late shift
    /// for `days` days from `from`, as the calendar works. Deterministic for a seed.
    public static func withPeople(
        _ site: SiteDefinition, people count: Int, skills: Int = 10, from: Date, days: Int, seed: UInt64
    ) -> (site: SiteDefinition, people: [PlantProblemBuilder.Person]) {
        var random = SplitMix64(seed: seed &+ 2)
        var site = site
        for id in site.products.keys.sorted() {
            for index in site.products[id]!.routing.indices {
                site.products[id]!.routing[index].crew = [
                    CrewNeed(skill: "s\(random.below(max(skills, 1)))", count: 1 + random.below(2))
                ]
            }
        }
        let zone = site.timeZone
        let first = LocalDate(from, in: zone)
        var people: [PlantProblemBuilder.Person] = []
        for index in 0..<count {
            var known = Set<String>()
            // Everyone covers every skill at least once across the staff, then two or three at random.
            known.insert("s\(index % max(skills, 1))")
            while known.count < 2 + random.below(2) { known.insert("s\(random.below(max(skills, 1)))") }
            let late = index % 2 == 1
            var shifts: [ShiftAssignment] = []
            for offset in 0..<days {
                let day = first.adding(days: offset)
                let weekday = Weekday(day, in: zone)
                guard weekday != .sun, !(late && weekday == .sat) else { continue }
                let start = day.instant(at: LocalTime(hour: late ? 14 : 6, minute: 0), in: zone)
                shifts.append(
                    ShiftAssignment(
                        staff: "person\(index)", start: start, end: start.addingTimeInterval(8 * 3600),
                        breakTime: .minutes(30)))
            }
            people.append(
                PlantProblemBuilder.Person(
                    staff: Staff(id: "person\(index)", name: "Person \(index)", skills: known.sorted()), shifts: shifts)
            )
        }
        for person in people { site.staff[person.staff.id] = person.staff }
        return (site, people)
    }
}
