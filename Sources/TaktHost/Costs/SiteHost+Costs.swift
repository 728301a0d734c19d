import Foundation
import TaktCore
import TaktStore

/// Costs: recorded entries, standard and actual cost per order with the variance, budgets and their forecast.
extension SiteHost {
    /// Records a cost in the site's currency (central converts it into the region's at the rate of its day).
    public func recordCost(amount: Double, category: String, order: String?, note: String?, at: Date) throws(HostError)
        -> CostEntry
    {
        guard amount.isFinite, abs(amount) < 1e12 else { throw .invalidInput("the amount must be a number") }
        try requireNotAhead(at, "the cost's time")
        try requireCategory(category)
        let entry = CostEntry(
            amount: amount, currency: definition.site.currency, category: category, order: order, note: note, at: at)
        _ = try stored { () throws(StoreError) in try store.recordCost(entry) }
        return entry
    }

    /// Costs recorded in `window`.
    public func costs(in window: DateInterval) throws(HostError) -> [CostEntry] {
        try stored { () throws(StoreError) in try store.costs(in: window) }
    }

    /// The costing over the site's products, items and rates.
    public var costing: Costing { Costing(site: definition) }

    /// The standard cost of `quantity` of `product`.
    public func standardCost(product: String, quantity: Double) throws(HostError) -> StandardCost {
        guard quantity.isFinite, quantity > 0, quantity < 1e12 else {
            throw .invalidInput("the quantity must be a positive number, not \(CriticalLimits.format(quantity))")
        }
        guard let cost = costing.standard(product, quantity: quantity) else {
            throw .unknown(kind: "product", id: product, known: Array(definition.products.keys))
        }
        return cost
    }

    /// An order's actual cost against standard, from what has been reported for it so far.
    public func orderCost(_ id: String) throws(HostError) -> OrderCost {
        guard let order = try stored({ () throws(StoreError) in try store.order(id) }) else {
            throw .invalidInput("no order '\(id)'")
        }
        let inputs = try stored { () throws(StoreError) in try store.costInputs(ofOrder: id) }
        guard !inputs.reports.isEmpty else {
            throw .invalidInput("nothing has been produced for order \(id) yet: it has no actual cost")
        }
        guard
            let cost = costing.actual(
                order: id, product: order.product, reports: inputs.reports, consumed: inputs.consumed,
                recorded: inputs.recorded)
        else { throw .unknown(kind: "product", id: order.product, known: Array(definition.products.keys)) }
        return cost
    }

    /// The variance of every order with production reported in `window`.
    public func variance(in window: DateInterval) throws(HostError) -> VarianceReport {
        let produced = try stored { () throws(StoreError) in try store.ordersProduced(in: window) }
        var orders: [OrderCost] = []
        var skipped: [String] = []
        for (order, _) in produced {
            // A report may name an order the site never imported (typed at the line): it is left out and named, so
            // one stray id never stops the month's figures or the sweep.
            do { orders.append(try orderCost(order)) } catch { skipped.append("\(order): \(error)") }
        }
        var report = VarianceReport(
            from: window.start, to: window.end, currency: definition.site.currency, orders: orders)
        report.skipped = skipped
        return report
    }

    /// Sets one month's budget for a category, in the site's currency.
    @discardableResult
    public func setBudget(month: CostMonth, category: String, amount: Double, by person: String?, at now: Date)
        throws(HostError) -> BudgetLine
    {
        try requireCategory(category)
        guard amount.isFinite, amount >= 0, amount < 1e12 else {
            throw .invalidInput(
                "a budget is an amount of \(definition.site.currency), 0 or more, not \(CriticalLimits.format(amount))")
        }
        let thisMonth = CostMonth(LocalDate(now, in: definition.timeZone))
        guard month.year >= thisMonth.year - 2, month.year <= thisMonth.year + 3 else {
            throw .invalidInput("budgets are kept from two years back to three ahead, not for \(month)")
        }
        try requireStaff(person)
        let line = BudgetLine(
            month: month, category: category, amount: amount, currency: definition.site.currency, setBy: person,
            setAt: now)
        try stored { () throws(StoreError) in try store.setBudget(line) }
        return line
    }

