import Foundation
import TaktCore

/// Why an order is late, in terms a manager can act on: the chain of its operations, and for each where the
/// time went — waiting for a busy work centre (and for which orders), changeovers and cleans with the rule that
/// demands them, closed time (off shift, holidays, maintenance, breakdowns), or a late release or material.
public struct LatenessExplainer: Sendable {
    public let problem: PlantProblem
    public let schedule: PlantSchedule

    public init(problem: PlantProblem, schedule: PlantSchedule) {
        self.problem = problem
        self.schedule = schedule
    }

    /// One late order and its reasons, most time first.
    public struct Explanation: Hashable, Sendable, Codable {
        public var order: String
        public var due: Date
        public var end: Date
        public var lateSeconds: Int
        public var reasons: [String]
    }

    public func explain() -> [Explanation] {
        schedule.lateJobs(in: problem).map { explain(job: $0.job, lateness: $0.lateness) }
    }

    func explain(job: Int, lateness: Int) -> Explanation {
        var items: [(seconds: Int, text: String)] = []
        let record = problem.jobs[job]
        if let reason = record.releaseReason, record.release > 0 {
            items.append((record.release, reason))
        }
        // Follow the chain back from the last task: each task waited from `ready` to its start.
        var task = record.tasks.max { schedule.slots[$0].end < schedule.slots[$1].end }
        var visited = Set<Int>()
        while let current = task, visited.insert(current).inserted {
            let slot = schedule.slots[current]
            let lane = problem.lanes[slot.lane]
            let name = problem.tasks[current].operation.id
            let work =
                problem.tasks[current].options.first { $0.lane == slot.lane }?.duration ?? (slot.end - slot.start)
            items.append((work, "\(name) on \(lane.name) takes \(Self.span(work)) of work"))
            if slot.peopleWait > 0, let skill = slot.peopleShort, !slot.frozen {
                items.append(
                    (
                        slot.peopleWait,
                        "\(name) waited \(Self.span(slot.peopleWait)) for people: no qualified \(skill) free "
                            + shift(at: slot.peopleShortAt, workCentre: lane.workCentre)
                    ))
            }
            if slot.start > slot.ready && !slot.frozen {
                var accounted = 0
                for setup in slot.setups where setup.end > slot.ready {
                    let rule = setup.rule.map { " (\($0))" } ?? ""
                    items.append(
                        (
                            setup.work,
                            "\(Self.span(setup.work)) \(setup.kind.rawValue) before \(name) on \(lane.name): \(setup.task)\(rule)"
                        ))
                    accounted += setup.work
                }
                if slot.laneFree > slot.ready {
                    let busy = schedule.slots.filter {
                        $0.lane == slot.lane && $0.end > slot.ready && $0.start < slot.laneFree && $0.task != current
                    }.map { problem.jobs[problem.tasks[$0.task].job].order.id }
                    let unique = Array(NSOrderedSet(array: busy)) as? [String] ?? busy
                    if !unique.isEmpty {
                        let wait = slot.laneFree - slot.ready
                        items.append(
                            (
                                wait,
                                "\(name) waited \(Self.span(wait)) for \(lane.name), busy with \(unique.prefix(5).joined(separator: ", "))\(unique.count > 5 ? " and \(unique.count - 5) more" : "")"
                            ))
                        accounted += wait
                    }
                }
                for closed in lane.closed where closed.end > slot.ready && closed.start < slot.end {
                    let overlap = min(closed.end, slot.end) - max(closed.start, slot.ready)
                    guard overlap > 0 else { continue }
                    items.append(
                        (overlap, "\(lane.name) closed \(format(closed.start))–\(format(closed.end)): \(closed.reason)")
                    )
                }
                _ = accounted
            }
            // The predecessor that made this task ready, if any.
            task = problem.tasks[current].predecessors.max { schedule.slots[$0].end < schedule.slots[$1].end }
            if let previous = task, schedule.slots[previous].end < slot.ready { task = nil }
        }
        items.sort { $0.seconds > $1.seconds }
        return Explanation(
            order: record.order.id, due: problem.instant(record.due), end: problem.instant(schedule.jobEnd[job]),
            lateSeconds: lateness, reasons: items.map(\.text))
    }

    /// "on the late shift (Tue 14:00)" where the work centre's calendar names its shifts, else "at Tue 14:00".
    func shift(at time: Int, workCentre: String) -> String {
        if let named = problem.shiftNames[workCentre]?.first(where: { $0.start <= time && time < $0.end }) {
            let name = named.reason.lowercased().hasSuffix("shift") ? named.reason : "\(named.reason) shift"
            return "on the \(name) (\(format(named.start)))"
        }
        return "at \(format(time))"
    }

    func format(_ seconds: Int) -> String { Instant.format(problem.instant(seconds), in: problem.timeZone) }

    /// `2h30m` style.
    static func span(_ seconds: Int) -> String { TimeSpan(seconds: max(0, seconds)).description }
}
