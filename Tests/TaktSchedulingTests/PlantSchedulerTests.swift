import Foundation
import Testing

@testable import TaktCore
@testable import TaktScheduling

@Suite struct PlantSchedulerTests {
    let zone = TimeZone(identifier: "Europe/London")!
    var monday: Date { Instant.parse("2026-11-30T00:00", in: zone)! }

    /// Two lines on day shifts; sesame → plain needs a 45-minute clean on `line`; `line` may run 4 h before a
    /// 30-minute sanitation clean; plain may never follow spicy on `line`.
    func site(splits: Bool = false) throws -> SiteDefinition {
        let days = ShiftCalendar(
            id: "days",
            shifts: [
                .init(
                    days: [.mon, .tue, .wed, .thu, .fri], start: .init(hour: 6, minute: 0),
                    end: .init(hour: 14, minute: 0))
            ])
        var rules = RuleBook()
        try rules.addChangeover(
            SelectorChangeover(
                id: "site.sesame", from: .init(has: ["allergens": ["sesame"]]),
                to: .init(lacks: ["allergens": ["sesame"]]),
                workCentres: ["line"], duration: .minutes(45), task: "allergen clean"))
        try rules.addChangeover(
            SelectorChangeover(
                id: "site.never", from: .init(product: "spicy"), to: .init(product: "plain"), workCentres: ["line"],
                duration: nil,
                task: "spice carry-over"))
        try rules.addMaximumRun(
            MaximumRunRule(
                id: "site.clean", workCentres: ["line"], maximum: .hours(4), task: "sanitation",
                taskDuration: .minutes(30)))
        func product(_ id: String, _ allergens: [String]) -> Product {
            Product(
                id: id, name: id, attributes: ["allergens": allergens],
                routing: [
                    RoutingOperation(id: "make", workCentres: ["line"], setup: .minutes(10), secondsPerUnit: 36),
                    RoutingOperation(id: "pack", workCentres: ["packer", "packer2"], secondsPerUnit: 18),
                ])
        }
        return SiteDefinition(
            site: Site(id: "t", name: "T", region: "r", timeZone: "Europe/London", currency: "GBP"), timeZone: zone,
            calendars: ["days": days],
            workCentres: [
                WorkCentre(id: "line", name: "Line", calendar: "days", splitsAcrossBreaks: splits),
                WorkCentre(id: "packer", name: "Packer", calendar: "days"),
                WorkCentre(id: "packer2", name: "Packer 2", calendar: "days"),
            ],
            products: [
                "plain": product("plain", []), "seeded": product("seeded", ["sesame"]), "spicy": product("spicy", []),
            ],
            rules: rules)
    }

    func orders() -> [Order] {
        [
            Order(id: "A", product: "seeded", quantity: 100, due: monday.addingTimeInterval(11 * 3600)),
            Order(id: "B", product: "plain", quantity: 100, due: monday.addingTimeInterval(10 * 3600), priority: 2),
            Order(id: "C", product: "spicy", quantity: 150, due: monday.addingTimeInterval(13 * 3600)),
            Order(id: "D", product: "plain", quantity: 200, due: monday.addingTimeInterval(30 * 3600)),
            Order(id: "E", product: "seeded", quantity: 120, due: monday.addingTimeInterval(32 * 3600)),
        ]
    }

    let limits = SearchLimits(timeLimit: .seconds(5), iterations: 400, seed: 3, workers: 1)

