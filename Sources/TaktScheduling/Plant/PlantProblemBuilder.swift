import Foundation
import TaktCore

/// Builds a `PlantProblem` from a site, its open orders and the site's rules.
public struct PlantProblemBuilder: Sendable {
    /// A work centre that cannot work from `from` to `to` (a breakdown), or is blocked.
    public struct Outage: Hashable, Sendable {
        public var workCentre: String
        public var from: Date
        public var to: Date
        public var reason: String

        public init(workCentre: String, from: Date, to: Date, reason: String) {
            self.workCentre = workCentre
            self.from = from
            self.to = to
            self.reason = reason
        }
    }

    /// A task from an earlier schedule that has started: order, operation, work centre and times.
    public struct Started: Hashable, Sendable {
        public var order: String
        public var operation: String
        public var workCentre: String
        public var start: Date
        public var end: Date

        public init(order: String, operation: String, workCentre: String, start: Date, end: Date) {
            self.order = order
            self.operation = operation
            self.workCentre = workCentre
            self.start = start
            self.end = end
        }
    }

    /// A person who may be put on crews: who they are as the planner should judge them (skills at competent or
    /// above, certificates), when they are rostered (absences already cut out), and the work centres where an
    /// active block keeps them off.
    public struct Person: Hashable, Sendable {
        public var staff: Staff
        public var shifts: [ShiftAssignment]
        public var absences: [DateInterval]
        public var blockedAt: Set<String>

        public init(
            staff: Staff, shifts: [ShiftAssignment], absences: [DateInterval] = [], blockedAt: Set<String> = []
        ) {
            self.staff = staff
            self.shifts = shifts
            self.absences = absences
            self.blockedAt = blockedAt
        }
    }

    public var site: SiteDefinition
    public var orders: [Order]
    /// The people operations with a crew are planned on; operations without one ignore them.
    public var people: [Person] = []
    public var from: Date
    public var horizon: TimeSpan
    public var outages: [Outage]
    public var started: [Started]
    /// Parts whose stock goes off once opened (moisture-sensitive reels, from the modules' part-stock rules): a
    /// product whose `parts` attribute names such a part must be made while a unit of it is still usable.
    public var partStock: [PartStock]
    /// When each order's materials are all there (from `MaterialPlanner`): its first operation starts no
    /// sooner, and an order short of an item with no lead time is not planned.
    public var materials: [String: MaterialPlan.Readiness]

    public init(
        site: SiteDefinition, orders: [Order], from: Date, horizon: TimeSpan, outages: [Outage] = [],
        started: [Started] = [], partStock: [PartStock] = [], materials: [String: MaterialPlan.Readiness] = [:]
    ) {
        self.materials = materials
        self.site = site
        self.orders = orders
        self.from = from
        self.horizon = horizon
        self.outages = outages
        self.started = started
        self.partStock = partStock
    }

    /// The latest end for work that uses `part`, or nil when a unit is fresh enough (or the part is not tracked):
    /// a unit not yet opened starts its clock when opened; open units end theirs at a fixed time.
    func partDeadline(_ part: String, work: Int) throws(SchedulingError) -> (Int, String, String)? {
        guard let stock = partStock.first(where: { $0.part == part }) else { return nil }
        var best: Int?
        for unit in stock.units {
            guard let remaining = unit.remaining else { return nil }
            if !unit.running {
                if remaining >= Double(work) { return nil }
                continue
            }
            if remaining > 0 { best = max(best ?? 0, Int(remaining)) }
        }
        guard let best else {
            throw .invalidPlant(
                "part \(part): every \(stock.unitName) is past its \(stock.limitName) (\(stock.source)); \(stock.remedy)"
            )
        }
        return (
            best,
            "\(stock.unitName) of \(part) reaches its \(stock.limitName) at \(Instant.format(from.addingTimeInterval(TimeInterval(best)), in: site.timeZone))",
            stock.renewal
        )
    }

