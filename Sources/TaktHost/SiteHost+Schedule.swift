import Foundation
import TaktCore
import TaktScheduling
import TaktStore

extension SiteHost {
    /// What a planning run produced: the stored summary and rows, the changes against the plan before it (for a
    /// re-schedule), and how the search went.
    public struct PlanResult: Sendable {
        public var summary: ScheduleSummary
        public var rows: [ScheduleRow]
        public var changes: ScheduleChanges?
        public var secondsToFirst: Double
        public var secondsToBest: Double
        public var iterations: Int
        /// The problem as the solver saw it and the schedule it chose (for `--export-problem`).
        public var problem: PlantProblem? = nil
        public var schedule: PlantSchedule? = nil
    }

    /// A disruption to re-plan around.
    public struct Disruption: Sendable {
        public var outages: [PlantProblemBuilder.Outage]
        public var rush: [String]
        public var cancel: [String]
        public var quantities: [String: Double]

        public init(
            outages: [PlantProblemBuilder.Outage] = [], rush: [String] = [], cancel: [String] = [],
            quantities: [String: Double] = [:]
        ) {
            self.outages = outages
            self.rush = rush
            self.cancel = cancel
            self.quantities = quantities
        }
    }

    /// Schedules the open orders from `from` over `horizon` on the site's work centres, calendars and rules,
    /// checks the result with the independent validator, explains every late order, and stores it.
    public func plan(from: Date, horizon: TimeSpan, limits: SearchLimits, now: Date = Date()) throws(HostError)
        -> PlanResult
    {
        let orders = try openOrders()
        guard !orders.isEmpty else {
            throw .invalidInput("no open orders to schedule: import some with takt orders import")
        }
        var builder = PlantProblemBuilder(
            site: definition, orders: orders, from: from, horizon: horizon,
            outages: try blockedOutages(from: from, horizon: horizon), partStock: try partStock(from: from),
            materials: try materialPlan(at: max(from, now)).readiness)
        builder.people = try crewPool(from: from, horizon: horizon)
        return try run(
            builder, limits: limits, previous: nil, now: now,
            maintenance: try maintenanceRequests(from: from, horizon: horizon))
    }

    /// Re-plans after a disruption: started work keeps its place, the rest moves as little as it can, and the
    /// result says what moved.
    public func replan(
        _ disruption: Disruption, from: Date, horizon: TimeSpan, limits: SearchLimits, now: Date = Date()
    ) throws(HostError) -> PlanResult {
        guard let current = try stored({ () throws(StoreError) in try store.currentSchedule() }) else {
            throw .invalidInput("there is no schedule to repair yet: run takt schedule first")
        }
        for outage in disruption.outages {
            try requireWorkCentre(outage.workCentre)
            guard outage.to > outage.from else {
                throw .invalidInput("\(outage.workCentre): the outage must end after it starts")
            }
        }
        for id in disruption.rush {
            _ = try stored { () throws(StoreError) in try store.amendOrder(id, priority: 10, at: now) }
        }
        for id in disruption.cancel {
            _ = try stored { () throws(StoreError) in try store.amendOrder(id, cancel: true, at: now) }
        }
        for (id, quantity) in disruption.quantities {
            guard quantity > 0 else { throw .invalidInput("order \(id): a quantity must be positive") }
            _ = try stored { () throws(StoreError) in try store.amendOrder(id, quantity: quantity, at: now) }
        }
        let orders = try openOrders()
        let open = Set(orders.map(\.id))
        let started = current.rows.filter { $0.kind == .operation && $0.start < from && open.contains($0.order) }
            .map { row in
                var end = row.end
                // Work interrupted by a breakdown resumes after it.
                for outage in disruption.outages
                where outage.workCentre == row.workCentre && outage.from < end && outage.from >= row.start {
                    end = end.addingTimeInterval(outage.to.timeIntervalSince(outage.from))
                }
                return PlantProblemBuilder.Started(
                    order: row.order, operation: row.operation, workCentre: row.workCentre, start: row.start, end: end)
            }
        var builder = PlantProblemBuilder(
            site: definition, orders: orders, from: from, horizon: horizon,
            outages: try blockedOutages(from: from, horizon: horizon) + disruption.outages, started: started,
            partStock: try partStock(from: from), materials: try materialPlan(at: max(from, now)).readiness)
        builder.people = try crewPool(from: from, horizon: horizon)
        var result = try run(
            builder, limits: limits, previous: current.rows, now: now,
            maintenance: try maintenanceRequests(from: from, horizon: horizon))
        result.changes = ScheduleChanges(before: current.rows, after: result.rows)
        return result
    }