    @Test func everyScheduleKeepsEveryHardRule() throws {
        let problem = try PlantProblemBuilder(site: try site(), orders: orders(), from: monday, horizon: .hours(24 * 7))
            .build()
        let outcome = try PlantScheduler.solve(problem, limits: limits)
        #expect(PlantScheduleValidator(problem: problem).problems(in: outcome.schedule).isEmpty)
        // The line never runs plain straight after spicy.
        let line = outcome.schedule.lanes[0].map { problem.products[problem.tasks[$0].product].id }
        for (previous, next) in zip(line, line.dropFirst()) { #expect(!(previous == "spicy" && next == "plain")) }
        // Nothing runs before 06:00 or after 14:00 on the line.
        for slot in outcome.schedule.slots where slot.lane == 0 {
            let hour = Calendar.current.dateComponents(in: zone, from: problem.instant(slot.start)).hour!
            #expect((6..<14).contains(hour))
        }
    }

    @Test func aLongRunGetsItsCleanAndTheValidatorNoticesWhenItIsMissing() throws {
        let problem = try PlantProblemBuilder(site: try site(), orders: orders(), from: monday, horizon: .hours(24 * 7))
            .build()
        var outcome = try PlantScheduler.solve(problem, limits: limits)
        let cleans = outcome.schedule.slots.flatMap(\.setups).filter { $0.kind == .clean }
        #expect(!cleans.isEmpty)
        for index in outcome.schedule.slots.indices {
            outcome.schedule.slots[index].setups.removeAll { $0.kind == .clean }
        }
        #expect(
            PlantScheduleValidator(problem: problem).problems(in: outcome.schedule).contains {
                $0.contains("without sanitation")
            })
    }