    public func build() throws(SchedulingError) -> PlantProblem {
        let window = DateInterval(start: from, duration: TimeInterval(horizon.seconds))
        let seconds = { (date: Date) -> Int in Int(date.timeIntervalSince(self.from).rounded()) }
        var lanes: [PlantProblem.Lane] = []
        var lanesOf: [String: [Int]] = [:]
        for centre in site.workCentres {
            let calendar = centre.calendar.flatMap { site.calendars[$0] }
            var open = calendar?.availability(in: window, timeZone: site.timeZone) ?? [window]
            for outage in outages where outage.workCentre == centre.id && outage.to > outage.from {
                open = ShiftCalendar.subtract(DateInterval(start: outage.from, end: outage.to), from: open)
            }
            let available = open.map { PlantProblem.Period(start: seconds($0.start), end: seconds($0.end), reason: "") }
            let closed = Self.closedPeriods(
                available: available, horizon: horizon.seconds, centre: centre, calendar: calendar,
                outages: outages.filter { $0.workCentre == centre.id }, seconds: seconds, zone: site.timeZone)
            let run = site.rules.scheduling.maximumRuns.first {
                $0.workCentres.isEmpty || $0.workCentres.contains(centre.id)
            }
            for unit in 0..<max(centre.capacity, 1) {
                lanesOf[centre.id, default: []].append(lanes.count)
                lanes.append(
                    PlantProblem.Lane(
                        workCentre: centre.id, unit: unit, available: available, closed: closed,
                        splits: centre.splitsAcrossBreaks, maximumRun: run))
            }
        }
        let (crewPeople, lapses) = buildPeople(window: window, seconds: seconds)
        let pools = CrewPools(
            site: site, people: crewPeople, staff: people, today: LocalDate(from, in: site.timeZone))
        let products = site.products.values.sorted { $0.id < $1.id }
        let productIndex = Dictionary(uniqueKeysWithValues: products.enumerated().map { ($0.element.id, $0.offset) })
        var changeovers: [String: [Changeover?]] = [:]
        for centre in site.workCentres {
            var matrix = [Changeover?](repeating: nil, count: products.count * products.count)
            for (i, previous) in products.enumerated() {
                for (j, next) in products.enumerated() where i != j {
                    matrix[i * products.count + j] = site.rules.changeover(from: previous, to: next, on: centre.id)
                }
            }
            changeovers[centre.id] = matrix
        }
        var jobs: [PlantProblem.Job] = []
        var tasks: [PlantProblem.Task] = []
        var frozen: [Int: PlantProblem.Frozen] = [:]
        let today = LocalDate(from, in: site.timeZone)
        var unplannable: [ScheduleSummary.Unplannable] = []
        var deferred: [ScheduleSummary.Unplannable] = []
        for order in orders {
            do {
                let (job, jobTasks, jobFrozen) = try self.job(
                    order, jobIndex: jobs.count, firstTask: tasks.count, productIndex: productIndex, lanes: lanes,
                    lanesOf: lanesOf, today: today, seconds: seconds, pools: pools)
                jobs.append(job)
                tasks += jobTasks
                frozen.merge(jobFrozen) { first, _ in first }
            } catch {
                // The rest is planned; this order is listed with its cause (or as not due to be made yet).
                if case .notYet = error {
                    deferred.append(.init(order: order.id, reason: error.reason))
                } else {
                    unplannable.append(.init(order: order.id, reason: error.reason))
                }
            }
        }
        var problem = PlantProblem(
            origin: from, horizon: horizon.seconds, lanes: lanes, jobs: jobs, tasks: tasks, products: products,
            changeovers: changeovers, frozen: frozen, timeZone: site.timeZone)
        problem.unplannable = unplannable
        problem.deferred = deferred
        problem.people = crewPeople
        problem.lapses = lapses
        for centre in site.workCentres {
            guard let calendar = centre.calendar.flatMap({ site.calendars[$0] }) else { continue }
            problem.shiftNames[centre.id] = Self.namedShifts(calendar, in: window, zone: site.timeZone).map {
                PlantProblem.Period(start: seconds($0.0.start), end: seconds($0.0.end), reason: $0.1)
            }
        }
        return problem
    }

