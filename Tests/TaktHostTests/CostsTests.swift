import Foundation
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktScheduling
@testable import TaktStore

/// Costs and promises through the real host and store: an order's variance broken into its parts, budgets with
/// their forecast, and capable-to-promise on the current plan.
@Suite struct CostsTests {
    static let zone = TimeZone(identifier: "Europe/London")!
    /// Monday 7 December 2026.
    static let monday = LocalDate(year: 2026, month: 12, day: 7)

    static func at(_ day: LocalDate, _ hour: Int, _ minute: Int = 0) -> Date {
        day.instant(at: LocalTime(hour: hour, minute: minute), in: zone)
    }

    static let site = """
        site: {id: bakery, name: Bakery, region: r, time_zone: Europe/London, currency: GBP}
        calendars:
          - id: days
            shifts:
              - {name: early, days: [mon, tue, wed, thu, fri, sat, sun], start: "06:00", end: "14:00"}
              - {name: late, days: [mon, tue, wed, thu, fri, sat, sun], start: "14:00", end: "22:00"}
        work_centres:
          - {id: oven, name: Oven, calendar: days}
        items:
          - {id: flour, unit: kg, price: 0.5}
          - {id: seeds, unit: kg, price: 4, lead_time: 5d}
        suppliers:
          - {id: mill, items: {flour: approved, seeds: approved}}
        products:
          - id: loaf
            routing: [{id: bake, work_centres: [oven], setup: 30m, units_per_hour: 100}]
            bom: [{item: flour, quantity: 0.5}]
          - id: seeded
            routing: [{id: bake, work_centres: [oven], setup: 30m, units_per_hour: 100}]
            bom: [{item: flour, quantity: 0.5}, {item: seeds, quantity: 0.05}]
        downtime_reasons: [breakdown, {id: changeover, loss: setup}]
        staff:
          - {id: ann, name: Ann}
        costs:
          overhead: 0.1
          work_centres:
            - {id: oven, machine: 40, labour: 20, shift_labour: {late: 30}, overtime: 45}
          reports: {folder: reports}
        """