    /// The maintenance that falls due in the horizon, to reserve inside its window; a plan whose work order is
    /// already in progress is being done and is not reserved again.
    func maintenanceRequests(from: Date, horizon: TimeSpan) throws(HostError) -> [MaintenancePlacement.Request] {
        let end = from.addingTimeInterval(Double(horizon.seconds))
        let underway = Set(try workOrders(openOnly: true).filter { $0.status == .inProgress }.compactMap(\.plan))
        return try maintenanceDue(at: from).compactMap { due in
            guard let at = due.dueAt, let start = due.windowStart, let finish = due.windowEnd, start < end,
                !underway.contains(due.plan),
                let plan = definition.maintenancePlans.first(where: { $0.id == due.plan })
            else { return nil }
            return MaintenancePlacement.Request(
                plan: plan.id, task: plan.task, workCentre: plan.asset, duration: plan.duration, due: at,
                windowStart: start, windowEnd: finish)
        }
    }

    /// Work centres blocked by an open finding are unavailable for the whole horizon; those under an open permit to
    /// work, over the permit's window.
    func blockedOutages(from: Date, horizon: TimeSpan) throws(HostError) -> [PlantProblemBuilder.Outage] {
        let findings = try findings(openOnly: true)
        return try permitOutages(from: from, horizon: horizon)
            + activeBlocks().filter { $0.kind == .blockWorkCentre }.map { block in
                let finding = findings.first { $0.id == block.finding }
                let cause = finding.map { " (\($0.rule): \($0.message))" } ?? ""
                return PlantProblemBuilder.Outage(
                    workCentre: block.target, from: from, to: from.addingTimeInterval(TimeInterval(horizon.seconds)),
                    reason: "blocked by finding #\(block.finding)\(cause) until it is cleared")
            }
    }

    private func run(
        _ builder: PlantProblemBuilder, limits: SearchLimits, previous: [ScheduleRow]?, now: Date,
        maintenance: [MaintenancePlacement.Request] = []
    ) throws(HostError) -> PlanResult {
        // Maintenance first, inside its windows; the orders are planned around it.
        let reserved = MaintenancePlacement.reserve(
            maintenance, in: builder, weights: definition.weights, seed: limits.seed)
        var builder = reserved.builder
        var beyond: [ScheduleSummary.Unplannable] = reserved.unplaced.map {
            .init(order: $0.request.id, reason: "maintenance not reserved: \($0.reason)")
        }
        _ = try stored { () throws(StoreError) in
            try store.raise(
                reserved.unplaced.map { item in
                    let request = item.request
                    return Finding(
                        rule: "site.maintenance.no_room", severity: .major,
                        subject: .init(.workCentre, request.workCentre),
                        message: "\(request.task) on \(request.workCentre) cannot be done in its window ("
                            + "\(Instant.format(request.windowStart, in: definition.timeZone)) to "
                            + "\(Instant.format(request.windowEnd, in: definition.timeZone))): \(item.reason)",
                        actions: [
                            FindingAction(
                                .correctiveAction, "Free time on \(request.workCentre) in the window, or move work")
                        ], raisedAt: now, key: "maintenance-no-room:\(request.plan):\(Instant.iso(request.due))")
                })
        }
        // An order that does not fit the horizon is listed and the rest planned again without it.
        while true {
            let solved: (PlantProblem, PlantScheduler.Outcome)
            do {
                solved = try solve(builder, limits: limits, previous: previous)
            } catch {
                if case .beyondHorizon(let order, let message) = error, builder.orders.count > 1 {
                    beyond.append(.init(order: order, reason: message))
                    builder.orders.removeAll { $0.id == order }
                    continue
                }
                throw .invalidInput(error.description)
            }
            var planned = solved.0
            planned.unplannable += beyond
            return try finish(planned, solved.1, now: now, reserved: reserved.placed.map(\.row))
        }
    }

