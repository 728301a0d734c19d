import TaktCore

/// Incremental evaluation of job orders for the annealer: the cost of a neighbour of the current order without
/// decoding all of it.
///
/// The decoder places jobs one by one, and what a job's placement depends on is the lanes' state when it comes
/// (when each lane is free, its last product, its run since the last clean). The evaluator keeps that state before
/// every position of the current order, with each position's share of the objective (the job's weighted
/// tardiness, its changeover seconds, its moved tasks, its end). A move that changes positions `i…j` leaves the
/// prefix before `i` as it was, so decoding starts from the state stored there; and once the lanes after `j`
/// are back in the state the current order had at the same position, everything after is as it was too, so it
/// stops there and takes the rest of the cost from the current order. After `j` it compares only the lanes each
/// job touches in either order (the others cannot have changed), so a position costs its placements, not a pass
/// over every lane. On a plant with slack most moves settle within a few jobs; on one overloaded for its whole
/// horizon a move shifts everything after it, and there the annealer's acceptance bound ends the evaluation early
/// once the candidate is behind the current order on every lane and already over the bound.
///
/// It mirrors `PlantDecoder.place` exactly (the same lane choice, setups, cleans, calendars and deadlines), which
/// `PlantEvaluatorTests` checks against full decodes; plans with crews (people as a resource) keep full decoding.
struct PlantEvaluator {
    let problem: PlantProblem
    let weights: ScheduleWeights
    let previous: PlantScheduler.Previous?
    let decoder: PlantDecoder
    let lanes: Int
    let jobs: Int

    /// The current order and, per position `p` (0…n), the lanes' state before the job at `p`: for each lane, when
    /// it is free, its last product and its run since the last clean, side by side (`state[(p × lanes + lane) × 3
    /// + 0, 1, 2]`) so comparing a lane's state reads one cache line.
    private(set) var sequence: [Int] = []
    private var state: [Int]
    /// Per position: the job's weighted tardiness, changeover seconds, moved tasks, end.
    private var tardiness: [Int]
    private var changeover: [Int]
    private var moved: [Int]
    private var end: [Int]
    /// Prefix sums (0…n) and prefix/suffix maxima of the ends.
    private var tardinessBefore: [Int]
    private var changeoverBefore: [Int]
    private var movedBefore: [Int]
    private var endMaxBefore: [Int]
    private var endMaxFrom: [Int]

    /// The candidate last evaluated: its order, from where it differed, where it settled, its shares, and what
    /// each of its placements changed (lane, task, free time, product, run), so `accept()` can rebuild the stored
    /// states from them instead of the evaluation copying every lane at every position.
    private var candidate: [Int] = []
    private var window = 0..<0
    private var scratchShares: [(tardiness: Int, changeover: Int, moved: Int, end: Int, placed: Int)] = []
    private var placedLane: [Int] = []
    private var placedTask: [Int] = []
    private var placedEnd: [Int] = []
    private var placedRun: [Int] = []
    private var taskEnd: [Int]
    /// The lane each task has in the current order (-1 for frozen tasks), so a comparison after a move looks only
    /// at the lanes the job touched in either order.
    private var taskLane: [Int]
    /// The lanes' state while a candidate is decoded, and per lane whether it differs from the current order's
    /// state at the same position and whether it is free earlier there.
    private var laneFree: [Int]
    private var laneProduct: [Int]
    private var laneRun: [Int]
    private var laneDiffers: [Bool]
    private var laneEarlier: [Bool]

    /// The problem in flat arrays of integers for the hot loop (no dictionary look-ups, no reference counting):
    /// each job's tasks, release, due date and weight; each task's options, predecessors, product, deadline and
    /// the end of its frozen slot (-1 when it is not frozen); each lane's maximum run and clean, whether it splits,
    /// and where its work centre's changeover matrix starts in `setup` (-2 for a lane without one; in it, a
    /// changeover's seconds, -1 for a forbidden transition, -2 for none).
    private let jobTaskFirst: [Int]
    private let jobTask: [Int]
    private let jobRelease: [Int]
    private let jobDue: [Int]
    private let jobWeight: [Int]
    private let optionFirst: [Int]
    private let optionLane: [Int]
    private let optionDuration: [Int]
    private let predecessorFirst: [Int]
    private let predecessor: [Int]
    private let taskProduct: [Int]
    private let taskDeadline: [Int]
    private let frozenEnd: [Int]
    private let laneMaximumRun: [Int]
    private let laneClean: [Int]
    private let laneSplits: [Bool]
    private let laneMatrix: [Int]
    private let setup: [Int]
    private let productCount: Int

    /// Placements made, for the benchmark's count of work done.
    private(set) var placements = 0

