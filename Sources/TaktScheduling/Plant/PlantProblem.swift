import Foundation
import TaktCore

/// One scheduling run for a plant, with times as whole seconds from `origin`: the work centres as lanes (a
/// work centre of capacity k is k lanes) with their available time, the orders as jobs, their operations as
/// tasks, the changeover matrix, maximum runs, and work already started (frozen).
public struct PlantProblem: Sendable {
    /// A period in seconds from the origin, and why it matters (for the reasons of lateness).
    public struct Period: Hashable, Sendable {
        public var start: Int
        public var end: Int
        public var reason: String
    }

    public struct Lane: Sendable {
        public var workCentre: String
        public var unit: Int
        /// Available periods, sorted, within the horizon.
        public var available: [Period]
        /// Unavailable periods inside the horizon with their reasons (off shift, holiday, maintenance, down).
        public var closed: [Period]
        public var splits: Bool
        public var maximumRun: MaximumRunRule?
        public var name: String { unit == 0 ? workCentre : "\(workCentre)#\(unit + 1)" }
    }

    public struct Job: Sendable {
        public var order: Order
        public var release: Int
        /// Why the job cannot start before `release`, when that is later than the origin.
        public var releaseReason: String?
        public var due: Int
        public var weight: Int
        /// Task indexes in an order that respects the routing's precedence.
        public var tasks: [Int]
    }

    public struct Task: Sendable {
        public var job: Int
        public var operation: RoutingOperation
        public var product: Int
        public var predecessors: [Int]
        /// Lanes that may run it, with its duration there.
        public var options: [(lane: Int, duration: Int)]
        /// The latest it may end, when a part it uses goes off then (a moisture-sensitive reel's floor life).
        public var deadline: Int?
        /// Why there is a deadline, for messages.
        public var deadlineReason: String?
        /// What would lift the deadline (`bake the reel`), for messages.
        public var deadlineRemedy: String?
        /// The people it needs while it runs; empty when people are not planned for it.
        public var crew: [CrewSlot] = []
    }

    /// A rostered person the planner may assign: their rostered periods (absences cut out, clipped to the
    /// horizon, sorted), each with the work centre it is tied to (`reason`, empty for anywhere).
    public struct Person: Sendable {
        public var id: String
        public var periods: [Period]
    }

    /// People a task needs while it runs: `count` of the `candidates` (person indexes, the least versatile first)
    /// per work centre it may run at.
    public struct CrewSlot: Sendable {
        public var skill: String
        public var count: Int
        public var candidates: [String: [Int]]
    }

    /// A task already started: it keeps its lane and times.
    public struct Frozen: Hashable, Sendable {
        public var lane: Int
        public var start: Int
        public var end: Int
    }

    public var origin: Date
    public var horizon: Int
    public var lanes: [Lane]
    public var jobs: [Job]
    public var tasks: [Task]
    public var products: [Product]
    /// `changeovers[workCentre][previous * products.count + next]`, nil when none is needed.
    public var changeovers: [String: [Changeover?]]
    public var frozen: [Int: Frozen]
    public var timeZone: TimeZone
    /// The rostered people the crews are drawn from.
    public var people: [Person] = [] {
        didSet {
            periodStarts = people.flatMap { $0.periods.map(\.start) }
            periodEnds = people.flatMap { $0.periods.map(\.end) }
            periodCentres = people.flatMap { $0.periods.map(\.reason) }
            var first = 0
            periodRanges = people.map { person in
                defer { first += person.periods.count }
                return first..<(first + person.periods.count)
            }
        }
    }
    /// Every person's periods in flat arrays (person p's at `periodRanges[p]`), for the crew search's hot loops.
    public private(set) var periodStarts: [Int] = []
    public private(set) var periodEnds: [Int] = []
    public private(set) var periodCentres: [String] = []
    public private(set) var periodRanges: [Range<Int>] = []
    /// Per person (index) and work centre, the second from which they may no longer work there: a certificate the
    /// work centre's eligibility rules ask for lapses inside the horizon. Empty for most plants.
    public var lapses: [Int: [String: Int]] = [:]

    /// The moment `person` may no longer work at `workCentre`, `Int.max` when never in the horizon.
    @inline(__always) public func lapse(of person: Int, at workCentre: String) -> Int {
        lapses.isEmpty ? Int.max : lapses[person]?[workCentre] ?? Int.max
    }
    /// Named shifts per work centre (`reason` is the name), for saying when people were short.
    public var shiftNames: [String: [Period]] = [:]
    /// Open orders left out of the problem, each with why (no routing, a blocked line, nobody cleared).
    public var unplannable: [ScheduleSummary.Unplannable] = []
    /// Open orders not to be made within the horizon yet (shelf life, the site's earliest finish).
    public var deferred: [ScheduleSummary.Unplannable] = []

    /// What switching `lane` from product `previous` to `next` takes.
    @inline(__always) public func changeover(lane: Int, from previous: Int, to next: Int) -> Changeover? {
        changeovers[lanes[lane].workCentre]?[previous * products.count + next] ?? nil
    }

    public var operationCount: Int { tasks.count }

    /// The instant `seconds` after the origin.
    public func instant(_ seconds: Int) -> Date { origin.addingTimeInterval(TimeInterval(seconds)) }
}
