import TaktCore

/// Turns an order of jobs into a schedule: job by job, each task goes to the lane where it finishes first,
/// after the lane's changeover and any clean its maximum run requires, in the lane's available time.
struct PlantDecoder {
    /// Why a job could not be placed.
    enum Failure: Error, Hashable {
        case forbidden(job: Int, task: Int)
        case beyondHorizon(job: Int, task: Int)
    }

    let problem: PlantProblem
    var laneFree: [Int]
    var laneProduct: [Int]
    var laneRun: [Int]
    var laneTasks: [[Int]]
    var slots: [PlantSchedule.Slot?]
    let initialFree: [Int]
    let initialProduct: [Int]
    let initialRun: [Int]
    let frozenSlots: [Int: PlantSchedule.Slot]

    init(problem: PlantProblem) {
        self.problem = problem
        var free = Array(repeating: 0, count: problem.lanes.count)
        var product = Array(repeating: -1, count: problem.lanes.count)
        var run = Array(repeating: 0, count: problem.lanes.count)
        var frozen: [Int: PlantSchedule.Slot] = [:]
        var latest: [Int: Int] = [:]
        for (task, slot) in problem.frozen.sorted(by: { $0.value.start < $1.value.start }) {
            frozen[task] = PlantSchedule.Slot(
                task: task, lane: slot.lane, start: slot.start, end: slot.end, pieces: [slot.start...slot.end],
                setups: [],
                ready: slot.start, laneFree: slot.start, frozen: true)
            // The lane's last product is that of the frozen task ending last, even before the origin.
            if slot.end >= (latest[slot.lane] ?? Int.min) {
                latest[slot.lane] = slot.end
                product[slot.lane] = problem.tasks[task].product
            }
            free[slot.lane] = max(free[slot.lane], slot.end)
            run[slot.lane] += slot.end - slot.start
        }
        initialFree = free
        initialProduct = product
        initialRun = run
        frozenSlots = frozen
        laneFree = free
        laneProduct = product
        laneRun = run
        laneTasks = Array(repeating: [], count: problem.lanes.count)
        slots = Array(repeating: nil, count: problem.tasks.count)
    }

    /// The earliest placement of `work` seconds on `lane` from `time`: one piece, or pieces across breaks when
    /// `split`. Nil when it does not fit before the horizon ends.
    func fit(lane: Int, from time: Int, work: Int, split: Bool) -> (start: Int, end: Int, pieces: [ClosedRange<Int>])? {
        let periods = problem.lanes[lane].available
        var low = 0
        var high = periods.count
        while low < high {
            let mid = (low + high) / 2
            if periods[mid].end <= time { low = mid + 1 } else { high = mid }
        }
        if work == 0 {
            let start = low < periods.count ? max(time, periods[low].start) : time
            return (start, start, [start...start])
        }
        if !split {
            for index in low..<periods.count {
                let start = max(periods[index].start, time)
                if start + work <= periods[index].end { return (start, start + work, [start...(start + work)]) }
            }
            return nil
        }
        var left = work
        var pieces: [ClosedRange<Int>] = []
        for index in low..<periods.count {
            let start = max(periods[index].start, time)
            let take = min(left, periods[index].end - start)
            guard take > 0 else { continue }
            pieces.append(start...(start + take))
            left -= take
            if left == 0 { return (pieces[0].lowerBound, start + take, pieces) }
        }
        return nil
    }