    @Test func theValidatorCatchesOverlapsAndMissingChangeovers() throws {
        let problem = try PlantProblemBuilder(site: try site(), orders: orders(), from: monday, horizon: .hours(24 * 7))
            .build()
        var outcome = try PlantScheduler.solve(problem, limits: limits)
        let second = outcome.schedule.lanes[0][1]
        let first = outcome.schedule.lanes[0][0]
        let length = outcome.schedule.slots[second].end - outcome.schedule.slots[second].start
        outcome.schedule.slots[second].start = outcome.schedule.slots[first].start
        outcome.schedule.slots[second].end = outcome.schedule.slots[first].start + length
        outcome.schedule.slots[second].pieces = [
            outcome.schedule.slots[second].start...outcome.schedule.slots[second].end
        ]
        #expect(
            PlantScheduleValidator(problem: problem).problems(in: outcome.schedule).contains { $0.contains("overlap") })
    }

    @Test func lateOrdersComeWithReasons() throws {
        let tight = orders().map { order -> Order in
            var copy = order
            copy.due = monday.addingTimeInterval(7 * 3600)
            return copy
        }
        let problem = try PlantProblemBuilder(site: try site(), orders: tight, from: monday, horizon: .hours(24 * 7))
            .build()
        let outcome = try PlantScheduler.solve(problem, limits: limits)
        let explanations = LatenessExplainer(problem: problem, schedule: outcome.schedule).explain()
        #expect(!explanations.isEmpty)
        #expect(explanations.allSatisfy { !$0.reasons.isEmpty })
        #expect(explanations.flatMap(\.reasons).contains { $0.contains("busy with") })
    }

    @Test func startedWorkStaysAndABreakdownMovesTheRest() throws {
        let site = try site()
        let first = try PlantProblemBuilder(site: site, orders: orders(), from: monday, horizon: .hours(24 * 7)).build()
        let plan = try PlantScheduler.solve(first, limits: limits)
        let rows = plan.schedule.rows(in: first)
        let firstOperation = rows.filter { $0.kind == .operation }.min { $0.start < $1.start }!
        let now = firstOperation.start.addingTimeInterval(600)
        let started = [
            PlantProblemBuilder.Started(
                order: firstOperation.order, operation: firstOperation.operation, workCentre: firstOperation.workCentre,
                start: firstOperation.start, end: firstOperation.end)
        ]
        let outage = PlantProblemBuilder.Outage(
            workCentre: "line", from: now, to: now.addingTimeInterval(3 * 3600), reason: "line down")
        let second = try PlantProblemBuilder(
            site: site, orders: orders(), from: now, horizon: .hours(24 * 7), outages: [outage], started: started
        ).build()
        let repaired = try PlantScheduler.solve(second, limits: limits)
        #expect(PlantScheduleValidator(problem: second).problems(in: repaired.schedule).isEmpty)
        let after = repaired.schedule.rows(in: second)
        let kept = after.first { $0.order == firstOperation.order && $0.operation == firstOperation.operation }
        #expect(kept?.start == firstOperation.start)
        let changes = ScheduleChanges(before: rows, after: after)
        #expect(!changes.moved.isEmpty)
        #expect(
            after.filter { $0.workCentre == "line" && $0.kind == .operation && $0.start > now }.allSatisfy {
                $0.start >= outage.to
            })
    }

    @Test func ordersThatCannotBePlannedAreListedAndTheRestPlanned() throws {
        var site = try site()
        site.products["plain"]!.routing[0].workCentres = ["nowhere"]
        let partial = try PlantProblemBuilder(site: site, orders: orders(), from: monday, horizon: .hours(48)).build()
        #expect(partial.unplannable.map(\.order) == ["B", "D"])
        #expect(
            partial.unplannable.first?.reason
                == "operation make has nowhere to run: the site has no work centre nowhere")
        #expect(Set(partial.jobs.map(\.order.id)) == ["A", "C", "E"])
        let huge = [Order(id: "Z", product: "seeded", quantity: 100_000, due: monday)]
        let problem = try PlantProblemBuilder(site: try self.site(), orders: huge, from: monday, horizon: .hours(48))
            .build()
        #expect {
            try PlantScheduler.solve(problem, limits: limits)
        } throws: { error in
            guard case .beyondHorizon(let order, _) = error as? SchedulingError else { return false }
            return order == "Z"
        }
    }

    @Test func aGeneratedThousandOperationPlantSchedulesValidly() throws {
        let site = PlantGenerator.site(workCentres: 20, products: 30, seed: 5)
        let orders = PlantGenerator.orders(for: site, operations: 1_000, from: monday, days: 14, seed: 5)
        let problem = try PlantProblemBuilder(site: site, orders: orders, from: monday, horizon: .hours(24 * 60))
            .build()
        let outcome = try PlantScheduler.solve(
            problem, limits: SearchLimits(timeLimit: .seconds(5), iterations: 20, workers: 1))
        #expect(PlantScheduleValidator(problem: problem).problems(in: outcome.schedule).isEmpty)
    }

    /// Capable-to-promise on a generated plant: the quoted plan is valid, no committed order ends later than its
    /// promise, the answer is no later than last in line; asking for a date before that names who would slip.
    @Test func aQuoteNeverMakesACommittedOrderLaterAndNamesWhoSlipsForAnEarlierDate() throws {
        let site = PlantGenerator.site(workCentres: 10, products: 20, seed: 7)
        var orders = PlantGenerator.orders(for: site, operations: 400, from: monday, days: 10, seed: 7)
        let product = try #require(orders.first?.product)
        orders.append(Order(id: "asked", product: product, quantity: 400, due: monday.addingTimeInterval(90 * 86_400)))
        let problem = try PlantProblemBuilder(site: site, orders: orders, from: monday, horizon: .hours(24 * 90))
            .build()
        let asked = try #require(problem.jobs.firstIndex { $0.order.id == "asked" })
        let plan = PlantScheduler.constructionOrder(problem).filter { $0 != asked }
        guard case .success(let found) = CapableToPromise.earliest(problem, newJob: asked, sequence: plan) else {
            Issue.record("no quote")
            return
        }
        #expect(PlantScheduleValidator(problem: problem).problems(in: found.answer.schedule).isEmpty)
        #expect(found.answer.slips.isEmpty && found.answer.end <= found.baseline.jobEnd[asked])
        for job in problem.jobs.indices where job != asked {
            #expect(
                found.answer.schedule.jobEnd[job] <= max(problem.jobs[job].due, found.baseline.jobEnd[job]),
                "\(problem.jobs[job].order.id)")
        }
        #expect(!CapableToPromise.reasons(problem, found.answer.schedule, job: asked).isEmpty)
        // First in line it ends earliest; if that is earlier than the quote, someone pays for it.
        let rushed = try #require(
            CapableToPromise.meeting(0, problem, newJob: asked, sequence: found.sequence, baseline: found.baseline))
        #expect(rushed.position == 0 && rushed.end <= found.answer.end)
        if rushed.end < found.answer.end { #expect(!rushed.slips.isEmpty) }
    }

    /// Stock of a part whose units go off once opened, as a module reports it (electronics_assembly's reels).
    func stock(_ units: [PartStock.Unit]) -> PartStock {
        PartStock(
            part: "QFN48", units: units, unitName: "reel", limitName: "floor life", source: "J-STD-033",
            remedy: "bake one before planning", renewal: "bake the reel")
    }

    @Test func workNeedingAPartThatGoesOffFinishesBeforeItsUnitsRunOut() throws {
        var site = try site()
        site.products["plain"]!.attributes["parts"] = ["QFN48"]
        // An open reel with 2 h of floor life left from the planning start, Sunday 20:00.
        let open = stock([.init(id: "R1", remaining: 2 * 3600, running: true)])
        let short = [Order(id: "S", product: "plain", quantity: 10, due: monday.addingTimeInterval(86_400))]
        let shiftStart = try PlantProblemBuilder(
            site: site, orders: short, from: monday.addingTimeInterval(-4 * 3600), horizon: .hours(48),
            partStock: [open]
        ).build()
        #expect(shiftStart.tasks[0].deadline != nil)
        // From 22:00 on Sunday the line opens at 06:00, after the reel's floor life ends at 02:00: refused.
        #expect {
            try PlantScheduler.solve(shiftStart, limits: limits)
        } throws: { error in
            guard case .beyondHorizon(let order, let message) = error as? SchedulingError else { return false }
            return order == "S" && message.contains("floor life") && message.contains("bake the reel")
        }
        // A unit not yet opened starts its clock when opened: no deadline.
        let dry = stock([.init(id: "R2", remaining: 168 * 3600, running: false)])
        let fresh = try PlantProblemBuilder(
            site: site, orders: short, from: monday, horizon: .hours(48), partStock: [dry]
        ).build()
        #expect(fresh.tasks[0].deadline == nil)
        // Every unit past its limit: the order cannot be planned, and the plan says what to do.
        let spent = stock([.init(id: "R3", remaining: -60, running: true)])
        let none = try PlantProblemBuilder(
            site: site, orders: short, from: monday, horizon: .hours(48), partStock: [spent]
        ).build()
        #expect(
            none.unplannable.map(\.reason) == [
                "part QFN48: every reel is past its floor life (J-STD-033); bake one before planning"
            ])
    }
}

