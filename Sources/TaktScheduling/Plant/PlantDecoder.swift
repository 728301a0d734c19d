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
    /// Each person's assigned time, sorted by start: the crews placed so far.
    var personBusy: [[ClosedRange<Int>]]
    let initialBusy: [[ClosedRange<Int>]]
    /// Every lane's available periods in flat arrays (lane l's at `periodFirst[l]..<periodFirst[l + 1]`), so the
    /// hot loop of `span` reads plain integers.
    let periodStart: [Int]
    let periodEnd: [Int]
    let periodFirst: [Int]

    init(problem: PlantProblem) {
        self.problem = problem
        periodStart = problem.lanes.flatMap { $0.available.map(\.start) }
        periodEnd = problem.lanes.flatMap { $0.available.map(\.end) }
        var first = [0]
        for lane in problem.lanes { first.append(first[first.count - 1] + lane.available.count) }
        periodFirst = first
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
        // Work already started keeps whoever can be found on it, before anything else is placed.
        var busy = Array(repeating: [ClosedRange<Int>](), count: problem.people.count)
        for (task, slot) in frozen.sorted(by: { $0.key < $1.key }) where !problem.tasks[task].crew.isEmpty {
            let centre = problem.lanes[slot.lane].workCentre
            if let crew = Self.pickCrew(problem, busy: busy, task: task, workCentre: centre, slot.start, slot.end).crew
            {
                for person in crew { Self.book(&busy[person], slot.start...slot.end) }
                frozen[task]?.crews = [crew]
            }
        }
        initialBusy = busy
        personBusy = busy
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
        guard let span = span(lane: lane, from: time, work: work, split: split) else { return nil }
        guard split, work > 0 else { return (span.start, span.end, [span.start...span.end]) }
        // The pieces are the available time between its start and end.
        let periods = problem.lanes[lane].available
        var pieces: [ClosedRange<Int>] = []
        for index in Self.firstOpen(periods, at: span.start)..<periods.count {
            let start = max(periods[index].start, span.start)
            guard start < span.end else { break }
            let end = min(periods[index].end, span.end)
            if end > start { pieces.append(start...end) }
        }
        return (span.start, span.end, pieces)
    }

    /// The first of sorted `periods` that ends after `time`.
    static func firstOpen(_ periods: [PlantProblem.Period], at time: Int) -> Int {
        var low = 0
        var high = periods.count
        while low < high {
            let mid = (low + high) / 2
            if periods[mid].end <= time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Where `work` seconds fit on `lane` from `time` (as `fit`, without the pieces, so without allocating: the
    /// incremental evaluator's hot loop).
    func span(lane: Int, from time: Int, work: Int, split: Bool) -> (start: Int, end: Int)? {
        let first = periodFirst[lane]
        let last = periodFirst[lane + 1]
        // The first period that ends after `time`.
        var low = first
        var high = last
        while low < high {
            let mid = (low + high) / 2
            if periodEnd[mid] <= time { low = mid + 1 } else { high = mid }
        }
        if work == 0 {
            let start = low < last ? max(time, periodStart[low]) : time
            return (start, start)
        }
        if !split {
            for index in low..<last {
                let start = max(periodStart[index], time)
                if start + work <= periodEnd[index] { return (start, start + work) }
            }
            return nil
        }
        var left = work
        var begun = -1
        for index in low..<last {
            let start = max(periodStart[index], time)
            let take = min(left, periodEnd[index] - start)
            guard take > 0 else { continue }
            if begun < 0 { begun = start }
            left -= take
            if left == 0 { return (begun, start + take) }
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
        if !problem.people.isEmpty { personBusy = initialBusy }
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
                for (piece, crew) in zip(placed.slot.pieces, placed.slot.crews) {
                    for person in crew { Self.book(&personBusy[person], piece) }
                }
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
            var crews: [[Int]] = []
            var wait = (seconds: 0, short: String?.none, at: 0)
            let slot: (start: Int, end: Int, pieces: [ClosedRange<Int>])
            if problem.tasks[task].crew.isEmpty {
                guard
                    let placed = fit(
                        lane: lane, from: max(time, ready), work: option.duration, split: problem.lanes[lane].splits)
                else { continue }
                slot = placed
            } else {
                guard
                    let placed = crewFit(
                        task: task, lane: lane, from: max(time, ready), work: option.duration,
                        split: problem.lanes[lane].splits)
                else { continue }
                slot = (placed.start, placed.end, placed.pieces)
                crews = placed.crews
                wait = (placed.waited, placed.short, placed.shortAt)
            }
            if let deadline = problem.tasks[task].deadline, slot.end > deadline { continue }
            let setupWork = setups.map(\.work).reduce(0, +)
            if let current = best, (current.slot.end, current.setup) <= (slot.end, setupWork) { continue }
            best = (
                PlantSchedule.Slot(
                    task: task, lane: lane, start: slot.start, end: slot.end, pieces: slot.pieces, setups: setups,
                    ready: ready,
                    laneFree: laneFree[lane], frozen: false, crews: crews, peopleWait: wait.seconds,
                    peopleShort: wait.short, peopleShortAt: wait.at),
                run + option.duration, setupWork
            )
        }
        return best.map { ($0.slot, $0.run) }
    }

    // MARK: people

    /// Books `piece` in a person's sorted busy list.
    static func book(_ busy: inout [ClosedRange<Int>], _ piece: ClosedRange<Int>) {
        var low = 0
        var high = busy.count
        while low < high {
            let mid = (low + high) / 2
            if busy[mid].lowerBound < piece.lowerBound { low = mid + 1 } else { high = mid }
        }
        busy.insert(piece, at: low)
    }

    /// Whether `person` is rostered for all of `start..<end` where `workCentre` may use them, and free then.
    static func isFree(
        _ problem: PlantProblem, busy: [[ClosedRange<Int>]], person: Int, workCentre: String, _ start: Int, _ end: Int
    ) -> Bool {
        guard let until = freeUntil(problem, busy: busy, person: person, workCentre: workCentre, at: start) else {
            return false
        }
        return until >= end
    }

    /// How long `person` stays free for `workCentre` from `time`: the end of their rostered period, or the start
    /// of their next assignment, whichever comes first. Nil when they are not rostered and free at `time`.
    static func freeUntil(
        _ problem: PlantProblem, busy: [[ClosedRange<Int>]], person: Int, workCentre: String, at time: Int
    ) -> Int? {
        let range = problem.periodRanges[person]
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let mid = (low + high) / 2
            if problem.periodEnds[mid] <= time { low = mid + 1 } else { high = mid }
        }
        let lapse = problem.lapse(of: person, at: workCentre)
        guard low < range.upperBound, problem.periodStarts[low] <= time, time < lapse,
            problem.periodCentres[low].isEmpty || problem.periodCentres[low] == workCentre
        else { return nil }
        var until = min(problem.periodEnds[low], lapse)
        let booked = busy[person]
        low = 0
        high = booked.count
        while low < high {
            let mid = (low + high) / 2
            if booked[mid].upperBound <= time { low = mid + 1 } else { high = mid }
        }
        if low < booked.count {
            if booked[low].lowerBound <= time { return nil }
            until = min(until, booked[low].lowerBound)
        }
        return until
    }

    /// A crew for `task` at `workCentre` over `start..<end`: the least versatile free candidates for each need, no
    /// one twice. Nil crew, with the first skill short, when there is none.
    static func pickCrew(
        _ problem: PlantProblem, busy: [[ClosedRange<Int>]], task: Int, workCentre: String, _ start: Int, _ end: Int
    ) -> (crew: [Int]?, short: String?) {
        var chosen: [Int] = []
        for need in problem.tasks[task].crew {
            var got = 0
            for person in need.candidates[workCentre] ?? [] where !chosen.contains(person) {
                if isFree(problem, busy: busy, person: person, workCentre: workCentre, start, end) {
                    chosen.append(person)
                    got += 1
                    if got == need.count { break }
                }
            }
            if got < need.count { return (nil, need.skill) }
        }
        return (chosen, nil)
    }

    /// The earliest `person` could start `work` seconds at `workCentre` from `time`, inside one rostered period and
    /// clear of their assignments; nil when never within the horizon.
    func earliestFree(person: Int, workCentre: String, from time: Int, work: Int) -> Int? {
        let range = problem.periodRanges[person]
        let busy = personBusy[person]
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let mid = (low + high) / 2
            if problem.periodEnds[mid] <= time { low = mid + 1 } else { high = mid }
        }
        var index = low
        var cursor = time
        let lapse = problem.lapse(of: person, at: workCentre)
        while index < range.upperBound {
            let periodEnd = problem.periodEnds[index]
            let start = max(cursor, problem.periodStarts[index])
            guard start + work <= lapse else { return nil }
            guard problem.periodCentres[index].isEmpty || problem.periodCentres[index] == workCentre,
                start + work <= periodEnd
            else {
                index += 1
                continue
            }
            var bLow = 0
            var bHigh = busy.count
            while bLow < bHigh {
                let mid = (bLow + bHigh) / 2
                if busy[mid].upperBound <= start { bLow = mid + 1 } else { bHigh = mid }
            }
            if bLow < busy.count, busy[bLow].lowerBound < start + work {
                cursor = busy[bLow].upperBound
                if cursor >= periodEnd { index += 1 }
                continue
            }
            return start
        }
        return nil
    }

    /// The earliest moment from `time` at which every need of `task` could have its count of candidates free for
    /// `work` seconds: for each need the count-th earliest free start among its candidates, the latest of these.
    func earliestStaffable(task: Int, workCentre: String, from time: Int, work: Int) -> Int? {
        var latest = time
        for need in problem.tasks[task].crew {
            var starts: [Int] = []
            for person in need.candidates[workCentre] ?? [] {
                if let start = earliestFree(person: person, workCentre: workCentre, from: time, work: work) {
                    starts.append(start)
                }
            }
            guard starts.count >= need.count else { return nil }
            starts.sort()
            latest = max(latest, starts[need.count - 1])
        }
        return latest
    }

    /// The next moment after `time` at which one of `task`'s candidates at `workCentre` may become free: a rostered
    /// period starting or an assignment ending.
    func nextPeopleChange(task: Int, workCentre: String, after time: Int) -> Int? {
        var next: Int?
        for need in problem.tasks[task].crew {
            for person in need.candidates[workCentre] ?? [] {
                let range = problem.periodRanges[person]
                var low = range.lowerBound
                var high = range.upperBound
                while low < high {
                    let mid = (low + high) / 2
                    if problem.periodStarts[mid] <= time { low = mid + 1 } else { high = mid }
                }
                if low < range.upperBound { next = min(next ?? problem.periodStarts[low], problem.periodStarts[low]) }
                let busy = personBusy[person]
                low = 0
                high = busy.count
                while low < high {
                    let mid = (low + high) / 2
                    if busy[mid].upperBound <= time { low = mid + 1 } else { high = mid }
                }
                if low < busy.count { next = min(next ?? busy[low].upperBound, busy[low].upperBound) }
            }
        }
        return next
    }

    /// The earliest placement of `work` seconds of `task` on `lane` from `time` with its crew: in one piece with
    /// one crew, or — where the work centre splits work across breaks — in pieces each with its own crew (the
    /// late shift takes over from the early one). Nil when it does not fit before the horizon ends.
    func crewFit(task: Int, lane: Int, from time: Int, work: Int, split: Bool) -> (
        start: Int, end: Int, pieces: [ClosedRange<Int>], crews: [[Int]], waited: Int, short: String?, shortAt: Int
    )? {
        let centre = problem.lanes[lane].workCentre
        var short: String?
        var shortAt = 0
        var firstLaneStart: Int?
        var cursor = time
        if !split {
            for _ in 0..<100_000 {
                guard let placed = fit(lane: lane, from: cursor, work: work, split: false) else { return nil }
                firstLaneStart = firstLaneStart ?? placed.start
                let picked = Self.pickCrew(
                    problem, busy: personBusy, task: task, workCentre: centre, placed.start, placed.end)
                if let crew = picked.crew {
                    return (
                        placed.start, placed.end, placed.pieces, [crew], placed.start - firstLaneStart!, short, shortAt
                    )
                }
                if short == nil { (short, shortAt) = (picked.short, placed.start) }
                // Jump to the earliest moment each need could have enough people free for the whole work: no
                // start before it can be staffed, so nothing feasible is skipped.
                guard let next = earliestStaffable(task: task, workCentre: centre, from: placed.start, work: work)
                else { return nil }
                cursor = max(next, placed.start + 1)
            }
            return nil
        }
        var left = work
        var pieces: [ClosedRange<Int>] = []
        var crews: [[Int]] = []
        var waited = 0
        for _ in 0..<100_000 {
            guard let open = fit(lane: lane, from: cursor, work: 1, split: false) else { return nil }
            let start = open.start
            let periods = problem.lanes[lane].available
            guard let period = periods.first(where: { $0.start <= start && start < $0.end }) else { return nil }
            firstLaneStart = firstLaneStart ?? start
            // At `start`, for each need, the free candidates who stay free longest.
            var chosen: [Int] = []
            var until = min(period.end, start + left)
            var missing: String?
            for need in problem.tasks[task].crew {
                let free = (need.candidates[centre] ?? []).filter { !chosen.contains($0) }.compactMap { person in
                    Self.freeUntil(problem, busy: personBusy, person: person, workCentre: centre, at: start).map {
                        (person, $0)
                    }
                }.sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }
                guard free.count >= need.count else {
                    missing = need.skill
                    break
                }
                for (person, end) in free.prefix(need.count) {
                    chosen.append(person)
                    until = min(until, end)
                }
            }
            if let missing {
                if short == nil { (short, shortAt) = (missing, start) }
                guard let next = nextPeopleChange(task: task, workCentre: centre, after: start) else { return nil }
                // Time the work centre could have worked on it but had no crew.
                waited += periods.reduce(0) { $0 + max(0, min($1.end, next) - max($1.start, start)) }
                cursor = next
                continue
            }
            pieces.append(start...until)
            crews.append(chosen)
            left -= until - start
            cursor = until
            if left == 0 { return (pieces[0].lowerBound, until, pieces, crews, waited, short, shortAt) }
        }
        return nil
    }
}