    /// One order's job and tasks, or why it cannot be planned.
    private func job(
        _ order: Order, jobIndex: Int, firstTask first: Int, productIndex: [String: Int], lanes: [PlantProblem.Lane],
        lanesOf: [String: [Int]], today: LocalDate, seconds: (Date) -> Int, pools: CrewPools
    ) throws(SchedulingError) -> (PlantProblem.Job, [PlantProblem.Task], [Int: PlantProblem.Frozen]) {
        guard let product = site.products[order.product], let index = productIndex[order.product] else {
            throw .invalidPlant("unknown product '\(order.product)'")
        }
        guard !product.routing.isEmpty else {
            throw .invalidPlant("product \(product.id) has no routing: give it one in site.yaml")
        }
        let sorted = try Self.topological(product)
        var tasks: [PlantProblem.Task] = []
        var frozen: [Int: PlantProblem.Frozen] = [:]
        var release = max(0, order.release.map(seconds) ?? 0)
        var releaseReason =
            order.release.map {
                $0 > from ? "released for production at \(Instant.format($0, in: site.timeZone))" : nil
            } ?? nil
        // Without a bill of materials planned against stock, a product's `materials` wait their lead time from now.
        for material in product.values(of: "materials").sorted() where materials[order.id] == nil {
            if let lead = site.rules.scheduling.materialLeadTimes[material], lead.seconds > release {
                release = lead.seconds
                releaseReason = "material \(material) arrives at the earliest \(lead) from now (transit and customs)"
            }
        }
        if let ready = materials[order.id], !started.contains(where: { $0.order == order.id }) {
            guard let at = ready.at else { throw .invalidPlant("waits for materials: \(ready.reason)") }
            if seconds(at) > release {
                release = seconds(at)
                releaseReason = ready.reason
            }
        }
        var taskIndexOf: [String: Int] = [:]
        for (position, operationIndex) in sorted.enumerated() {
            taskIndexOf[product.routing[operationIndex].id] = first + position
        }
        var ordered: [Int] = []
        for operationIndex in sorted {
            let operation = product.routing[operationIndex]
            let after = operation.after ?? (operationIndex == 0 ? [] : [product.routing[operationIndex - 1].id])
            var options: [(lane: Int, duration: Int)] = []
            var cleared = false
            for centre in operation.workCentres {
                guard Self.eligible(site: site, operation: operation, workCentre: centre, on: today) else { continue }
                cleared = true
                for lane in lanesOf[centre] ?? [] where !lanes[lane].available.isEmpty {
                    options.append((lane, operation.duration(quantity: order.quantity)))
                }
            }
            guard cleared else { throw .noEligibleWorkCentre(order: order.id, operation: operation.id) }
            guard !options.isEmpty else {
                let why = operation.workCentres.map { centre in
                    guard lanesOf[centre] != nil else { return "the site has no work centre \(centre)" }
                    let blocked = outages.filter { $0.workCentre == centre }.map(\.reason)
                    return blocked.isEmpty
                        ? "\(centre) has no shift in the horizon" : "\(centre) is \(blocked.joined(separator: "; "))"
                }
                throw .invalidPlant("operation \(operation.id) has nowhere to run: \(why.joined(separator: "; "))")
            }
            let crew = try crewSlots(
                operation, workCentres: operation.workCentres.filter { lanesOf[$0] != nil },
                pools: pools)
            let taskIndex = first + tasks.count
            var deadline: (Int, String, String)?
            for part in product.values(of: "parts").sorted() {
                if let limit = try partDeadline(part, work: options.map(\.duration).max() ?? 0),
                    deadline == nil || limit.0 < deadline!.0
                {
                    deadline = limit
                }
            }
            tasks.append(
                PlantProblem.Task(
                    job: jobIndex, operation: operation, product: index,
                    predecessors: after.compactMap { taskIndexOf[$0] }, options: options, deadline: deadline?.0,
                    deadlineReason: deadline?.1, deadlineRemedy: deadline?.2, crew: crew))
            ordered.append(taskIndex)
            if let begun = started.first(where: { $0.order == order.id && $0.operation == operation.id }),
                let lane = (lanesOf[begun.workCentre] ?? []).first
            {
                frozen[taskIndex] = PlantProblem.Frozen(
                    lane: lane, start: seconds(begun.start), end: seconds(begun.end))
            }
        }
        // Made no earlier than needed: the site's limit on finishing early, and the shelf life the food must still
        // have at its due date. The first operation may start no sooner than the finish bound less the work.
        if let (earliest, why) = Self.earliestFinish(product: product, due: order.due, site: site) {
            let work = tasks.map { $0.options.map(\.duration).min() ?? 0 }.reduce(0, +)
            let start = seconds(earliest) - work
            if start > release {
                release = start
                releaseReason = why
            }
            if start >= horizon.seconds {
                throw .notYet(
                    order: order.id,
                    message: "not to be made yet: from \(Instant.format(earliest, in: site.timeZone)) on, as \(why)")
            }
        }
        let job = PlantProblem.Job(
            order: order, release: release, releaseReason: releaseReason, due: seconds(order.due),
            weight: max(order.priority, 1), tasks: ordered)
        return (job, tasks, frozen)

    }

