import TaktCore

/// Checks a plant schedule independently of the scheduler: every hard rule, so a bug in the search can never
/// reach a production manager as a plan.
public struct PlantScheduleValidator: Sendable {
    public let problem: PlantProblem

    public init(problem: PlantProblem) {
        self.problem = problem
    }

    /// Every broken rule, each naming the order, operation and work centre; empty when the schedule is valid.
    public func problems(in schedule: PlantSchedule) -> [String] {
        var found: [String] = []
        func name(_ task: Int) -> String {
            "order \(problem.jobs[problem.tasks[task].job].order.id) operation \(problem.tasks[task].operation.id)"
        }
        for task in problem.tasks.indices {
            let slot = schedule.slots[task]
            if let frozen = problem.frozen[task] {
                if frozen.lane != slot.lane || frozen.start != slot.start || frozen.end != slot.end {
                    found.append("\(name(task)) was started and must not move")
                }
                continue
            }
            guard let option = problem.tasks[task].options.first(where: { $0.lane == slot.lane }) else {
                found.append("\(name(task)) runs on \(problem.lanes[slot.lane].name), which is not eligible")
                continue
            }
            let work = slot.pieces.map { $0.upperBound - $0.lowerBound }.reduce(0, +)
            if work != option.duration {
                found.append("\(name(task)) gets \(work) s of work, needs \(option.duration) s")
            }
            if slot.pieces.count > 1 && !problem.lanes[slot.lane].splits {
                found.append(
                    "\(name(task)) is split across a break on \(problem.lanes[slot.lane].name), which does not allow it"
                )
            }
            for piece in slot.pieces where !inAvailable(piece, lane: slot.lane) {
                found.append("\(name(task)) runs while \(problem.lanes[slot.lane].name) is closed")
            }
            if let deadline = problem.tasks[task].deadline, slot.end > deadline {
                found.append("\(name(task)) ends after its \(problem.tasks[task].deadlineReason ?? "deadline")")
            }
            found += crewProblems(task: task, slot: slot, name: name(task))
            let job = problem.jobs[problem.tasks[task].job]
            if slot.start < job.release { found.append("\(name(task)) starts before the order is released") }
            for before in problem.tasks[task].predecessors where schedule.slots[before].end > slot.start {
                found.append("\(name(task)) starts before \(name(before)) ends")
            }
        }
        // Nobody is in two places at once.
        var worked: [Int: [(ClosedRange<Int>, Int)]] = [:]
        for slot in schedule.slots {
            for (piece, crew) in zip(slot.pieces, slot.crews) {
                for person in crew { worked[person, default: []].append((piece, slot.task)) }
            }
        }
        for (person, pieces) in worked {
            let sorted = pieces.sorted { $0.0.lowerBound < $1.0.lowerBound }
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.0.lowerBound < a.0.upperBound {
                found.append(
                    "\(problem.people[person].id) is assigned to \(name(a.1)) and \(name(b.1)) at the same time")
            }
        }
        for (lane, sequence) in schedule.lanes.enumerated() {
            var run = 0
            for (index, next) in sequence.enumerated() {
                let slot = schedule.slots[next]
                if index > 0 {
                    let previous = sequence[index - 1]
                    let before = schedule.slots[previous]
                    if slot.start < before.end {
                        found.append("\(name(previous)) and \(name(next)) overlap on \(problem.lanes[lane].name)")
                    }
                    let product = (problem.tasks[previous].product, problem.tasks[next].product)
                    // Work already started was set up before this plan (its changeover done then): nothing is owed
                    // before it, as `PlantSolutionChecker` judges too.
                    let owed = problem.frozen[next] == nil
                    switch owed ? problem.changeover(lane: lane, from: product.0, to: product.1) : nil {
                    case .forbidden(let reason, _)?:
                        found.append(
                            "\(name(next)) may not follow \(name(previous)) on \(problem.lanes[lane].name): \(reason)")
                    case .required(let duration, _, _)?:
                        let done = slot.setups.filter { $0.kind == .changeover }.map(\.work).reduce(0, +)
                        if done < duration.seconds || slot.start - before.end < duration.seconds {
                            found.append(
                                "\(name(next)) lacks its \(duration) changeover on \(problem.lanes[lane].name)")
                        }
                    case nil: break
                    }
                }
                guard let rule = problem.lanes[lane].maximumRun else { continue }
                if slot.setups.contains(where: { $0.kind == .clean }) { run = 0 }
                run += slot.pieces.map { $0.upperBound - $0.lowerBound }.reduce(0, +)
                if run > rule.maximum.seconds {
                    found.append(
                        "\(problem.lanes[lane].name) runs longer than \(rule.maximum) without \(rule.task) by the end of \(name(next))"
                    )
                }
            }
        }
        return found
    }

    /// A task's crew: enough people for each need on every piece, each qualified, rostered and free there.
    private func crewProblems(task: Int, slot: PlantSchedule.Slot, name: String) -> [String] {
        let needs = problem.tasks[task].crew
        guard !needs.isEmpty else { return [] }
        guard slot.crews.count == slot.pieces.count else { return ["\(name) has no crew for some of its work"] }
        let centre = problem.lanes[slot.lane].workCentre
        var found: [String] = []
        for (piece, crew) in zip(slot.pieces, slot.crews) {
            guard Set(crew).count == crew.count else {
                found.append("\(name) counts someone twice in its crew")
                continue
            }
            var left = crew
            for need in needs {
                let able = left.filter { need.candidates[centre]?.contains($0) == true }.prefix(need.count)
                if able.count < need.count {
                    found.append("\(name) has \(able.count) of the \(need.count) × \(need.skill) it needs")
                }
                left.removeAll { able.contains($0) }
            }
            for person in crew {
                let rostered = problem.people[person].periods.contains {
                    $0.start <= piece.lowerBound && piece.upperBound <= $0.end
                        && ($0.reason.isEmpty || $0.reason == centre)
                }
                if !rostered { found.append("\(problem.people[person].id) is not rostered for all of \(name)") }
                if piece.upperBound > problem.lapse(of: person, at: centre) {
                    found.append(
                        "\(problem.people[person].id) works \(name) after a certificate \(centre) needs lapses")
                }
            }
        }
        return found
    }

    private func inAvailable(_ piece: ClosedRange<Int>, lane: Int) -> Bool {
        if piece.lowerBound == piece.upperBound { return true }
        return problem.lanes[lane].available.contains { $0.start <= piece.lowerBound && piece.upperBound <= $0.end }
    }
}