extension PlantSchedulerTests {
    @Test func aChangeoverAfterWorkStartedBeforeThePlanIsStillRequired() throws {
        let site = try site()
        // Seeded bread was mixed on the line from 07:00 to 08:00; the plan starts at 09:00 with a plain order.
        let started = [
            PlantProblemBuilder.Started(
                order: "A", operation: "make", workCentre: "line", start: monday.addingTimeInterval(7 * 3600),
                end: monday.addingTimeInterval(8 * 3600))
        ]
        let orders = [orders()[0], orders()[1]]
        let problem = try PlantProblemBuilder(
            site: site, orders: orders, from: monday.addingTimeInterval(9 * 3600), horizon: .hours(48), started: started
        ).build()
        let outcome = try PlantScheduler.solve(problem, limits: limits)
        #expect(PlantScheduleValidator(problem: problem).problems(in: outcome.schedule).isEmpty)
        let plain = outcome.schedule.slots.first {
            problem.jobs[problem.tasks[$0.task].job].order.id == "B" && $0.lane == 0
        }
        #expect(plain?.setups.contains { $0.kind == .changeover } == true)
    }

    /// Two operations started in a row on the line, seeded then plain: the clean between them was done before this
    /// plan, so a re-plan owes nothing before the second (the demo's re-plan after a breakdown was refused for it).
    @Test func workStartedInARowOwesNoChangeoverBetween() throws {
        let site = try site()
        let hour = { (h: Double) in self.monday.addingTimeInterval(h * 3600) }
        let started = [
            PlantProblemBuilder.Started(
                order: "A", operation: "make", workCentre: "line", start: hour(7), end: hour(8)),
            PlantProblemBuilder.Started(
                order: "B", operation: "make", workCentre: "line", start: hour(8.75), end: hour(9.5)),
        ]
        let problem = try PlantProblemBuilder(
            site: site, orders: Array(orders().prefix(3)), from: hour(9), horizon: .hours(48), started: started
        ).build()
        let outcome = try PlantScheduler.solve(problem, limits: limits)
        #expect(PlantScheduleValidator(problem: problem).problems(in: outcome.schedule) == [])
        #expect(outcome.schedule.lanes[0].prefix(2).allSatisfy { problem.frozen[$0] != nil })
    }

