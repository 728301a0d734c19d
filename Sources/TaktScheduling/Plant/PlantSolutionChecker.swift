import Foundation

/// Checks any solver's solution against a plant problem document, independently of Takt's decoder, and computes
/// the objective's parts the same way for every solver: weighted tardiness, changeover time, makespan.
///
/// A solution is valid when every task is placed exactly once on a lane that may run it, for its duration there,
/// in available time (in one piece unless the lane splits work), not before its job's release or its
/// predecessors' ends, not after its deadline or the horizon; frozen tasks where they were; on each lane no two
/// tasks overlap, no forbidden transition follows, each required changeover fits in the available time between
/// the two tasks, and where a lane's maximum run would be passed, the clean fits there too (before the changeover).
public enum PlantSolutionChecker {
    public struct Report: Codable, Sendable {
        public var valid: Bool
        public var problems: [String]
        /// Σ weight × seconds late, over jobs.
        public var weightedTardiness: Int
        public var changeoverSeconds: Int
        public var makespan: Int
        /// Tasks not where `previous` had them (0 without one).
        public var moves: Int
        /// weights.tardiness × weighted tardiness / 60 + weights.changeover × changeover / 60 + weights.makespan ×
        /// makespan / 60: the solver's own objective, in the same units.
        public var objective: Double

        enum CodingKeys: String, CodingKey {
            case valid, problems, moves, objective, makespan
            case weightedTardiness = "weighted_tardiness"
            case changeoverSeconds = "changeover_seconds"
        }
    }

    /// At most this many problems are listed.
    public static let maximumProblems = 50