    /// Decodes `sequence` (job indexes) into a schedule.
    mutating func decode(_ sequence: [Int]) -> Result<PlantSchedule, Failure> {
        laneFree = initialFree
        laneProduct = initialProduct
        laneRun = initialRun
        for lane in laneTasks.indices { laneTasks[lane].removeAll(keepingCapacity: true) }
        for index in slots.indices { slots[index] = frozenSlots[index] }
        var jobEnd = Array(repeating: 0, count: problem.jobs.count)
        var changeoverSeconds = 0
        for job in sequence {
            let release = problem.jobs[job].release
            for task in problem.jobs[job].tasks {
                if let frozen = slots[task], frozen.frozen {
                    jobEnd[job] = max(jobEnd[job], frozen.end)
                    continue
                }
                var ready = release
                for before in problem.tasks[task].predecessors { ready = max(ready, slots[before]?.end ?? 0) }
                guard let placed = place(task, ready: ready) else {
                    let forbiddenEverywhere = problem.tasks[task].options.allSatisfy { option in
                        laneProduct[option.lane] >= 0
                            && {
                                if case .forbidden? = problem.changeover(
                                    lane: option.lane, from: laneProduct[option.lane], to: problem.tasks[task].product)
                                {
                                    return true
                                }
                                return false
                            }()
                    }
                    return .failure(
                        forbiddenEverywhere ? .forbidden(job: job, task: task) : .beyondHorizon(job: job, task: task))
                }
                slots[task] = placed.slot
                changeoverSeconds += placed.slot.setups.filter { $0.kind == .changeover }.map(\.work).reduce(0, +)
                let lane = placed.slot.lane
                laneFree[lane] = placed.slot.end
                laneProduct[lane] = problem.tasks[task].product
                laneRun[lane] = placed.run
                laneTasks[lane].append(task)
                jobEnd[job] = max(jobEnd[job], placed.slot.end)
            }
        }
        var weighted = 0
        for job in problem.jobs.indices {
            weighted += max(0, jobEnd[job] - problem.jobs[job].due) * problem.jobs[job].weight
        }
        let frozenLanes = frozenSlots.values.sorted { $0.start < $1.start }
        var lanes = laneTasks
        for slot in frozenLanes.reversed() { lanes[slot.lane].insert(slot.task, at: 0) }
        return .success(
            PlantSchedule(
                slots: slots.map { $0! }, lanes: lanes, jobEnd: jobEnd, weightedTardiness: weighted,
                changeoverSeconds: changeoverSeconds, makespan: jobEnd.max() ?? 0))
    }

    /// The best lane for `task`, ready at `ready`: the earliest finish, then the shortest setup.
    func place(_ task: Int, ready: Int) -> (slot: PlantSchedule.Slot, run: Int)? {
        let product = problem.tasks[task].product
        var best: (slot: PlantSchedule.Slot, run: Int, setup: Int)?
        for option in problem.tasks[task].options {
            let lane = option.lane
            var setups: [PlantSchedule.Setup] = []
            var time = laneFree[lane]
            var run = laneRun[lane]
            if let rule = problem.lanes[lane].maximumRun {
                guard option.duration <= rule.maximum.seconds else { continue }
                if laneProduct[lane] >= 0 && run + option.duration > rule.maximum.seconds {
                    guard let clean = fit(lane: lane, from: time, work: rule.taskDuration.seconds, split: true) else {
                        continue
                    }
                    setups.append(
                        .init(
                            kind: .clean, start: clean.start, end: clean.end, work: rule.taskDuration.seconds,
                            task: rule.task, rule: rule.id))
                    time = clean.end
                    run = 0
                }
            }
            if laneProduct[lane] >= 0 {
                switch problem.changeover(lane: lane, from: laneProduct[lane], to: product) {
                case .forbidden?: continue
                case .required(let duration, let name, let rule)?:
                    guard let change = fit(lane: lane, from: time, work: duration.seconds, split: true) else {
                        continue
                    }
                    setups.append(
                        .init(
                            kind: .changeover, start: change.start, end: change.end, work: duration.seconds, task: name,
                            rule: rule))
                    time = change.end
                case nil: break
                }
            }
            guard
                let slot = fit(
                    lane: lane, from: max(time, ready), work: option.duration, split: problem.lanes[lane].splits)
            else { continue }
            if let deadline = problem.tasks[task].deadline, slot.end > deadline { continue }
            let setupWork = setups.map(\.work).reduce(0, +)
            if let current = best, (current.slot.end, current.setup) <= (slot.end, setupWork) { continue }
            best = (
                PlantSchedule.Slot(
                    task: task, lane: lane, start: slot.start, end: slot.end, pieces: slot.pieces, setups: setups,
                    ready: ready,
                    laneFree: laneFree[lane], frozen: false),
                run + option.duration, setupWork
            )
        }
        return best.map { ($0.slot, $0.run) }
    }
}