    /// The month's budget against actual costs to `now` and the forecast to its end from the plan of record.
    public func budgetStatus(of month: CostMonth, at now: Date) throws(HostError) -> BudgetStatus {
        let window = month.window(in: definition.timeZone)
        let through = min(max(now, window.start), window.end)
        let spent = try actualCosts(in: DateInterval(start: window.start, end: through))
        var planned: [String: Double] = [:]
        if through < window.end {
            planned = try plannedCosts(in: DateInterval(start: through, end: window.end)).byCategory
        }
        let budgets = try stored { () throws(StoreError) in try store.budgets(of: month) }
        let categories = Set(spent.keys).union(planned.keys).union(budgets.map(\.category))
        let order = ["material", "labour", "machine", "overhead"]
        let lines = categories.sorted {
            (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1)
        }.map { category in
            let actual = CostParts.cents(spent[category] ?? 0)
            return BudgetStatus.Line(
                category: category, budget: budgets.first { $0.category == category }?.amount, actual: actual,
                forecast: CostParts.cents(actual + (planned[category] ?? 0)))
        }.filter { $0.budget != nil || $0.actual != 0 || $0.forecast != 0 }
        return BudgetStatus(month: month, currency: definition.site.currency, through: through, lines: lines)
    }

    /// Costs incurred in `window` by category: production's materials, labour, machine time and overhead from the
    /// reports and consumption in it, and recorded costs by their own categories.
    public func actualCosts(in window: DateInterval) throws(HostError) -> [String: Double] {
        let reports = try stored { () throws(StoreError) in
            try store.productionReports(
                in: DateInterval(start: window.start.addingTimeInterval(-0.001), end: window.end))
        }
        var parts = CostParts()
        let costing = self.costing
        for report in reports {
            let (machine, labour) = costing.conversion(of: report)
            parts.machine += machine
            parts.labour += labour
        }
        for used in try stored({ () throws(StoreError) in try store.consumption(in: window) }) {
            parts.material += used.quantity * (used.unitPrice ?? definition.items[used.component]?.price ?? 0)
        }
        parts.overhead = (parts.material + parts.labour + parts.machine) * definition.costs.overhead
        var categories = parts.byCategory.filter { $0.value != 0 }
        for entry in try costs(in: window) { categories[entry.category, default: 0] += entry.amount }
        return categories
    }

    /// What the plan of record will spend in `window` at standard: each operation's time at its work centre's
    /// rates, the materials of each order whose first operation starts in it, and overhead on both.
    public func plannedCosts(in window: DateInterval) throws(HostError) -> CostParts {
        guard let plan = try stored({ () throws(StoreError) in try store.currentSchedule() }) else {
            return CostParts()
        }
        let open = Dictionary(try openOrders().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let costing = self.costing
        var parts = CostParts()
        var firstStart: [String: Date] = [:]
        for row in plan.rows where row.kind == .operation && open[row.order] != nil {
            firstStart[row.order] = min(firstStart[row.order] ?? row.start, row.start)
            let start = max(row.start, window.start)
            let end = min(row.end, window.end)
            guard end > start else { continue }
            let operation = definition.products[row.product]?.routing.first { $0.id == row.operation }
            let people = row.crew.map(\.count) ?? operation.map(Costing.people) ?? 1
            let rate = costing.rates(row.workCentre) ?? CostRates.WorkCentre()
            parts.machine += end.timeIntervalSince(start) / 3600 * rate.machine
            parts.labour += costing.labour(from: start, to: end, workCentre: row.workCentre, people: people)
        }
        for (id, start) in firstStart where window.contains(start) && start < window.end {
            guard let order = open[id], let standard = costing.standard(order.product, quantity: order.quantity)
            else { continue }
            parts.material += standard.parts.material
        }
        parts.overhead = (parts.material + parts.labour + parts.machine) * definition.costs.overhead
        return parts
    }

    private func requireCategory(_ category: String) throws(HostError) {
        let trimmed = category.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed == category, category.count <= 40,
            category.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        else {
            throw .invalidInput(
                "'\(category)' is not a cost category: 1 to 40 letters, digits, '-' or '_' (material, labour, freight)")
        }
    }
}