    /// The earliest an order of `product` due at `due` should be finished, and why: the site's
    /// `earliest_before_due`, and for a product with a `shelf_life` the moment after which it still has its
    /// minimum remaining shelf life at the due date (`minimum_remaining_shelf_life`, or the share a module sets).
    static func earliestFinish(product: Product, due: Date, site: SiteDefinition) -> (Date, String)? {
        var bounds: [(Date, String)] = []
        if let early = site.earliestBeforeDue {
            bounds.append(
                (
                    due.addingTimeInterval(-Double(early.seconds)),
                    "finished goods are made at most \(early) before they are due (scheduling.earliest_before_due)"
                ))
        }
        if let life = product.values(of: "shelf_life").first.flatMap(TimeSpan.init(parsing:)), life.seconds > 0 {
            let stated = product.values(of: "minimum_remaining_shelf_life").first.flatMap(TimeSpan.init(parsing:))
            let share = site.rules.scheduling.remainingShelfLifeShare
            if let remaining = stated ?? share.map({ TimeSpan(seconds: Int(Double(life.seconds) * $0)) }) {
                let keep = max(0, life.seconds - remaining.seconds)
                bounds.append(
                    (
                        due.addingTimeInterval(-Double(keep)),
                        "\(product.id) keeps \(life) and must have \(remaining) of it left at its due date, so it is "
                            + "made at most \(TimeSpan(seconds: keep)) before"
                    ))
            }
        }
        return bounds.max { $0.0 < $1.0 }
    }

    /// Whether someone at the site may run `operation` at `workCentre`: its skill, and the work centre's
    /// eligibility rules, must be met by at least one person.
    static func eligible(site: SiteDefinition, operation: RoutingOperation, workCentre: String, on date: LocalDate)
        -> Bool
    {
        let rules = site.rules.scheduling.eligibility.filter { $0.workCentres.contains(workCentre) }
        guard operation.skill != nil || !rules.isEmpty else { return true }
        return site.staff.values.contains { person in
            (operation.skill.map { person.skills.contains($0) } ?? true)
                && rules.allSatisfy { $0.admits(person, on: date) }
        }
    }