    func host(now: Date) throws -> SiteHost {
        let definition = try SiteLoader(registry: testRegistry).load(text: Self.site, file: "site.yaml")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("costs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("bakery.sqlite")
        return SiteHost(
            definition: definition, store: try SiteStore(path: path.path, siteID: definition.site.id), clock: { now })
    }

    /// Flour in stock and O-2 (800 loaves due Monday 16:00) planned on the oven from 06:00 to 14:30.
    func planO2(_ host: SiteHost, now: Date) throws {
        _ = try host.receive(
            .init(lot: "F1", item: "flour", quantity: 2000, supplier: "mill", supplierLot: "M-9", at: now))
        _ = try host.importOrders(
            csv: "id,product,quantity,due\nO-2,loaf,800,2026-12-07T16:00\n", file: "orders.csv", at: now)
        _ = try host.plan(
            from: Self.at(Self.monday, 6), horizon: .days(2),
            limits: SearchLimits(timeLimit: .seconds(1), iterations: 50, seed: 1, workers: 1), now: now)
    }

    @Test func theStandardCostIsTheRoutingAtTheRatesPlusMaterialsPlusOverhead() throws {
        let host = try host(now: Self.at(Self.monday, 5))
        let cost = try host.standardCost(product: "loaf", quantity: 1000)
        // 10.5 h at 40 + 20 = 630, flour 500 kg × 0.50 = 250, overhead 10 % = 88.
        #expect(abs(cost.parts.machine - 420) < 1e-9 && abs(cost.parts.labour - 210) < 1e-9)
        #expect(abs(cost.parts.material - 250) < 1e-9 && abs(cost.parts.overhead - 88) < 1e-9)
        #expect(abs(cost.total - 968) < 1e-9 && cost.gaps.isEmpty)
        #expect(throws: HostError.self) { try host.standardCost(product: "cake", quantity: 1) }
        #expect(throws: HostError.self) { try host.standardCost(product: "loaf", quantity: 0) }
    }

    /// Golden: 1,000 loaves ordered; the oven ran 12 h (8 early with a 40-minute changeover, 4 on the dearer late
    /// shift) for 950 good and 50 scrap, using 520 kg of flour bought at 0.55 instead of 0.50, and 25 of freight.
    @Test func anOrderThatRanSlowAndScrappedMoreHasItsVarianceBrokenIntoItsParts() throws {
        let monday = LocalDate(year: 2026, month: 11, day: 30)
        let host = try host(now: Self.at(monday.adding(days: 1), 8))
        _ = try host.importOrders(
            csv: "id,product,quantity,due\nO-1,loaf,1000,2026-12-01T12:00\n", file: "orders.csv",
            at: Self.at(monday, 5))
        _ = try host.receive(
            .init(
                lot: "F1", item: "flour", quantity: 600, supplier: "mill", supplierLot: "M-9", unitPrice: 0.55,
                at: Self.at(monday, 5)))
        _ = try host.reportProduction(
            workCentre: "oven", product: "loaf", order: "O-1", good: 600, scrap: 30, from: Self.at(monday, 6),
            to: Self.at(monday, 14), down: .minutes(40), downReason: "changeover",
            output: .init(lot: "L1", consume: [("F1", 330)]))
        _ = try host.reportProduction(
            workCentre: "oven", product: "loaf", order: "O-1", good: 350, scrap: 20, from: Self.at(monday, 14),
            to: Self.at(monday, 18), down: TimeSpan(seconds: 0), output: .init(lot: "L2", consume: [("F1", 190)]))
        _ = try host.recordCost(amount: 25, category: "freight", order: "O-1", note: nil, at: Self.at(monday, 18))

        let cost = try host.orderCost("O-1")
        func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-6 }
        #expect(cost.good == 950 && cost.scrap == 50 && near(cost.hours, 12))
        #expect(near(cost.standard.total, 921.25))
        #expect(near(cost.actual.material, 286) && near(cost.actual.machine, 480) && near(cost.actual.labour, 280))
        #expect(near(cost.actual.overhead, 104.6) && near(cost.actual.other, 25) && near(cost.actual.total, 1175.6))
        #expect(near(cost.variance.materialPrice, 28.6), "\(cost.variance)")
        #expect(near(cost.variance.materialUsage, 11), "\(cost.variance)")
        #expect(near(cost.variance.scrap, 46.75), "\(cost.variance)")
        #expect(near(cost.variance.changeover, 11), "\(cost.variance)")
        #expect(near(cost.variance.efficiency, 132), "\(cost.variance)")
        #expect(near(cost.variance.other, 25))
        #expect(near(cost.variance.total, cost.actual.total - cost.standard.total))
        #expect(cost.notes.isEmpty, "\(cost.notes)")

        // The month's variance holds the order, by order and by product alike.
        let month = CostMonth(year: 2026, month: 11).window(in: Self.zone)
        let report = try host.variance(in: month)
        #expect(report.orders.map(\.order) == ["O-1"] && near(report.variance.total, 254.35))
        #expect(report.byProduct.map(\.product) == ["loaf"])
        #expect(throws: HostError.self) { try host.orderCost("O-404") }

        // The monthly report carries it; the first sweep of December writes it once and announces it, and
        // central is sent November's final cost status with December's.
        let monthly = try host.monthlyReport(
            of: CostMonth(year: 2026, month: 11), at: Self.at(monday.adding(days: 1), 8))
        let figures = monthly.sections.flatMap(\.figures)
        #expect(figures.first { $0.label == "Good units" }?.number == 950)
        #expect(figures.first { $0.label == "Variance" }.map { near($0.number ?? 0, 254.35) } == true)
        #expect(monthly.html(in: Self.zone).contains("<h2>Variance against standard (GBP, + is over)</h2>"))
        #expect(monthly.csv().contains("Output and OEE,Good units,950,950.0"))
        let raised = try host.sweep(at: Self.at(monday.adding(days: 1), 8))
        let announcement = try #require(raised.first { $0.rule == "site.report.monthly" })
        #expect(announcement.severity == .info && announcement.message.contains("bakery-2026-11.html"))
        let written = URL(fileURLWithPath: host.store.path).deletingLastPathComponent()
            .appendingPathComponent("reports/bakery-2026-11.csv")
        #expect(FileManager.default.fileExists(atPath: written.path))
        #expect(try host.sweep(at: Self.at(monday.adding(days: 1), 7)).allSatisfy { $0.rule != "site.report.monthly" })
        let statuses = try host.store.outbox(after: 0, limit: 10_000).filter { $0.kind == "cost_status" }
        #expect(Set(statuses.map(\.key)) == ["2026-11", "2026-12"])
        // A report naming an order the site never imported is left out of the month, named, and stops nothing.
        _ = try host.reportProduction(
            workCentre: "oven", product: "loaf", order: "TYPO-1", good: 10, scrap: 0, from: Self.at(monday, 19),
            to: Self.at(monday, 20), down: TimeSpan(seconds: 0))
        let withStray = try host.variance(in: month)
        #expect(withStray.orders.map(\.order) == ["O-1"] && withStray.skipped.first?.hasPrefix("TYPO-1") == true)
    }

