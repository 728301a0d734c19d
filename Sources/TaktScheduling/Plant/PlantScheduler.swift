import Foundation
import TaktCore

/// The plant scheduler: a fast construction (earliest due date, grouped by product, with setups and calendars
/// in the decoder), then simulated annealing over the order of jobs within the time limit, on every worker.
///
/// The objective never trades a hard rule (forbidden transitions, calendars, maximum runs, eligibility are
/// built into the decoder); it minimises weighted tardiness, then changeover time, then makespan, by the
/// weights given; when rescheduling it also counts the tasks that move.
public enum PlantScheduler {
    /// The outcome: the schedule, its cost, and when the best was found.
    public struct Outcome: Sendable {
        public var schedule: PlantSchedule
        public var sequence: [Int]
        public var cost: Double
        public var secondsToBest: Double
        public var secondsToFirst: Double
        public var iterations: Int
        /// Task placements the search made in all (full decodes place every task; incremental ones a few).
        public var placements: Int = 0
    }

    /// The previous placement of tasks, for rescheduling: the cost counts every task that moves from it.
    public typealias Previous = [Int: (lane: Int, start: Int)]

    public static func solve(
        _ problem: PlantProblem, weights: ScheduleWeights = ScheduleWeights(), limits: SearchLimits,
        previous: Previous? = nil, initialOrder: [Int]? = nil
    ) throws(SchedulingError) -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        var decoder = PlantDecoder(problem: problem)
        var first = initialOrder ?? constructionOrder(problem)
        var built = decoder.decode(first)
        // Repair a construction that runs into a forbidden transition: move the job that failed later, or, when it
        // is already last, to the nearest earlier place where it no longer fails.
        var attempts = 0
        while case .failure(let failure) = built, attempts < problem.jobs.count * 2 {
            attempts += 1
            let job: Int
            switch failure {
            case .forbidden(let failed, _): job = failed
            case .beyondHorizon(let failed, let task):
                // Work racing a reel's floor life goes first; anything else that does not fit is final.
                guard problem.tasks[task].deadline != nil, let index = first.firstIndex(of: failed), index > 0 else {
                    throw horizonError(problem, job: failed, task: task)
                }
                first.remove(at: index)
                first.insert(failed, at: 0)
                built = decoder.decode(first)
                continue
            }
            let index = first.firstIndex(of: job)!
            if index + 1 < first.count {
                first.swapAt(index, index + 1)
                built = decoder.decode(first)
                continue
            }
            var moved = false
            for position in stride(from: index - 1, through: 0, by: -1) {
                var candidate = first
                candidate.remove(at: index)
                candidate.insert(job, at: position)
                let decoded = decoder.decode(candidate)
                if case .failure(.forbidden(let again, _)) = decoded, again == job { continue }
                (first, built, moved) = (candidate, decoded, true)
                break
            }
            guard moved else { break }
        }
        guard case .success(let initial) = built else {
            if case .failure(.forbidden(let job, let task)) = built {
                throw SchedulingError.beyondHorizon(
                    order: problem.jobs[job].order.id,
                    message:
                        "operation \(problem.tasks[task].operation.id) cannot follow the product on any of its work centres (forbidden transition)"
                )
            }
            throw SchedulingError.invalidPlant("no feasible schedule")
        }
        let firstSeconds = started.duration(to: clock.now).seconds
        let firstOrder = first
        // Incremental evaluation where it applies, with the temperature from a sample of moves taken once for all
        // the workers; plans that assign people decode every move in full.
        var incremental: (evaluator: PlantEvaluator, temperature: Double)?
        if PlantEvaluator.applies(to: problem) && first.count > 1,
            let evaluator = PlantEvaluator(problem: problem, weights: weights, previous: previous, sequence: first)
        {
            let sample = sampleMoves(evaluator, limits: limits, clock: clock, started: started)
            incremental = (
                evaluator,
                startingTemperature(rise: sample.rise, moves: sample.moves, jobs: first.count, cost: evaluator.cost)
            )
        }
        let prepared = incremental
        let results = runWorkers(limits.workers) { worker in
            let seed = limits.seed &+ UInt64(worker) &* 0x9E37_79B9
            guard let prepared else {
                return anneal(
                    problem, weights: weights, limits: limits, previous: previous, start: firstOrder,
                    initial: initial, seed: seed, clock: clock, started: started)
            }
            return annealIncrementally(
                problem, evaluator: prepared.evaluator, weights: weights, limits: limits, previous: previous,
                start: firstOrder, initial: initial, temperature: prepared.temperature, seed: seed, clock: clock,
                started: started)
        }
        var best = results.min { $0.cost < $1.cost }!
        best.secondsToFirst = firstSeconds
        return best
    }

    /// Earliest due date first; among equal due dates higher priority first, then by product to group them.
    static func constructionOrder(_ problem: PlantProblem) -> [Int] {
        problem.jobs.indices.sorted { a, b in
            let (x, y) = (problem.jobs[a], problem.jobs[b])
            return (x.due, -x.weight, problem.tasks[x.tasks[0]].product, a) < (
                y.due, -y.weight, problem.tasks[y.tasks[0]].product, b
            )
        }
    }

    static func horizonError(_ problem: PlantProblem, job: Int, task: Int) -> SchedulingError {
        let operation = problem.tasks[task].operation
        if let reason = problem.tasks[task].deadlineReason {
            return .beyondHorizon(
                order: problem.jobs[job].order.id,
                message:
                    "operation \(operation.id) cannot finish before its \(reason): "
                    + "\(problem.tasks[task].deadlineRemedy ?? "renew the stock") or plan the order first"
            )
        }
        let hours = Double(problem.horizon) / 3600
        return .beyondHorizon(
            order: problem.jobs[job].order.id,
            message: "operation \(operation.id) does not fit in the \(CriticalLimits.format(hours)) h horizon "
                + "on \(problem.tasks[task].options.map { problem.lanes[$0.lane].name }.joined(separator: ", ")) "
                + "(lengthen --horizon, add shifts, or split the order)")
    }

    public static func cost(_ schedule: PlantSchedule, _ weights: ScheduleWeights, previous: Previous?) -> Double {
        var value =
            weights.tardiness * Double(schedule.weightedTardiness) / 60 + weights.changeover
            * Double(schedule.changeoverSeconds) / 60 + weights.makespan * Double(schedule.makespan) / 60
        if let previous {
            var moved = 0
            for slot in schedule.slots where !slot.frozen {
                if let before = previous[slot.task], before.lane != slot.lane || before.start != slot.start {
                    moved += 1
                }
            }
            value += weights.stability * Double(moved)
        }
        return value
    }

    static func anneal(
        _ problem: PlantProblem, weights: ScheduleWeights, limits: SearchLimits, previous: Previous?, start: [Int],
        initial: PlantSchedule, seed: UInt64, clock: ContinuousClock, started: ContinuousClock.Instant
    ) -> Outcome {
        var random = SplitMix64(seed: seed)
        var decoder = PlantDecoder(problem: problem)
        var current = start
        var currentCost = cost(initial, weights, previous: previous)
        var best = Outcome(
            schedule: initial, sequence: start, cost: currentCost,
            secondsToBest: started.duration(to: clock.now).seconds,
            secondsToFirst: 0, iterations: 0)
        let n = current.count
        guard n > 1 else { return best }
        let limit = limits.timeLimit.seconds
        var temperature = max(1, currentCost * 0.01)
        var iterations = 0
        while true {
            if let cap = limits.iterations, iterations >= cap { break }
            if iterations & 15 == 0 {
                let elapsed = started.duration(to: clock.now).seconds
                if elapsed >= limit { break }
                temperature = max(0.01, currentCost * 0.01 * (1 - elapsed / limit))
            }
            iterations += 1
            var candidate = current
            let i = random.below(n)
            var j = random.below(n)
            if j == i { j = (i + 1) % n }
            if random.below(2) == 0 {
                candidate.swapAt(i, j)
            } else {
                let job = candidate.remove(at: i)
                candidate.insert(job, at: j)
            }
            guard case .success(let schedule) = decoder.decode(candidate) else { continue }
            let value = cost(schedule, weights, previous: previous)
            let delta = value - currentCost
            if delta <= 0 || Double(random.next() % 1_000_000) / 1_000_000 < exp(-delta / temperature) {
                current = candidate
                currentCost = value
                if value < best.cost - 1e-9 {
                    best = Outcome(
                        schedule: schedule, sequence: candidate, cost: value,
                        secondsToBest: started.duration(to: clock.now).seconds, secondsToFirst: 0,
                        iterations: iterations)
                    limits.progress?(Int(value.rounded()), best.secondsToBest)
                }
            }
        }
        best.iterations = iterations
        return best
    }

    /// Simulated annealing with incremental evaluation (`PlantEvaluator`) and moves aimed at the objective: a job
    /// moved a few places, two neighbours swapped, a late job moved earlier, a job moved next to an earlier one of
    /// the same product (to save a changeover), and now and then a move anywhere. The starting temperature comes
    /// from sampled moves and the budget (`startingTemperature`); the acceptance threshold is drawn before a move is
    /// evaluated, so the evaluator can stop early on a move that cannot be accepted. When the best has not improved
    /// for a quarter of the time limit, the search restarts from the best. The best order is decoded in full at the
    /// end.
    static func annealIncrementally(
        _ problem: PlantProblem, evaluator first: PlantEvaluator, weights: ScheduleWeights, limits: SearchLimits,
        previous: Previous?, start: [Int], initial: PlantSchedule, temperature initialTemperature: Double,
        seed: UInt64, clock: ContinuousClock, started: ContinuousClock.Instant
    ) -> Outcome {
        var random = SplitMix64(seed: seed)
        var evaluator = first
        var placements = 0
        var currentCost = evaluator.cost
        var bestCost = currentCost
        var bestSequence = start
        var bestSeconds = started.duration(to: clock.now).seconds
        var lastImprovement = bestSeconds
        let n = start.count
        let limit = limits.timeLimit.seconds
        let reach = min(n - 1, localReach)
        let firstProduct = problem.jobs.map { problem.tasks[$0.tasks[0]].product }
        var temperature = initialTemperature
        var iterations = 0
        var candidate = start
        while true {
            if let cap = limits.iterations, iterations >= cap { break }
            if iterations & 15 == 0 {
                let elapsed = started.duration(to: clock.now).seconds
                if elapsed >= limit { break }
                temperature = max(0.01, initialTemperature * (1 - elapsed / limit))
                if elapsed - lastImprovement > limit / 4 && currentCost > bestCost + 1e-9 {
                    // Restart from the best: the walk has drifted without finding better for a while.
                    if let restarted = PlantEvaluator(
                        problem: problem, weights: weights, previous: previous, sequence: bestSequence)
                    {
                        placements += evaluator.placements
                        evaluator = restarted
                        currentCost = evaluator.cost
                    }
                    lastImprovement = elapsed
                }
            }
            iterations += 1
            let current = evaluator.sequence
            var from = random.below(n)
            var to: Int
            switch random.below(20) {
            case 0..<8:  // a job moved a few places
                to = nearby(from, jobs: n, reach: reach, random: &random)
            case 8..<12:  // two neighbours swapped
                from = min(from, n - 2)
                to = from + 1
            case 12..<15:  // a late job earlier
                var found = false
                for _ in 0..<8 {
                    let position = random.below(n)
                    if evaluator.isLate(at: position) && position > 0 {
                        from = position
                        found = true
                        break
                    }
                }
                to = found ? max(0, from - 1 - random.below(min(from, reach))) : random.below(n)
            case 15..<18:  // next to an earlier job of the same product
                let product = firstProduct[current[from]]
                var position = from - 1
                while position >= max(0, from - 4 * reach) && firstProduct[current[position]] != product {
                    position -= 1
                }
                to = position >= 0 && firstProduct[current[position]] == product ? position + 1 : random.below(n)
            default:  // anywhere
                to = random.below(n)
            }
            if to == from { to = from == n - 1 ? from - 1 : from + 1 }
            candidate = current
            if random.below(4) == 0 {
                candidate.swapAt(from, to)
            } else {
                let job = candidate.remove(at: from)
                candidate.insert(job, at: to)
            }
            // Metropolis: accept when the cost rises by at most -T ln u, u drawn before the move is evaluated so
            // the evaluator can give up once the candidate cannot stay within it.
            let allowance = -temperature * log(Double(random.next() % 1_000_000 + 1) / 1_000_001)
            guard
                let value = evaluator.evaluate(
                    candidate, from: min(from, to), to: max(from, to), bound: currentCost + allowance)
            else { continue }
            if value - currentCost <= allowance {
                evaluator.accept()
                currentCost = value
                if value < bestCost - 1e-9 {
                    bestCost = value
                    bestSequence = evaluator.sequence
                    bestSeconds = started.duration(to: clock.now).seconds
                    lastImprovement = bestSeconds
                    limits.progress?(Int(value.rounded()), bestSeconds)
                }
            }
        }
        var decoder = PlantDecoder(problem: problem)
        guard case .success(let schedule) = decoder.decode(bestSequence) else {
            // Cannot happen: every accepted order was decodable; keep the construction rather than fail.
            return Outcome(
                schedule: initial, sequence: start, cost: cost(initial, weights, previous: previous),
                secondsToBest: bestSeconds, secondsToFirst: 0, iterations: iterations)
        }
        return Outcome(
            schedule: schedule, sequence: bestSequence, cost: cost(schedule, weights, previous: previous),
            secondsToBest: bestSeconds, secondsToFirst: 0, iterations: iterations,
            placements: placements + evaluator.placements)
    }

    /// How many places at most the annealer's local moves shift a job.
    static let localReach = 48

    /// A position up to `reach` places before or after `from`, within the `jobs` positions of the order (it may be
    /// `from` itself at either end).
    static func nearby(_ from: Int, jobs: Int, reach: Int, random: inout SplitMix64) -> Int {
        let step = 1 + random.below(reach)
        return random.below(2) == 0 ? max(0, from - step) : min(jobs - 1, from + step)
    }

    /// A sample of moves from the first order (a job moved a few places): the median rise of those that worsen it
    /// (nil when none does), and how many moves the budget allows one worker — the time left over the time the
    /// sample's moves took, or the cap on iterations when that is lower.
    static func sampleMoves(
        _ evaluator: PlantEvaluator, limits: SearchLimits, clock: ContinuousClock, started: ContinuousClock.Instant
    ) -> (rise: Double?, moves: Double) {
        var probe = SplitMix64(seed: limits.seed ^ 0x5DEE_CE66)
        var sample = evaluator
        let order = evaluator.sequence
        let n = order.count
        let reach = min(n - 1, localReach)
        let cost = evaluator.cost
        let limit = limits.timeLimit.seconds
        let sampling = clock.now
        var rises: [Double] = []
        var probes = 0
        // At most 128 moves, 32 rises, or a fiftieth of the time limit. With a cap on the iterations the sample does
        // not depend on the clock, so a run with one worker that stops at its cap repeats exactly.
        while probes < 128 && rises.count < 32
            && (limits.iterations != nil || sampling.duration(to: clock.now).seconds < limit / 50)
        {
            probes += 1
            let from = probe.below(n)
            let to = nearby(from, jobs: n, reach: reach, random: &probe)
            guard to != from else { continue }
            var moved = order
            moved.insert(moved.remove(at: from), at: to)
            if let value = sample.evaluate(moved, from: min(from, to), to: max(from, to)), value > cost + 1e-9 {
                rises.append(value - cost)
            }
        }
        rises.sort()
        let perMove = sampling.duration(to: clock.now).seconds / Double(max(probes, 1))
        var moves = max(0, limit - started.duration(to: clock.now).seconds) / max(perMove, 1e-9)
        if let cap = limits.iterations { moves = min(moves, Double(cap)) }
        return (rises.isEmpty ? nil : rises[rises.count / 2], moves)
    }

    /// The annealer's starting temperature, from the moves themselves rather than from the size of the cost: the
    /// median `rise` of a worsening move, so such a move is accepted at first with probability 1/e. When the
    /// search has fewer than 300 `moves` per job — thousands of jobs in seconds — there is no time to wander and
    /// come back, so it starts colder in proportion (at a tenth of that, a tenth of the temperature), down to plain
    /// descent. Without a sampled rise, 1 % of the cost.
    static func startingTemperature(rise: Double?, moves: Double, jobs: Int, cost: Double) -> Double {
        guard let rise else { return max(1, cost * 0.01) }
        return rise * min(1, moves / Double(max(jobs, 1)) / 300)
    }
}
