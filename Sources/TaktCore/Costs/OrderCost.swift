import Foundation

/// An order's actual cost against its standard, with the difference broken into the parts a manager can act on.
///
/// With `h` the overhead share, `S(n)` the standard cost of n units and good + scrap units made:
/// - **material price**: (actual − standard price) × quantity used, for each component, × (1 + h);
/// - **material usage**: (quantity used − standard quantity for everything made) × standard price, × (1 + h);
/// - **scrap**: S(good + scrap) − S(good), the scrapped units at full standard cost;
/// - **changeover**: changeover time reported (downtime whose reason is a setup loss) less the routing's setup,
///   at the work centre's rates, × (1 + h);
/// - **efficiency**: the rest of the time at the work centres against the routing's run time for everything made
///   (slower running, other stops, a dearer shift or work centre), × (1 + h);
/// - **other**: costs recorded against the order by hand.
///
/// The parts add up to actual − S(good), exactly.
public struct OrderCost: Hashable, Sendable, Codable {
    public struct Variance: Hashable, Sendable, Codable {
        public var materialPrice = 0.0
        public var materialUsage = 0.0
        public var efficiency = 0.0
        public var scrap = 0.0
        public var changeover = 0.0
        public var other = 0.0

        public init() {}

        public var total: Double { materialPrice + materialUsage + efficiency + scrap + changeover + other }

        /// The parts by name, in the order reports print them.
        public var named: [(String, Double)] {
            [
                ("material price", materialPrice), ("material usage", materialUsage), ("efficiency", efficiency),
                ("scrap", scrap), ("changeover", changeover), ("other", other),
            ]
        }

        /// Every part times `factor` (an exchange rate).
        public func scaled(by factor: Double) -> Variance {
            var out = self
            out.materialPrice *= factor
            out.materialUsage *= factor
            out.efficiency *= factor
            out.scrap *= factor
            out.changeover *= factor
            out.other *= factor
            return out
        }

        public static func + (a: Variance, b: Variance) -> Variance {
            var sum = Variance()
            sum.materialPrice = a.materialPrice + b.materialPrice
            sum.materialUsage = a.materialUsage + b.materialUsage
            sum.efficiency = a.efficiency + b.efficiency
            sum.scrap = a.scrap + b.scrap
            sum.changeover = a.changeover + b.changeover
            sum.other = a.other + b.other
            return sum
        }
    }

    /// A quantity of a component used for the order, at what its lot cost (nil: not known, taken at standard).
    public struct Consumed: Hashable, Sendable, Codable {
        public var component: String
        public var quantity: Double
        public var unitPrice: Double?

        public init(component: String, quantity: Double, unitPrice: Double?) {
            self.component = component
            self.quantity = quantity
            self.unitPrice = unitPrice
        }
    }

    public var order: String
    public var product: String
    public var good: Double
    public var scrap: Double
    public var currency: String
    /// The standard cost of the good units.
    public var standard: CostParts
    public var actual: CostParts
    public var variance: Variance
    /// Hours at work centres, reported and at standard for everything made (setup included).
    public var hours: Double
    public var standardHours: Double
    /// What the figures rest on that a reader should know (materials at standard, operations not reported).
    public var notes: [String]
}

extension Costing {
    /// The actual cost of `order` from its production reports, the components used for it and costs recorded
    /// against it; nil when its product is unknown.
    public func actual(
        order: String, product: String, reports: [ProductionReport], consumed: [OrderCost.Consumed],
        recorded: [CostEntry]
    ) -> OrderCost? {
        guard let made = site.products[product] else { return nil }
        let good = reports.map(\.good).reduce(0, +)
        let scrap = reports.map(\.scrap).reduce(0, +)
        let share = site.costs.overhead
        let markup = 1 + share
        guard let standardGood = standard(product, quantity: good),
            let standardMade = standard(product, quantity: good + scrap)
        else { return nil }
        var notes = standardMade.gaps
        var actual = CostParts()
        var variance = OrderCost.Variance()

        // Materials: what was used, at what its lots cost.
        let prices = Dictionary(
            standardMade.materials.map { ($0.component, $0.unitPrice) }, uniquingKeysWith: { a, _ in a })
        let standardQuantity = Dictionary(
            standardMade.materials.map { ($0.component, $0.quantity) }, uniquingKeysWith: +)
        var used: [String: (quantity: Double, cost: Double)] = [:]
        if consumed.isEmpty && !made.bom.isEmpty && good + scrap > 0 {
            notes.append("no consumption recorded for the order: materials at standard")
            for line in standardMade.materials { used[line.component] = (line.quantity, line.cost) }
        }
        for item in consumed {
            let standardPrice = prices[item.component] ?? site.items[item.component]?.price ?? 0
            let price = item.unitPrice ?? standardPrice
            used[item.component, default: (0, 0)].quantity += item.quantity
            used[item.component, default: (0, 0)].cost += item.quantity * price
        }
        if consumed.contains(where: { $0.unitPrice == nil }) {
            notes.append("some lots have no price: taken at the item's standard price")
        }
        for component in Set(used.keys).union(standardQuantity.keys).sorted() {
            let standardPrice = prices[component] ?? site.items[component]?.price ?? 0
            let (quantity, cost) = used[component] ?? (0, 0)
            actual.material += cost
            variance.materialPrice += (cost - quantity * standardPrice) * markup
            variance.materialUsage += (quantity - (standardQuantity[component] ?? 0)) * standardPrice * markup
        }

        // Time at the work centres, at the rate of the shift it ran on.
        var hours = 0.0
        var changeoverActual = 0.0
        var reported: Set<String> = []
        for report in reports {
            if let operation = made.routing.first(where: { $0.workCentres.contains(report.workCentre) }) {
                reported.insert(operation.id)
            }
            let rate = rates(report.workCentre) ?? CostRates.WorkCentre()
            let span = report.plannedSeconds / 3600
            let (machine, labour) = conversion(of: report)
            actual.machine += machine
            actual.labour += labour
            hours += span
            let reason = site.downtimeReasons.first { $0.id == report.downReason }
            if let reason, reason.loss == .setup, span > 0 {
                // Changeover time at the report's average hourly rate.
                changeoverActual += report.downSeconds / 3600 * (rate.machine + labour / span)
            }
        }
        let missing = made.routing.map(\.id).filter { !reported.contains($0) }
        if !missing.isEmpty, !reports.isEmpty {
            notes.append("no production reported for " + missing.joined(separator: ", "))
        }
        var setupStandard = 0.0
        for operation in standardMade.operations {
            let rate = rates(operation.workCentre) ?? CostRates.WorkCentre()
            setupStandard += operation.setupHours * (rate.machine + Double(operation.people) * rate.labour)
        }
        let conversionStandard = standardMade.parts.labour + standardMade.parts.machine
        variance.changeover = (changeoverActual - setupStandard) * markup
        variance.efficiency = (actual.labour + actual.machine - conversionStandard) * markup - variance.changeover
        variance.scrap = standardMade.total - standardGood.total

        actual.overhead = (actual.material + actual.labour + actual.machine) * share
        actual.other = recorded.map(\.amount).reduce(0, +)
        variance.other = actual.other
        return OrderCost(
            order: order, product: product, good: good, scrap: scrap, currency: site.site.currency,
            standard: standardGood.parts, actual: actual, variance: variance, hours: hours,
            standardHours: standardMade.operations.map { $0.setupHours + $0.runHours }.reduce(0, +), notes: notes)
    }

