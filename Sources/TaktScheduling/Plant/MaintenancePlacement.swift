import Foundation
import TaktCore

/// Routine maintenance reserved on work centres inside their windows, before orders are planned around it.
///
/// A quick first plan without the maintenance shows where each work centre stands idle. Each reservation then
/// goes, inside its window and on available time (never split across a break, never over another reservation):
/// into idle time, where no order moves; failing that at the start of a shift, so no order is cut in two; failing
/// that at the earliest time it fits. The reservations become closed time on their work centres (reason: the
/// plan), so the real plan puts orders around them and explains any lateness they cause. One whose window has no
/// room is returned as not placed. A reservation already overdue is placed as soon as it can be.
public struct MaintenancePlacement: Sendable {
    /// A plan's work that falls due: where, how long, and its window.
    public struct Request: Hashable, Sendable {
        public var plan: String
        public var task: String
        public var workCentre: String
        public var duration: TimeSpan
        public var due: Date
        public var windowStart: Date
        public var windowEnd: Date

        public init(
            plan: String, task: String, workCentre: String, duration: TimeSpan, due: Date, windowStart: Date,
            windowEnd: Date
        ) {
            self.plan = plan
            self.task = task
            self.workCentre = workCentre
            self.duration = duration
            self.due = due
            self.windowStart = windowStart
            self.windowEnd = windowEnd
        }

        /// The id its row carries in the schedule, where an order's id would be.
        public var id: String { "PM-\(plan)" }
    }

    public struct Placed: Hashable, Sendable {
        public var request: Request
        public var start: Date
        public var end: Date
        /// Where it went: `idle time`, `a shift start` or `the earliest room`.
        public var how: String

        /// The row the schedule shows for it.
        public var row: ScheduleRow {
            ScheduleRow(
                kind: .maintenance, order: request.id, operation: request.plan, product: "",
                workCentre: request.workCentre, unit: 1, start: start, end: end, task: request.task,
                rule: "site.maintenance.\(request.plan)")
        }

        /// The closed time it makes on its work centre.
        public var outage: PlantProblemBuilder.Outage {
            .init(
                workCentre: request.workCentre, from: start, to: end,
                reason: "maintenance: \(request.task) (plan \(request.plan))")
        }
    }

    public struct Unplaced: Hashable, Sendable {
        public var request: Request
        public var reason: String
    }

    /// Places `requests` for the plan `builder` would make (see the type's description), returning the builder
    /// with the reservations as outages. `weights` and `seed` steer the quick first plan.
    public static func reserve(
        _ requests: [Request], in builder: PlantProblemBuilder, weights: ScheduleWeights = ScheduleWeights(),
        seed: UInt64 = 1
    ) -> (builder: PlantProblemBuilder, placed: [Placed], unplaced: [Unplaced]) {
        guard !requests.isEmpty else { return (builder, [], []) }
        // Where the work centres are busy in a plan without the maintenance: construction only, one worker.
        var busy: [String: [DateInterval]] = [:]
        if let problem = try? builder.build(),
            let outcome = try? PlantScheduler.solve(
                problem, weights: weights,
                limits: SearchLimits(timeLimit: .seconds(60), iterations: 0, seed: seed, workers: 1))
        {
            for row in outcome.schedule.rows(in: problem) where row.end > row.start {
                busy[row.workCentre, default: []].append(DateInterval(start: row.start, end: row.end))
            }
        }
        let site = builder.site
        let horizonEnd = builder.from.addingTimeInterval(Double(builder.horizon.seconds))
        var reserved: [String: [DateInterval]] = [:]
        var placed: [Placed] = []
        var unplaced: [Unplaced] = []
        for request in requests.sorted(by: { ($0.windowEnd, $0.plan) < ($1.windowEnd, $1.plan) }) {
            guard let centre = site.workCentre(request.workCentre) else {
                unplaced.append(
                    .init(request: request, reason: "\(request.workCentre) is not a work centre of the site"))
                continue
            }
            let overdue = request.windowEnd <= builder.from
            let window = DateInterval(
                start: max(request.windowStart, builder.from),
                end: overdue ? horizonEnd : min(request.windowEnd, horizonEnd))
            guard window.duration > 0 else {
                unplaced.append(.init(request: request, reason: "its window lies outside the plan's horizon"))
                continue
            }
            let calendar = centre.calendar.flatMap { site.calendars[$0] }
            var open = calendar?.availability(in: window, timeZone: site.timeZone) ?? [window]
            for outage in builder.outages where outage.workCentre == centre.id && outage.to > outage.from {
                open = ShiftCalendar.subtract(DateInterval(start: outage.from, end: outage.to), from: open)
            }
            for taken in reserved[centre.id] ?? [] { open = ShiftCalendar.subtract(taken, from: open) }
            let length = Double(request.duration.seconds)
            var idle = open
            for interval in busy[centre.id] ?? [] { idle = ShiftCalendar.subtract(interval, from: idle) }
            let shiftStarts = (calendar?.availability(in: window, timeZone: site.timeZone) ?? []).map(\.start)
            let choice: (Date, String)? =
                idle.first { $0.duration >= length }.map { ($0.start, "idle time") }
                ?? open.first { period in period.duration >= length && shiftStarts.contains(period.start) }
                .map { ($0.start, "a shift start") }
                ?? open.first { $0.duration >= length }.map { ($0.start, "the earliest room") }
            guard let (start, how) = choice else {
                unplaced.append(
                    .init(
                        request: request,
                        reason: "no \(request.duration) of available time on \(centre.id) in its window"
                            + (calendar == nil ? "" : " (its shifts, less breakdowns and other maintenance)")))
                continue
            }
            let end = start.addingTimeInterval(length)
            reserved[centre.id, default: []].append(DateInterval(start: start, end: end))
            placed.append(Placed(request: request, start: start, end: end, how: how))
        }
        var result = builder
        result.outages += placed.map(\.outage)
        return (result, placed, unplaced)
    }
}