    /// Work outside the calendar's shifts is overtime: its labour at the overtime rate.
    @Test func productionOutsideTheShiftsIsPaidAtTheOvertimeRate() throws {
        let monday = LocalDate(year: 2026, month: 11, day: 30)
        let host = try host(now: Self.at(monday.adding(days: 1), 8))
        _ = try host.importOrders(
            csv: "id,product,quantity,due\nO-9,loaf,100,2026-12-01T12:00\n", file: "orders.csv", at: Self.at(monday, 5))
        let report = try host.reportProduction(
            workCentre: "oven", product: "loaf", order: "O-9", good: 100, scrap: 0, from: Self.at(monday, 22),
            to: Self.at(monday, 23), down: TimeSpan(seconds: 0))
        #expect(report.outsideShifts == true)
        let cost = try host.orderCost("O-9")
        #expect(abs(cost.actual.labour - 45) < 1e-9 && abs(cost.actual.machine - 40) < 1e-9, "\(cost.actual)")
    }

    /// Rates that cannot be right are refused with their place in the file, and the site does not load.
    @Test func badRatesAreRefusedWhereTheyAre() {
        let bad = Self.site.replacingOccurrences(
            of: "- {id: oven, machine: 40, labour: 20, shift_labour: {late: 30}, overtime: 45}",
            with: "- {id: oven, machine: -40, labour: 20, shift_labour: {nights: 30}}\n    - {id: mixer, labour: 1}"
        )
        .replacingOccurrences(of: "overhead: 0.1", with: "overhead: -1")
        do {
            _ = try SiteLoader(registry: testRegistry).load(text: bad, file: "site.yaml")
            Issue.record("bad rates were accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("costs.work_centres[0].machine") && text.contains("0 or more"), "\(text)")
            #expect(text.contains("no shift named 'nights'") && text.contains("no work centre 'mixer'"), "\(text)")
            #expect(text.contains("costs.overhead"), "\(text)")
        }
        let priced = Self.site.replacingOccurrences(
            of: "{id: flour, unit: kg, price: 0.5}", with: "{id: flour, unit: kg, price: -2}")
        #expect(throws: HostError.self) { try SiteLoader(registry: testRegistry).load(text: priced, file: "site.yaml") }
    }

    @Test func aBudgetIsComparedWithActualAndTheForecastFromThePlan() throws {
        let now = Self.at(Self.monday, 5)
        let host = try host(now: now)
        let month = CostMonth(year: 2026, month: 12)
        try host.setBudget(month: month, category: "labour", amount: 100, by: "ann", at: now)
        try host.setBudget(month: month, category: "freight", amount: 50, by: nil, at: now)
        try planO2(host, now: now)
        _ = try host.recordCost(amount: 20, category: "freight", order: nil, note: nil, at: now.addingTimeInterval(-60))
        let status = try host.budgetStatus(of: month, at: now)
        let labour = try #require(status.lines.first { $0.category == "labour" })
        // The plan bakes 8.5 h from 06:00 to 14:30: 8 h early at 20, 0.5 h late at 30.
        #expect(labour.actual == 0 && abs(labour.forecast - 175) < 0.01 && labour.budget == 100)
        #expect((labour.overBudget ?? 0) > 74)
        let freight = try #require(status.lines.first { $0.category == "freight" })
        #expect(freight.actual == 20 && freight.forecast == 20 && freight.budget == 50)
        let material = try #require(status.lines.first { $0.category == "material" })
        #expect(abs(material.forecast - 200) < 0.01)
        // Bad input: a negative budget or a category that is not one, nothing written.
        #expect(throws: HostError.self) {
            try host.setBudget(month: month, category: "labour", amount: -1, by: nil, at: now)
        }
        #expect(throws: HostError.self) {
            try host.setBudget(month: month, category: "two words", amount: 1, by: nil, at: now)
        }
        #expect(throws: HostError.self) {
            try host.setBudget(month: CostMonth(year: 2099, month: 1), category: "labour", amount: 1, by: nil, at: now)
        }
        #expect(throws: HostError.self) {
            try host.setBudget(month: month, category: "labour", amount: .nan, by: nil, at: now)
        }
        #expect(throws: HostError.self) {
            try host.setBudget(month: month, category: String(repeating: "x", count: 41), amount: 1, by: nil, at: now)
        }
        #expect(try host.budgetStatus(of: month, at: now).lines.first { $0.category == "labour" }?.budget == 100)
    }

    /// Golden: the oven is booked 06:00–14:30 for O-2 (due 16:00). 200 more loaves (2.5 h) fit after it, at 17:00;
    /// asked for by 10:00 they would go first and O-2 would finish an hour late.
    @Test func aQuoteKeepsCommittedOrdersOnTimeAndSaysWhoWouldSlipToMeetAnEarlierDate() throws {
        let now = Self.at(Self.monday, 5)
        let host = try host(now: now)
        try planO2(host, now: now)
        let plain = try host.quote(product: "loaf", quantity: 200, at: now)
        #expect(plain.earliest == Self.at(Self.monday, 17), "\(plain)")
        #expect(plain.slips.isEmpty && plain.meets == nil)
        #expect(plain.reasons.contains { $0.contains("oven") }, "\(plain.reasons)")
        #expect(abs(plain.standardCost - 220) < 0.01)

        let rushed = try host.quote(product: "loaf", quantity: 200, by: Self.at(Self.monday, 10), at: now)
        #expect(rushed.meets == false && rushed.earliest == Self.at(Self.monday, 17))
        #expect(rushed.byEnd == Self.at(Self.monday, 8, 30))
        #expect(rushed.slips.map(\.order) == ["O-2"] && rushed.slips.first?.slipSeconds == 3600, "\(rushed.slips)")
        // Nothing was stored: the plan of record is as it was.
        #expect(try host.store.currentSchedule()?.rows.count == 1)
        #expect(throws: HostError.self) { try host.quote(product: "cake", quantity: 1, at: now) }
        #expect(throws: HostError.self) { try host.quote(product: "loaf", quantity: 0, at: now) }
    }

    /// Golden: seeded loaves need seeds, none in stock, five days' lead time: the quote says so.
    @Test func aQuoteWhoseDateIsSetByAMaterialLeadTime() throws {
        let now = Self.at(Self.monday, 5)
        let host = try host(now: now)
        _ = try host.receive(
            .init(lot: "F1", item: "flour", quantity: 2000, supplier: "mill", supplierLot: "M-9", at: now))
        let quote = try host.quote(product: "seeded", quantity: 100, at: now)
        #expect(quote.earliest >= now.addingTimeInterval(5 * 86_400), "\(quote)")
        #expect(quote.earliest < now.addingTimeInterval(6 * 86_400), "\(quote)")
        #expect(quote.reasons.first?.contains("seeds") == true, "\(quote.reasons)")
        #expect(quote.basis.contains("no plan of record"))
    }
}