    /// Whether incremental evaluation applies: plans that assign people decode in full.
    static func applies(to problem: PlantProblem) -> Bool { problem.tasks.allSatisfy(\.crew.isEmpty) }

    /// The evaluator with `sequence` as the current order; nil when it does not decode.
    init?(problem: PlantProblem, weights: ScheduleWeights, previous: PlantScheduler.Previous?, sequence: [Int]) {
        self.problem = problem
        self.weights = weights
        self.previous = previous
        decoder = PlantDecoder(problem: problem)
        lanes = problem.lanes.count
        jobs = problem.jobs.count
        jobTaskFirst = [0] + problem.jobs.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.tasks.count) }
        jobTask = problem.jobs.flatMap(\.tasks)
        jobRelease = problem.jobs.map(\.release)
        jobDue = problem.jobs.map(\.due)
        jobWeight = problem.jobs.map(\.weight)
        optionFirst = [0] + problem.tasks.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.options.count) }
        optionLane = problem.tasks.flatMap { $0.options.map(\.lane) }
        optionDuration = problem.tasks.flatMap { $0.options.map(\.duration) }
        predecessorFirst =
            [0] + problem.tasks.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.predecessors.count) }
        predecessor = problem.tasks.flatMap(\.predecessors)
        taskProduct = problem.tasks.map(\.product)
        taskDeadline = problem.tasks.map { $0.deadline ?? Int.max }
        var frozen = Array(repeating: -1, count: problem.tasks.count)
        for (task, slot) in decoder.frozenSlots { frozen[task] = slot.end }
        frozenEnd = frozen
        laneMaximumRun = problem.lanes.map { $0.maximumRun.map { $0.maximum.seconds } ?? -1 }
        laneClean = problem.lanes.map { $0.maximumRun.map { $0.taskDuration.seconds } ?? 0 }
        laneSplits = problem.lanes.map(\.splits)
        let products = problem.products.count
        productCount = products
        // One table per distinct matrix, not per work centre: work centres under the same rules share theirs,
        // which keeps the tables in cache (60 products make 3,600 entries a table).
        var matrixOf: [String: Int] = [:]
        var baseOf: [[Int]: Int] = [:]
        var table: [Int] = []
        laneMatrix = problem.lanes.map { lane in
            guard let matrix = problem.changeovers[lane.workCentre] else { return -2 }
            if let base = matrixOf[lane.workCentre] { return base }
            let seconds = (0..<(products * products)).map { index -> Int in
                switch index < matrix.count ? matrix[index] : nil {
                case .forbidden?: -1
                case .required(let duration, _, _)?: duration.seconds
                case nil: -2
                }
            }
            let base = baseOf[seconds] ?? table.count
            if base == table.count {
                baseOf[seconds] = base
                table += seconds
            }
            matrixOf[lane.workCentre] = base
            return base
        }
        setup = table
        let n = sequence.count
        state = Array(repeating: 0, count: (n + 1) * lanes * 3)
        tardiness = Array(repeating: 0, count: n)
        changeover = tardiness
        moved = tardiness
        end = tardiness
        tardinessBefore = Array(repeating: 0, count: n + 1)
        changeoverBefore = tardinessBefore
        movedBefore = tardinessBefore
        endMaxBefore = tardinessBefore
        endMaxFrom = tardinessBefore
        taskEnd = Array(repeating: 0, count: problem.tasks.count)
        for (task, slot) in decoder.frozenSlots { taskEnd[task] = slot.end }
        taskLane = Array(repeating: -1, count: problem.tasks.count)
        laneFree = Array(repeating: 0, count: lanes)
        laneProduct = laneFree
        laneRun = laneFree
        laneDiffers = Array(repeating: false, count: lanes)
        laneEarlier = laneDiffers
        for lane in 0..<lanes {
            state[lane * 3] = decoder.initialFree[lane]
            state[lane * 3 + 1] = decoder.initialProduct[lane]
            state[lane * 3 + 2] = decoder.initialRun[lane]
        }
        self.sequence = sequence
        guard evaluate(sequence, from: 0, to: n) != nil else { return nil }
        accept()
    }

    /// Whether the job at `position` of the current order is late.
    func isLate(at position: Int) -> Bool { tardiness[position] > 0 }

    /// The cost of the current order.
    var cost: Double { total(tardinessBefore[jobs], changeoverBefore[jobs], movedBefore[jobs], endMaxBefore[jobs]) }

    private func total(_ tardiness: Int, _ changeover: Int, _ moved: Int, _ makespan: Int) -> Double {
        var value =
            weights.tardiness * Double(tardiness) / 60 + weights.changeover * Double(changeover) / 60
            + weights.makespan * Double(makespan) / 60
        if previous != nil { value += weights.stability * Double(moved) }
        return value
    }

    /// The cost of `order`, which equals the current order outside positions `first…last`; nil when it cannot be
    /// decoded (a forbidden transition everywhere, beyond the horizon). `accept()` then makes it current.
    ///
    /// With a `bound` (the annealer's acceptance limit for this move) it also gives up, returning nil, once the
    /// candidate is behind the current order on every lane and what it has cost so far, with the rest of the
    /// current order's cost added unchanged, already exceeds the bound: a move that has left every lane free no
    /// earlier than before does not, beyond anomalies of list scheduling, win that back in the jobs that follow.
    mutating func evaluate(_ order: [Int], from first: Int, to last: Int, bound: Double? = nil) -> Double? {
        let n = order.count
        candidate = order
        scratchShares.removeAll(keepingCapacity: true)
        placedLane.removeAll(keepingCapacity: true)
        placedTask.removeAll(keepingCapacity: true)
        placedEnd.removeAll(keepingCapacity: true)
        placedRun.removeAll(keepingCapacity: true)
        let start = first * lanes * 3
        for lane in 0..<lanes {
            laneFree[lane] = state[start + lane * 3]
            laneProduct[lane] = state[start + lane * 3 + 1]
            laneRun[lane] = state[start + lane * 3 + 2]
        }
        var (tardy, changes, movedTasks, latest) = (
            tardinessBefore[first], changeoverBefore[first], movedBefore[first], endMaxBefore[first]
        )
        // After the changed positions: how many lanes differ from the current order's state, and how many are free
        // earlier than in it, kept up to date lane by lane as jobs are placed.
        var differing = 0
        var earlier = 0
        var position = first
        var settled = n
        while position < n {
            if position > last {
                if position == last + 1 {
                    for lane in 0..<lanes {
                        compare(lane, at: position, differing: &differing, earlier: &earlier, counted: false)
                    }
                }
                if differing == 0 {
                    settled = position
                    break
                }
                if earlier == 0, let bound,
                    total(tardy, changes, movedTasks, latest, withTheRestFrom: position) > bound
                {
                    return nil
                }
            }
            let job = order[position]
            let placedFirst = placedLane.count
            var share = (tardiness: 0, changeover: 0, moved: 0, end: 0, placed: 0)
            let release = jobRelease[job]
            for index in jobTaskFirst[job]..<jobTaskFirst[job + 1] {
                let task = jobTask[index]
                if frozenEnd[task] >= 0 {
                    share.end = max(share.end, frozenEnd[task])
                    continue
                }
                var ready = release
                for before in predecessorFirst[task]..<predecessorFirst[task + 1] {
                    ready = max(ready, taskEnd[predecessor[before]])
                }
                placements += 1
                guard let placed = place(task, ready: ready) else { return nil }
                taskEnd[task] = placed.end
                laneFree[placed.lane] = placed.end
                laneProduct[placed.lane] = taskProduct[task]
                laneRun[placed.lane] = placed.run
                placedLane.append(placed.lane)
                placedTask.append(task)
                placedEnd.append(placed.end)
                placedRun.append(placed.run)
                share.changeover += placed.changeover
                share.end = max(share.end, placed.end)
                if let before = previous?[task], before.lane != placed.lane || before.start != placed.start {
                    share.moved += 1
                }
            }
            share.tardiness = max(0, share.end - jobDue[job]) * jobWeight[job]
            share.placed = placedLane.count
            tardy += share.tardiness
            changes += share.changeover
            movedTasks += share.moved
            latest = max(latest, share.end)
            scratchShares.append(share)
            if position > last {
                // Only the lanes this job was placed on, in the current order or in the candidate, can have
                // changed between the two states from this position to the next.
                for index in jobTaskFirst[job]..<jobTaskFirst[job + 1] where taskLane[jobTask[index]] >= 0 {
                    compare(taskLane[jobTask[index]], at: position + 1, differing: &differing, earlier: &earlier)
                }
                for index in placedFirst..<share.placed {
                    compare(placedLane[index], at: position + 1, differing: &differing, earlier: &earlier)
                }
            }
            position += 1
        }
        window = first..<settled
        return total(tardy, changes, movedTasks, latest, withTheRestFrom: settled)
    }

    /// The cost of a candidate's parts so far with the current order's from `position` on added (nothing at the
    /// end of the order).
    private func total(_ tardiness: Int, _ changeover: Int, _ moved: Int, _ latest: Int, withTheRestFrom position: Int)
        -> Double
    {
        total(
            tardiness + tardinessBefore[jobs] - tardinessBefore[position],
            changeover + changeoverBefore[jobs] - changeoverBefore[position],
            moved + movedBefore[jobs] - movedBefore[position], max(latest, endMaxFrom[position]))
    }

    /// Brings `lane`'s comparison with the current order's state before `position` up to date in the counts;
    /// `counted` says whether the lane's previous status is in them.
    private mutating func compare(
        _ lane: Int, at position: Int, differing: inout Int, earlier: inout Int, counted: Bool = true
    ) {
        let stored = (position * lanes + lane) * 3
        let differs =
            laneFree[lane] != state[stored] || laneProduct[lane] != state[stored + 1]
            || laneRun[lane] != state[stored + 2]
        let early = laneFree[lane] < state[stored]
        if counted {
            if laneDiffers[lane] { differing -= 1 }
            if laneEarlier[lane] { earlier -= 1 }
        }
        laneDiffers[lane] = differs
        laneEarlier[lane] = early
        if differs { differing += 1 }
        if early { earlier += 1 }
    }

    /// Makes the candidate last evaluated the current order: its shares, the lanes' state before each of its
    /// positions rebuilt from the one before and that position's placements, and its tasks' lanes.
    mutating func accept() {
        sequence = candidate
        var placedFirst = 0
        for (offset, share) in scratchShares.enumerated() {
            let position = window.lowerBound + offset
            tardiness[position] = share.tardiness
            changeover[position] = share.changeover
            moved[position] = share.moved
            end[position] = share.end
            let (from, to) = (position * lanes * 3, (position + 1) * lanes * 3)
            for index in 0..<(lanes * 3) { state[to + index] = state[from + index] }
            for index in placedFirst..<share.placed {
                let (lane, task) = (placedLane[index], placedTask[index])
                state[to + lane * 3] = placedEnd[index]
                state[to + lane * 3 + 1] = taskProduct[task]
                state[to + lane * 3 + 2] = placedRun[index]
                taskLane[task] = lane
            }
            placedFirst = share.placed
        }
        let n = sequence.count
        for position in window.lowerBound..<n {
            tardinessBefore[position + 1] = tardinessBefore[position] + tardiness[position]
            changeoverBefore[position + 1] = changeoverBefore[position] + changeover[position]
            movedBefore[position + 1] = movedBefore[position] + moved[position]
            endMaxBefore[position + 1] = max(endMaxBefore[position], end[position])
        }
        endMaxFrom[n] = 0
        for position in stride(from: window.upperBound - 1, through: 0, by: -1) {
            endMaxFrom[position] = max(endMaxFrom[position + 1], end[position])
        }
    }

    /// `PlantDecoder.place` without building the slot: the lane, start and end, the lane's run after it, and the
    /// changeover seconds before it.
    private func place(_ task: Int, ready: Int) -> (lane: Int, start: Int, end: Int, run: Int, changeover: Int)? {
        let product = taskProduct[task]
        var best: (lane: Int, start: Int, end: Int, run: Int, changeover: Int, setup: Int)?
        for option in optionFirst[task]..<optionFirst[task + 1] {
            let lane = optionLane[option]
            let duration = optionDuration[option]
            var time = laneFree[lane]
            var laneRunNow = laneRun[lane]
            var setupWork = 0
            var changeoverWork = 0
            let maximumRun = laneMaximumRun[lane]
            if maximumRun >= 0 {
                guard duration <= maximumRun else { continue }
                if laneProduct[lane] >= 0 && laneRunNow + duration > maximumRun {
                    guard let clean = decoder.span(lane: lane, from: time, work: laneClean[lane], split: true) else {
                        continue
                    }
                    setupWork += laneClean[lane]
                    time = clean.end
                    laneRunNow = 0
                }
            }
            let matrix = laneMatrix[lane]
            if laneProduct[lane] >= 0 && matrix >= 0 {
                let seconds = setup[matrix + laneProduct[lane] * productCount + product]
                if seconds == -1 { continue }
                if seconds >= 0 {
                    guard let change = decoder.span(lane: lane, from: time, work: seconds, split: true) else {
                        continue
                    }
                    setupWork += seconds
                    changeoverWork = seconds
                    time = change.end
                }
            }
            guard
                let slot = decoder.span(lane: lane, from: max(time, ready), work: duration, split: laneSplits[lane])
            else { continue }
            if slot.end > taskDeadline[task] { continue }
            if let current = best, (current.end, current.setup) <= (slot.end, setupWork) { continue }
            best = (lane, slot.start, slot.end, laneRunNow + duration, changeoverWork, setupWork)
        }
        return best.map { ($0.lane, $0.start, $0.end, $0.run, $0.changeover) }
    }
}