    /// Chilled food with a 6-day shelf life due on Friday is not made on Monday: it keeps at least half its shelf
    /// life at its due date; the site's earliest_before_due bounds everything else; an order due far ahead waits.
    @Test func foodIsNotMadeSoEarlyThatItsShelfLifeIsSpent() throws {
        var site = try site()
        site.products["plain"]!.attributes["shelf_life"] = ["6d"]
        site.products["plain"]!.attributes["minimum_remaining_shelf_life"] = ["4d"]
        let friday = monday.addingTimeInterval(4 * 86_400 + 14 * 3600)
        let orders = [
            Order(id: "meal", product: "plain", quantity: 100, due: friday),
            Order(id: "bread", product: "seeded", quantity: 100, due: friday),
        ]
        let problem = try PlantProblemBuilder(site: site, orders: orders, from: monday, horizon: .hours(24 * 7)).build()
        let outcome = try PlantScheduler.solve(problem, limits: limits)
        #expect(PlantScheduleValidator(problem: problem).problems(in: outcome.schedule).isEmpty)
        let rows = outcome.schedule.rows(in: problem)
        let mealMade = try #require(rows.filter { $0.order == "meal" }.map(\.end).max())
        // 6 days of shelf life, 4 to be left at Friday 14:00: made no earlier than Wednesday 14:00.
        #expect(mealMade >= friday.addingTimeInterval(-2 * 86_400))
        #expect(
            problem.jobs.first { $0.order.id == "meal" }?.releaseReason?.contains("must have 4d of it left") == true)
        // Without a shelf life nothing holds bread back; with earliest_before_due it is held too.
        let breadMade = try #require(rows.filter { $0.order == "bread" }.map(\.end).max())
        #expect(breadMade < friday.addingTimeInterval(-2 * 86_400))
        site.earliestBeforeDue = .hours(24)
        let bounded = try PlantProblemBuilder(site: site, orders: orders, from: monday, horizon: .hours(24 * 7)).build()
        let boundedRows = try PlantScheduler.solve(bounded, limits: limits).schedule.rows(in: bounded)
        #expect(boundedRows.filter { $0.order == "bread" }.map(\.end).max()! >= friday.addingTimeInterval(-86_400))
        // An order due beyond what the horizon may make yet is deferred, not unplannable.
        let later = [Order(id: "far", product: "plain", quantity: 100, due: monday.addingTimeInterval(30 * 86_400))]
        let deferred = try PlantProblemBuilder(site: site, orders: later, from: monday, horizon: .hours(24 * 7)).build()
        #expect(deferred.deferred.map(\.order) == ["far"])
        #expect(deferred.unplannable.isEmpty)
    }
}

extension PlantSchedulerTests {
    /// Plain may never follow spicy on the line. Spicy is due first, so the first plan puts plain last, after it:
    /// the repair must try plain earlier too (it used to only push the failing order later, and an order already
    /// last was reported unplannable).
    @Test func anOrderThatCanOnlyGoFirstIsMovedEarlierNotDropped() throws {
        let orders = [
            Order(id: "S", product: "spicy", quantity: 100, due: monday.addingTimeInterval(10 * 3600)),
            Order(id: "P", product: "plain", quantity: 100, due: monday.addingTimeInterval(30 * 3600)),
        ]
        let problem = try PlantProblemBuilder(site: try site(), orders: orders, from: monday, horizon: .hours(72))
            .build()
        let outcome = try PlantScheduler.solve(problem, limits: limits)
        #expect(PlantScheduleValidator(problem: problem).problems(in: outcome.schedule) == [])
        let line = outcome.schedule.lanes[0].map { problem.jobs[problem.tasks[$0].job].order.id }
        #expect(line == ["P", "S"])
    }
}