    /// What a production report's time cost: the machine for its planned time, and the people its operation takes
    /// (the crew, or one operator) for it.
    public func conversion(of report: ProductionReport) -> (machine: Double, labour: Double) {
        let people =
            site.products[report.product]?.routing.first { $0.workCentres.contains(report.workCentre) }
            .map(Self.people) ?? 1
        let machine = report.plannedSeconds / 3600 * (rates(report.workCentre)?.machine ?? 0)
        return (machine, reportLabour(report, people: people))
    }

    /// A production report's labour: its shift time at each shift's rate; a period wholly outside the calendar's
    /// shifts (production on overtime) at the overtime rate; at a work centre without a calendar, the plain rate.
    func reportLabour(_ report: ProductionReport, people: Int) -> Double {
        guard let rate = rates(report.workCentre) else { return 0 }
        guard site.workCentre(report.workCentre)?.calendar != nil else {
            return report.plannedSeconds / 3600 * rate.labour * Double(people)
        }
        let overlaps = shiftOverlaps(from: report.from, to: report.to, workCentre: report.workCentre)
        guard overlaps.contains(where: { $0.1 > 0 }) else {
            return report.plannedSeconds / 3600 * rate.overtimeLabour * Double(people)
        }
        return overlaps.map { $0.1 / 3600 * rate.labour(on: $0.0) }.reduce(0, +) * Double(people)
    }

    /// What `people` cost at `workCentre` from `from` to `to`: each named shift's hours at its rate, time outside
    /// any shift (work outside the calendar: overtime) at the overtime rate.
    public func labour(from: Date, to: Date, workCentre: String, people: Int) -> Double {
        guard to > from, let rate = rates(workCentre) else { return 0 }
        var total = 0.0
        var covered = 0.0
        for (shift, seconds) in shiftOverlaps(from: from, to: to, workCentre: workCentre) {
            total += seconds / 3600 * rate.labour(on: shift)
            covered += seconds
        }
        total += max(0, to.timeIntervalSince(from) - covered) / 3600 * rate.overtimeLabour
        return total * Double(people)
    }

    /// How many seconds of `from`–`to` fall in each of the work centre's calendar shifts, by shift name (nil for
    /// unnamed shifts).
    func shiftOverlaps(from: Date, to: Date, workCentre: String) -> [(String?, Double)] {
        guard let id = site.workCentre(workCentre)?.calendar, let calendar = site.calendars[id] else { return [] }
        var overlaps: [(String?, Double)] = []
        var day = LocalDate(from, in: site.timeZone).adding(days: -1)
        let last = LocalDate(to, in: site.timeZone)
        while day <= last {
            let weekday = Weekday(day, in: site.timeZone)
            for shift in calendar.shifts where shift.days.contains(weekday) {
                let start = day.instant(at: shift.start, in: site.timeZone)
                let endDay = shift.end.minutesOfDay <= shift.start.minutesOfDay ? day.adding(days: 1) : day
                let end = endDay.instant(at: shift.end, in: site.timeZone)
                let overlap = min(end, to).timeIntervalSince(max(start, from))
                if overlap > 0 { overlaps.append((shift.name, overlap)) }
            }
            day = day.adding(days: 1)
        }
        return overlaps
    }
}
