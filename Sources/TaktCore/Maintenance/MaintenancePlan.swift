import Foundation

/// What an asset's meters count. Both advance from production reports on the asset (a work centre): run hours
/// are its running time (planned less down), units its good and scrap counts.
public enum Meter: String, Hashable, Sendable, Codable, CodingKeyRepresentable, CaseIterable, Comparable {
    case runHours = "run_hours"
    case units

    public static func < (a: Meter, b: Meter) -> Bool { a.rawValue < b.rawValue }

    public var name: String { self == .runHours ? "run hours" : "units" }
}

/// A part of a work centre that is maintained on its own (an oven's burner, a placer's feeder bank). It runs when
/// its work centre runs, so it reads the work centre's meters.
public struct Equipment: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var workCentre: String

    public init(id: String, name: String, workCentre: String) {
        self.id = id
        self.name = name
        self.workCentre = workCentre
    }
}

/// A spare part a maintenance task uses: an item of the site's stock.
public struct PartUse: Hashable, Sendable, Codable {
    public var item: String
    public var quantity: Double

    public init(item: String, quantity: Double) {
        self.item = item
        self.quantity = quantity
    }
}

/// Routine maintenance of an asset: every so long, every so many run hours or units, or whichever comes first.
public struct MaintenancePlan: Hashable, Sendable, Codable {
    public var id: String
    /// The work centre it is done on.
    public var asset: String
    /// The part of the work centre it is for, when it is for one (`Equipment`).
    public var equipment: String?
    public var task: String
    /// By the calendar: this long after it was last done.
    public var every: TimeSpan?
    /// By meter: this much more on the meter than when it was last done.
    public var meters: [Meter: Double]
    /// How long the asset stands still for it.
    public var duration: TimeSpan
    public var skill: String?
    public var parts: [PartUse]
    /// It may be done this long either side of its due date.
    public var tolerance: TimeSpan
    /// When it was last done before Takt kept its work orders; nil: due from the first day.
    public var lastDone: Date?

    public init(
        id: String, asset: String, task: String, every: TimeSpan? = nil, meters: [Meter: Double] = [:],
        duration: TimeSpan, skill: String? = nil, parts: [PartUse] = [], tolerance: TimeSpan = .days(0),
        lastDone: Date? = nil
    ) {
        self.id = id
        self.asset = asset
        self.task = task
        self.every = every
        self.meters = meters
        self.duration = duration
        self.skill = skill
        self.parts = parts
        self.tolerance = tolerance
        self.lastDone = lastDone
    }

    /// When it falls due, and by which trigger: the earliest of the calendar and each meter. A meter's date is
    /// forecast at `rates` (meter units per second, from recent production); a meter not moving gives no date.
    ///
    /// - Parameters:
    ///   - done: when it was last done and what the meters read then (nil: never, as far as Takt knows).
    ///   - meters: what the asset's meters read now.
    ///   - reached: for a meter past its due reading, when it got there (the production report that crossed it);
    ///     `at` when unknown.
    ///   - planned: what the current schedule will add to each meter, operation by operation, in time order: a
    ///     meter's date comes from the plan where the plan reaches it, and from `rates` after the plan ends.
    public func due(
        done: (at: Date, meters: [Meter: Double])?, meters now: [Meter: Double], rates: [Meter: Double],
        reached: [Meter: Date] = [:], planned: [Meter: [PlannedUse]] = [:], at: Date
    ) -> MaintenanceDue {
        let base = done?.at ?? lastDone
        var candidates: [(Date, String)] = []
        if let every {
            candidates.append(((base ?? at).addingTimeInterval(Double(every.seconds)), "every \(every)"))
        }
        var readings: [MaintenanceDue.MeterStatus] = []
        for (meter, interval) in self.meters.sorted(by: { $0.key < $1.key }) {
            let start = done?.meters[meter] ?? 0
            let dueAt = start + interval
            let current = now[meter] ?? 0
            readings.append(.init(meter: meter, now: current, due: dueAt))
            let left = dueAt - current
            if left <= 0 {
                candidates.append(
                    (reached[meter] ?? at, "every \(CriticalLimits.format(interval)) \(meter.name): reached"))
            } else if let date = Self.forecast(left, planned[meter] ?? [], rate: rates[meter] ?? 0, from: at) {
                candidates.append(
                    (
                        date.at,
                        "every \(CriticalLimits.format(interval)) \(meter.name): forecast from "
                            + (date.fromPlan ? "the schedule" : "recent production")
                    ))
            }
        }
        let first = candidates.min { $0.0 < $1.0 }
        return MaintenanceDue(
            plan: id, asset: asset, equipment: equipment, task: task, lastDone: base, dueAt: first?.0,
            trigger: first?.1, meters: readings,
            windowStart: first.map { $0.0.addingTimeInterval(-Double(tolerance.seconds)) },
            windowEnd: first.map { $0.0.addingTimeInterval(Double(tolerance.seconds)) },
            overdue: first.map { $0.0.addingTimeInterval(Double(tolerance.seconds)) < at } ?? false)
    }
}

