import Foundation

/// One line of a schedule as people read it and the store keeps it: an operation, a changeover or a clean on a
/// work centre, from start to end.
public struct ScheduleRow: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case operation, changeover, clean
        /// Routine maintenance reserved on the work centre (`order` is `PM-` and the plan id).
        case maintenance
    }
    public var kind: Kind
    public var order: String
    /// The operation id, or for a setup the operation it prepares.
    public var operation: String
    public var product: String
    public var workCentre: String
    /// The lane of a work centre with capacity above one (1, 2, …).
    public var unit: Int
    public var start: Date
    public var end: Date
    /// For setups: what is done and the rule that demands it.
    public var task: String?
    public var rule: String?
    /// The people planned on an operation (staff ids); on work split across a shift change, everyone on any
    /// piece (see `crewPieces`). Nil when people are not planned for it.
    public var crew: [String]?
    /// Who works which piece of an operation split across breaks or shifts; nil when one crew does all of it.
    public var crewPieces: [CrewPiece]?

    /// One piece of an operation and the people on it.
    public struct CrewPiece: Hashable, Sendable, Codable {
        public var start: Date
        public var end: Date
        public var crew: [String]

        public init(start: Date, end: Date, crew: [String]) {
            self.start = start
            self.end = end
            self.crew = crew
        }
    }

    /// When `staff` works on this row: the whole row, the pieces they are on, or nothing.
    public func times(of staff: String) -> [DateInterval] {
        if let pieces = crewPieces {
            return pieces.filter { $0.crew.contains(staff) }.map { DateInterval(start: $0.start, end: $0.end) }
        }
        return crew?.contains(staff) == true ? [DateInterval(start: start, end: end)] : []
    }

    public init(
        kind: Kind, order: String, operation: String, product: String, workCentre: String, unit: Int, start: Date,
        end: Date, task: String? = nil, rule: String? = nil, crew: [String]? = nil, crewPieces: [CrewPiece]? = nil
    ) {
        self.crew = crew
        self.crewPieces = crewPieces
        self.kind = kind
        self.order = order
        self.operation = operation
        self.product = product
        self.workCentre = workCentre
        self.unit = unit
        self.start = start
        self.end = end
        self.task = task
        self.rule = rule
    }
}

/// What a stored schedule says in brief: the figures a manager and the regional dashboard read.
public struct ScheduleSummary: Hashable, Sendable, Codable {
    /// A late order and why.
    public struct LateOrder: Hashable, Sendable, Codable {
        public var order: String
        public var due: Date
        public var end: Date
        public var lateSeconds: Int
        public var reasons: [String]

        public init(order: String, due: Date, end: Date, lateSeconds: Int, reasons: [String]) {
            self.order = order
            self.due = due
            self.end = end
            self.lateSeconds = lateSeconds
            self.reasons = reasons
        }
    }

    /// An open order the plan leaves out, and the cause a manager can act on.
    public struct Unplannable: Hashable, Sendable, Codable {
        public var order: String
        public var reason: String

        public init(order: String, reason: String) {
            self.order = order
            self.reason = reason
        }
    }

    public var createdAt: Date
    public var from: Date
    public var horizonSeconds: Int
    /// Orders planned.
    public var orders: Int
    /// Open orders that could not be planned (nil in plans made before Takt planned around trouble).
    public var unplannable: [Unplannable]?
    /// Open orders not to be made within the horizon yet, and from when (not counted in adherence).
    public var deferred: [Unplannable]?
    public var operations: Int
    public var late: [LateOrder]
    public var changeoverMinutes: Int
    /// When the last operation ends.
    public var end: Date

    public init(
        createdAt: Date, from: Date, horizonSeconds: Int, orders: Int, operations: Int, late: [LateOrder],
        changeoverMinutes: Int, end: Date, unplannable: [Unplannable] = [], deferred: [Unplannable] = []
    ) {
        self.deferred = deferred.isEmpty ? nil : deferred
        self.unplannable = unplannable.isEmpty ? nil : unplannable
        self.createdAt = createdAt
        self.from = from
        self.horizonSeconds = horizonSeconds
        self.orders = orders
        self.operations = operations
        self.late = late
        self.changeoverMinutes = changeoverMinutes
        self.end = end
    }

    /// Share of open orders planned to finish by their due date (schedule adherence as planned); an order that
    /// could not be planned is not on time.
    public var onTimeShare: Double {
        let all = orders + (unplannable?.count ?? 0)
        return all == 0 ? 1 : Double(orders - late.count) / Double(all)
    }
}

/// A schedule as it travels to central: its summary and its rows.
public struct ScheduleSnapshot: Hashable, Sendable, Codable {
    public var summary: ScheduleSummary
    public var rows: [ScheduleRow]

    public init(summary: ScheduleSummary, rows: [ScheduleRow]) {
        self.summary = summary
        self.rows = rows
    }
}