    /// The people as the planner sees them: each one's rostered periods inside the horizon, absences cut out,
    /// sorted; and per person the work centres a certificate lapse inside the horizon ends their time at.
    func buildPeople(window: DateInterval, seconds: (Date) -> Int) -> ([PlantProblem.Person], [Int: [String: Int]]) {
        var result: [PlantProblem.Person] = []
        var lapses: [Int: [String: Int]] = [:]
        for person in people.sorted(by: { $0.staff.id < $1.staff.id }) {
            var periods: [PlantProblem.Period] = []
            for shift in person.shifts {
                guard
                    let inside = DateInterval(start: shift.start, end: max(shift.start, shift.end))
                        .intersection(with: window), inside.duration > 0
                else { continue }
                var open = [inside]
                for absence in person.absences { open = ShiftCalendar.subtract(absence, from: open) }
                periods += open.filter { $0.duration > 0 }.map {
                    PlantProblem.Period(start: seconds($0.start), end: seconds($0.end), reason: shift.workCentre ?? "")
                }
            }
            guard !periods.isEmpty else { continue }
            result.append(PlantProblem.Person(id: person.staff.id, periods: periods.sorted { $0.start < $1.start }))
            // A certificate a work centre asks for that lapses inside the horizon ends their time there.
            for rule in site.rules.scheduling.eligibility {
                guard let certificate = rule.certificate,
                    case .through(let last) = person.staff.validity(of: certificate, forMonths: rule.certificateMonths)
                else { continue }
                let lapse = seconds(last.adding(days: 1).instant(in: site.timeZone))
                guard lapse < seconds(window.end) else { continue }
                for centre in rule.workCentres {
                    lapses[result.count - 1, default: [:]][centre] = min(
                        lapses[result.count - 1]?[centre] ?? Int.max, max(0, lapse))
                }
            }
        }
        return (result, lapses)
    }

    /// The crew an operation needs with the people who may fill each place at each work centre: qualified in
    /// the skill, admitted by the work centre's eligibility rules on `today`, not blocked there, and rostered in
    /// the horizon. Throws when a need can be met at none of its work centres, naming how many could fill it.
    func crewSlots(
        _ operation: RoutingOperation, workCentres: [String], pools: CrewPools
    ) throws(SchedulingError) -> [PlantProblem.CrewSlot] {
        guard !operation.crew.isEmpty else { return [] }
        var slots: [PlantProblem.CrewSlot] = []
        for need in operation.crew {
            var candidates: [String: [Int]] = [:]
            for centre in workCentres { candidates[centre] = pools.candidates(need.skill, centre) }
            let most = candidates.values.map(\.count).max() ?? 0
            guard most >= need.count else {
                throw .invalidPlant(
                    "operation \(operation.id) needs \(need.count) × \(need.skill) at "
                        + "\(workCentres.joined(separator: " or ")): \(most == 0 ? "nobody" : "only \(most)") "
                        + "rostered in the horizon is competent and cleared there")
            }
            slots.append(PlantProblem.CrewSlot(skill: need.skill, count: need.count, candidates: candidates))
        }
        // The scarcest skill is staffed first, so a versatile person is not used up on a common one.
        return slots.sorted {
            ($0.candidates.values.map(\.count).max() ?? 0) < ($1.candidates.values.map(\.count).max() ?? 0)
        }
    }

    /// Who may fill a crew place of a skill at a work centre, computed once per pair: qualified in the skill,
    /// admitted by the work centre's eligibility rules on the plan's first day, not blocked there, and rostered in
    /// the horizon; the least versatile first.
    final class CrewPools {
        let site: SiteDefinition
        let people: [PlantProblem.Person]
        let staff: [PlantProblemBuilder.Person]
        let today: LocalDate
        private var cache: [String: [Int]] = [:]

        init(site: SiteDefinition, people: [PlantProblem.Person], staff: [PlantProblemBuilder.Person], today: LocalDate)
        {
            self.site = site
            self.people = people
            let byID = Dictionary(staff.map { ($0.staff.id, $0) }, uniquingKeysWith: { first, _ in first })
            self.staff = people.map { byID[$0.id]! }
            self.today = today
        }