extension MaintenancePlan {
    /// Part of the schedule's work on an asset: from `start` to `end` it adds `amount` to a meter.
    public struct PlannedUse: Hashable, Sendable {
        public var start: Date
        public var end: Date
        public var amount: Double

        public init(start: Date, end: Date, amount: Double) {
            self.start = start
            self.end = end
            self.amount = amount
        }
    }

    /// When `left` more on the meter is reached: inside the planned work where it gets there, else at `rate`
    /// (per second) after the plan's last work; nil when neither gets there.
    static func forecast(_ left: Double, _ planned: [PlannedUse], rate: Double, from now: Date)
        -> (at: Date, fromPlan: Bool)?
    {
        var total = 0.0
        var last = now
        for use in planned.sorted(by: { $0.start < $1.start }) where use.amount > 0 && use.end > now {
            if total + use.amount >= left {
                let share = (left - total) / use.amount
                return (use.start.addingTimeInterval(share * use.end.timeIntervalSince(use.start)), true)
            }
            total += use.amount
            last = max(last, use.end)
        }
        guard rate > 0 else { return nil }
        return (last.addingTimeInterval((left - total) / rate), false)
    }
}

/// Where a maintenance plan stands: when it is due, why, and whether its window has passed.
public struct MaintenanceDue: Hashable, Sendable, Codable {
    public struct MeterStatus: Hashable, Sendable, Codable {
        public var meter: Meter
        public var now: Double
        public var due: Double
    }

    public var plan: String
    public var asset: String
    /// The part of the work centre the plan is for, if any.
    public var equipment: String? = nil
    public var task: String
    public var lastDone: Date?
    /// Nil when no trigger gives a date (only meters, and the asset is not running).
    public var dueAt: Date?
    /// The trigger that comes first, in words.
    public var trigger: String?
    public var meters: [MeterStatus]
    public var windowStart: Date?
    public var windowEnd: Date?
    /// Its window has passed with the work not done.
    public var overdue: Bool
}

/// A job of work on an asset: preventive (from a plan) or corrective (a breakdown).
public struct WorkOrder: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case preventive, corrective
    }

    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case open
        case inProgress = "in_progress"
        case waitingParts = "waiting_parts"
        case done
    }

    public var id: String
    /// The work centre.
    public var asset: String
    /// The part of it worked on, when one is named (`Equipment`).
    public var equipment: String?
    public var kind: Kind
    /// The plan it carries out (preventive).
    public var plan: String?
    public var description: String
    public var status: Status
    public var openedAt: Date
    public var openedBy: String?
    public var startedAt: Date?
    public var doneAt: Date?
    public var doneBy: String?
    /// Time spent on it, in minutes.
    public var minutes: Double?
    public var parts: [PartUse]
    public var cause: String?
    public var remedy: String?
    /// When the lock-out/tag-out that let work start was recorded, where the site's modules require one.
    public var lockedOutAt: Date?

    public init(
        id: String, asset: String, kind: Kind, plan: String? = nil, description: String, status: Status = .open,
        openedAt: Date, openedBy: String? = nil, parts: [PartUse] = []
    ) {
        self.id = id
        self.asset = asset
        self.kind = kind
        self.plan = plan
        self.description = description
        self.status = status
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.parts = parts
    }
}

/// What a site tells central about its maintenance: each plan's due date and whether it is overdue, and the work
/// orders still open.
public struct MaintenanceStatus: Hashable, Sendable, Codable {
    public struct Plan: Hashable, Sendable, Codable {
        public var plan: String
        public var asset: String
        public var task: String
        public var dueAt: Date?
        public var trigger: String?
        public var overdue: Bool
    }

    public var plans: [Plan]
    public var openWorkOrders: Int
    /// Open corrective work orders: machines broken now or waiting for repair.
    public var openBreakdowns: Int

    public init(due: [MaintenanceDue], open: [WorkOrder]) {
        plans = due.map {
            Plan(
                plan: $0.plan, asset: $0.asset, task: $0.task,
                // To the hour: a forecast moves a little with every report and every minute that passes; that is
                // not news for central, and a status sent on every sweep would fill the outbox.
                dueAt: $0.dueAt.map { Date(timeIntervalSince1970: ($0.timeIntervalSince1970 / 3600).rounded() * 3600) },
                trigger: $0.trigger, overdue: $0.overdue)
        }
        openWorkOrders = open.count
        openBreakdowns = open.filter { $0.kind == .corrective }.count
    }
}