    public static func check(
        _ problem: PlantProblemDocument, _ solution: PlantSolutionDocument, previous: PlantSolutionDocument? = nil
    ) -> Report {
        var problems: [String] = []
        func fail(_ text: String) { if problems.count < maximumProblems { problems.append(text) } }
        func name(_ task: Int) -> String {
            guard problem.tasks.indices.contains(task) else { return "task \(task)" }
            let item = problem.tasks[task]
            return "task \(task) (\(problem.jobs[item.job].order)/\(item.operation))"
        }
        var placed: [Int: PlantSolutionDocument.Assignment] = [:]
        for assignment in solution.tasks {
            guard problem.tasks.indices.contains(assignment.task) else {
                fail("task \(assignment.task) is not in the problem")
                continue
            }
            if placed[assignment.task] != nil { fail("\(name(assignment.task)) is placed twice") }
            placed[assignment.task] = assignment
        }
        for task in problem.tasks.indices where placed[task] == nil { fail("\(name(task)) is not placed") }
        let frozen = Dictionary(problem.frozen.map { ($0.task, $0) }, uniquingKeysWith: { a, _ in a })
        func availableTime(_ lane: Int, _ from: Int, _ to: Int) -> Int {
            guard to > from else { return 0 }
            var total = 0
            for period in problem.lanes[lane].available where period[1] > from && period[0] < to {
                total += min(period[1], to) - max(period[0], from)
            }
            return total
        }
        for (task, assignment) in placed.sorted(by: { $0.key < $1.key }) {
            let item = problem.tasks[task]
            let job = problem.jobs[item.job]
            if let fixed = frozen[task] {
                if (fixed.lane, fixed.start, fixed.end) != (assignment.lane, assignment.start, assignment.end) {
                    fail("\(name(task)) is frozen on lane \(fixed.lane) at \(fixed.start)–\(fixed.end) and was moved")
                }
                continue
            }
            guard let option = item.options.first(where: { $0.lane == assignment.lane }) else {
                fail("\(name(task)) is on lane \(assignment.lane), which may not run it")
                continue
            }
            let pieces = assignment.pieces ?? [[assignment.start, assignment.end]]
            guard pieces.allSatisfy({ $0.count == 2 && $0[0] <= $0[1] }), let first = pieces.first,
                let last = pieces.last, first[0] == assignment.start, last[1] == assignment.end
            else {
                fail("\(name(task)): its pieces do not run from its start to its end")
                continue
            }
            if pieces.count > 1 && !problem.lanes[assignment.lane].splits {
                fail("\(name(task)) is split, and lane \(problem.lanes[assignment.lane].name) does not split work")
            }
            for (a, b) in zip(pieces, pieces.dropFirst()) where b[0] < a[1] {
                fail("\(name(task)): its pieces overlap")
            }
            let work = pieces.map { $0[1] - $0[0] }.reduce(0, +)
            if work != option.duration {
                fail("\(name(task)) works \(work) s; it takes \(option.duration) s on lane \(assignment.lane)")
            }
            for piece in pieces
            where option.duration > 0 && availableTime(assignment.lane, piece[0], piece[1]) != piece[1] - piece[0] {
                fail("\(name(task)) works outside the available time of lane \(problem.lanes[assignment.lane].name)")
                break
            }
            if assignment.start < job.release { fail("\(name(task)) starts before its job's release \(job.release)") }
            for before in item.predecessors {
                if let previous = placed[before], assignment.start < previous.end {
                    fail("\(name(task)) starts before its predecessor \(name(before)) ends")
                }
            }
            if let deadline = item.deadline, assignment.end > deadline {
                fail("\(name(task)) ends after its deadline \(deadline)")
            }
            if assignment.end > problem.horizon { fail("\(name(task)) ends after the horizon") }
        }
        // Lanes: overlaps, changeovers, forbidden transitions, cleans.
        var matrix: [String: [Int: PlantProblemDocument.Changeover]] = [:]
        let count = problem.products.count
        for entry in problem.changeovers {
            matrix[entry.workCentre, default: [:]][entry.from * count + entry.to] = entry
        }
        var byLane = Array(repeating: [PlantSolutionDocument.Assignment](), count: problem.lanes.count)
        for assignment in placed.values where problem.lanes.indices.contains(assignment.lane) {
            byLane[assignment.lane].append(assignment)
        }
        var changeoverSeconds = 0
        for (lane, tasks) in byLane.enumerated() {
            let sorted = tasks.sorted { ($0.start, $0.end, $0.task) < ($1.start, $1.end, $1.task) }
            let spec = problem.lanes[lane]
            var run = 0
            for (index, assignment) in sorted.enumerated() {
                let work = (assignment.pieces ?? [[assignment.start, assignment.end]]).map { $0[1] - $0[0] }
                    .reduce(0, +)
                guard index > 0 else {
                    run = work
                    continue
                }
                let before = sorted[index - 1]
                if assignment.start < before.end {
                    fail("\(name(before.task)) and \(name(assignment.task)) overlap on lane \(spec.name)")
                    continue
                }
                // Work already started was set up before the plan: nothing is owed before it.
                guard frozen[assignment.task] == nil else {
                    run += work
                    continue
                }
                var needed = 0
                if let rule = spec.maximumRun, run + work > rule.seconds {
                    needed += rule.clean
                    run = 0
                }
                let change = matrix[spec.workCentre]?[
                    problem.tasks[before.task].product * count + problem.tasks[assignment.task].product]
                if let change {
                    if change.forbidden {
                        fail("\(name(assignment.task)) may not follow \(name(before.task)) on \(spec.workCentre)")
                    } else {
                        needed += change.seconds ?? 0
                        changeoverSeconds += change.seconds ?? 0
                    }
                }
                if needed > 0 && availableTime(lane, before.end, assignment.start) < needed {
                    fail(
                        "lane \(spec.name) has no \(needed) s of available time for the changeover or clean between "
                            + "\(name(before.task)) and \(name(assignment.task))")
                }
                run += work
            }
        }
        var jobEnd = Array(repeating: 0, count: problem.jobs.count)
        for assignment in placed.values {
            jobEnd[problem.tasks[assignment.task].job] = max(jobEnd[problem.tasks[assignment.task].job], assignment.end)
        }
        var weighted = 0
        for (index, job) in problem.jobs.enumerated() { weighted += max(0, jobEnd[index] - job.due) * job.weight }
        let makespan = jobEnd.max() ?? 0
        var moves = 0
        if let previous {
            let before = Dictionary(previous.tasks.map { ($0.task, $0) }, uniquingKeysWith: { a, _ in a })
            for assignment in placed.values where frozen[assignment.task] == nil {
                if let old = before[assignment.task], old.lane != assignment.lane || old.start != assignment.start {
                    moves += 1
                }
            }
        }
        let objective =
            problem.weights.tardiness * Double(weighted) / 60 + problem.weights.changeover * Double(changeoverSeconds)
            / 60 + problem.weights.makespan * Double(makespan) / 60
        return Report(
            valid: problems.isEmpty, problems: problems, weightedTardiness: weighted,
            changeoverSeconds: changeoverSeconds, makespan: makespan, moves: moves, objective: objective)
    }
}