        func candidates(_ skill: String, _ centre: String) -> [Int] {
            let key = skill + "\u{1}" + centre
            if let known = cache[key] { return known }
            let rules = site.rules.scheduling.eligibility.filter { $0.workCentres.contains(centre) }
            let found = people.indices.filter { index in
                let person = staff[index]
                return person.staff.skills.contains(skill) && !person.blockedAt.contains(centre)
                    && rules.allSatisfy { $0.admits(person.staff, on: today) }
            }.sorted { (staff[$0].staff.skills.count, $0) < (staff[$1].staff.skills.count, $1) }
            cache[key] = found
            return found
        }
    }

    /// The calendar's named shifts in `window`, for saying "the late shift".
    static func namedShifts(_ calendar: ShiftCalendar, in window: DateInterval, zone: TimeZone)
        -> [(DateInterval, String)]
    {
        var result: [(DateInterval, String)] = []
        var day = LocalDate(window.start.addingTimeInterval(-86_400), in: zone)
        let last = LocalDate(window.end, in: zone)
        while day <= last {
            let weekday = Weekday(day, in: zone)
            for shift in calendar.shifts where shift.days.contains(weekday) {
                guard let name = shift.name else { continue }
                let start = day.instant(at: shift.start, in: zone)
                let end = (shift.end > shift.start ? day : day.next(in: zone)).instant(at: shift.end, in: zone)
                if end > start { result.append((DateInterval(start: start, end: end), name)) }
            }
            day = day.next(in: zone)
        }
        return result
    }

    /// The routing's operations in an order that respects `after`; throws on a cycle.
    static func topological(_ product: Product) throws(SchedulingError) -> [Int] {
        let ids = product.routing.map(\.id)
        var predecessors: [[Int]] = []
        for (index, operation) in product.routing.enumerated() {
            let after = operation.after ?? (index == 0 ? [] : [ids[index - 1]])
            predecessors.append(after.compactMap { ids.firstIndex(of: $0) })
        }
        var state = [Int](repeating: 0, count: ids.count)
        var result: [Int] = []
        func visit(_ node: Int) -> Bool {
            if state[node] == 2 { return true }
            if state[node] == 1 { return false }
            state[node] = 1
            for before in predecessors[node] where !visit(before) { return false }
            state[node] = 2
            result.append(node)
            return true
        }
        for node in ids.indices where !visit(node) { throw .cyclicRouting(product: product.id, operation: ids[node]) }
        return result
    }

    /// The gaps between available periods, named: a maintenance window or outage by its reason, otherwise
    /// off shift or a holiday of the calendar.
    static func closedPeriods(
        available: [PlantProblem.Period], horizon: Int, centre: WorkCentre, calendar: ShiftCalendar?,
        outages: [Outage], seconds: (Date) -> Int, zone: TimeZone
    ) -> [PlantProblem.Period] {
        var gaps: [PlantProblem.Period] = []
        var cursor = 0
        for period in available + [PlantProblem.Period(start: horizon, end: horizon, reason: "")] {
            if period.start > cursor {
                var reason = "off shift (calendar \(calendar?.id ?? "none"))"
                if let outage = outages.first(where: { seconds($0.from) < period.start && seconds($0.to) > cursor }) {
                    reason = outage.reason
                } else if let exception = calendar?.exceptions.first(where: {
                    seconds($0.from) < period.start && seconds($0.to) > cursor
                }) {
                    reason = exception.reason
                } else if let holiday = calendar?.holidays.first(where: {
                    let midday = seconds($0.instant(at: LocalTime(hour: 12, minute: 0), in: zone))
                    return midday >= cursor && midday < period.start
                }) {
                    reason = "holiday \(holiday) (calendar \(calendar?.id ?? ""))"
                }
                gaps.append(PlantProblem.Period(start: cursor, end: period.start, reason: reason))
            }
            cursor = max(cursor, period.end)
        }
        return gaps
    }
}