    private func solve(_ builder: PlantProblemBuilder, limits: SearchLimits, previous: [ScheduleRow]?)
        throws(SchedulingError) -> (PlantProblem, PlantScheduler.Outcome)
    {
        let problem = try builder.build()
        var placements: PlantScheduler.Previous?
        var initial: [Int]?
        if let previous {
            var map: PlantScheduler.Previous = [:]
            var firstStart: [String: Date] = [:]
            for row in previous where row.kind == .operation {
                firstStart[row.order] = min(firstStart[row.order] ?? row.start, row.start)
            }
            for (index, task) in problem.tasks.enumerated() {
                let order = problem.jobs[task.job].order.id
                guard
                    let row = previous.first(where: {
                        $0.kind == .operation && $0.order == order && $0.operation == task.operation.id
                    }),
                    let lane = problem.lanes.firstIndex(where: {
                        $0.workCentre == row.workCentre && $0.unit + 1 == row.unit
                    })
                else { continue }
                map[index] = (lane, Int(row.start.timeIntervalSince(problem.origin)))
            }
            placements = map
            initial = problem.jobs.indices.sorted {
                (firstStart[problem.jobs[$0].order.id] ?? .distantFuture, problem.jobs[$0].due) < (
                    firstStart[problem.jobs[$1].order.id] ?? .distantFuture, problem.jobs[$1].due
                )
            }
        }
        let outcome = try PlantScheduler.solve(
            problem, weights: definition.weights, limits: limits, previous: placements, initialOrder: initial)
        return (problem, outcome)
    }

    /// A refused schedule is a bug in the scheduler: the problem and the schedule as documents beside the site's
    /// database (`takt schedule validate-solution` reads them), and a sentence saying where, for the bug report.
    func keepRefused(_ problem: PlantProblem, _ schedule: PlantSchedule, now: Date) -> String {
        guard store.path != ":memory:", !store.path.isEmpty else { return "" }
        let folder = URL(fileURLWithPath: store.path).deletingLastPathComponent()
        let stamp = Instant.iso(now).replacingOccurrences(of: ":", with: "")
        let name = "\(definition.site.id)-refused-schedule-\(stamp)"
        let problemFile = folder.appendingPathComponent("\(name)-problem.json")
        let solutionFile = folder.appendingPathComponent("\(name)-solution.json")
        do {
            try PlantProblemDocument(problem, weights: definition.weights).encoded().write(to: problemFile)
            try PlantSolutionDocument(schedule, seconds: 0).encoded().write(to: solutionFile)
        } catch { return "" }
        return "; the problem and the refused schedule are kept for a bug report in \(problemFile.path) and "
            + "\(solutionFile.lastPathComponent)"
    }

    /// Validates, explains and stores a solved plan.
    private func finish(
        _ problem: PlantProblem, _ outcome: PlantScheduler.Outcome, now: Date, reserved: [ScheduleRow] = []
    ) throws(HostError) -> PlanResult {
        let violations = PlantScheduleValidator(problem: problem).problems(in: outcome.schedule)
        guard violations.isEmpty else {
            throw .invalidInput(
                SchedulingError.invalidSchedule(violations).description + "\nnothing was stored"
                    + keepRefused(problem, outcome.schedule, now: now))
        }
        let late = LatenessExplainer(problem: problem, schedule: outcome.schedule).explain().map {
            ScheduleSummary.LateOrder(
                order: $0.order, due: $0.due, end: $0.end, lateSeconds: $0.lateSeconds, reasons: $0.reasons)
        }
        let rows = (outcome.schedule.rows(in: problem) + reserved).sorted {
            ($0.workCentre, $0.unit, $0.start, $0.kind.rawValue) < ($1.workCentre, $1.unit, $1.start, $1.kind.rawValue)
        }
        let summary = ScheduleSummary(
            createdAt: now, from: problem.origin, horizonSeconds: problem.horizon, orders: problem.jobs.count,
            operations: problem.tasks.count, late: late, changeoverMinutes: outcome.schedule.changeoverSeconds / 60,
            end: problem.instant(outcome.schedule.makespan), unplannable: problem.unplannable,
            deferred: problem.deferred)
        _ = try stored { () throws(StoreError) in try store.saveSchedule(summary, rows: rows) }
        return PlanResult(
            summary: summary, rows: rows, changes: nil, secondsToFirst: outcome.secondsToFirst,
            secondsToBest: outcome.secondsToBest, iterations: outcome.iterations, problem: problem,
            schedule: outcome.schedule)
    }
}
