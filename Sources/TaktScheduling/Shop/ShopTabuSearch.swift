import Foundation

/// Tabu search for the job shop and the flexible job shop over the critical path.
///
/// The neighbourhood is N7 (Zhang et al. 2007): in each critical block, move an operation to the front or the
/// back of the block, or move the first or last operation into the block. Moves are judged by the estimate of
/// Balas & Vazacopoulos (1998) — the new heads and tails of the moved segment only — and kept acyclic by their
/// conditions. For the flexible job shop a critical operation may also move to another of its machines, at the
/// best place there (as Mastrolilli & Gambardella 2000). A tabu list of reversed pairs keeps the search from
/// undoing its moves; when it stops improving it restarts from the best solution with a random kick.
public enum ShopTabuSearch {
    /// Solves `instance` within `limits`, running one independent search per worker and keeping the best.
    public static func solve(_ instance: ShopInstance, limits: SearchLimits) -> SearchResult<ShopSolution> {
        bestOfWorkers(limits) { seed, clock, started, shared in
            var search = ShopSearch(instance: instance, seed: seed)
            return search.run(limits: limits, clock: clock, started: started, shared: shared)
        }
    }
}

/// The best value any worker has found, for progress reports.
final class SharedBest: @unchecked Sendable {
    private var value = Int.max
    private let lock = NSLock()

    /// Records `candidate`; returns true when it is a new overall best.
    func offer(_ candidate: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard candidate < value else { return false }
        value = candidate
        return true
    }
}

/// One worker's search state: the disjunctive graph as machine sequences, heads and tails.
struct ShopSearch {
    let instance: ShopInstance
    let n: Int
    let machines: Int
    var random: SplitMix64
    var alternative: [Int]
    var machine: [Int]
    var duration: [Int]
    var sequence: [[Int]]
    var position: [Int]
    let jobPredecessor: [Int]
    let jobSuccessor: [Int]
    var head: [Int]
    var tail: [Int]
    var order: [Int]
    var indegree: [Int]
    var makespan = 0
    var tabuPair: [Int32]
    var tabuAssign: [Int32]
    var clock: Int32 = 1
    var scratchHead: [Int]
    let flexible: Bool

    init(instance: ShopInstance, seed: UInt64) {
        self.instance = instance
        n = instance.operationCount
        machines = instance.machineCount
        random = SplitMix64(seed: seed)
        alternative = Array(repeating: 0, count: n)
        machine = Array(repeating: 0, count: n)
        duration = Array(repeating: 0, count: n)
        sequence = Array(repeating: [], count: machines)
        position = Array(repeating: 0, count: n)
        var predecessor = Array(repeating: -1, count: n)
        var successor = Array(repeating: -1, count: n)
        for job in 0..<instance.jobCount {
            for o in instance.jobStart[job]..<instance.jobStart[job + 1] {
                if o > instance.jobStart[job] { predecessor[o] = o - 1 }
                if o + 1 < instance.jobStart[job + 1] { successor[o] = o + 1 }
            }
        }
        jobPredecessor = predecessor
        jobSuccessor = successor
        head = Array(repeating: 0, count: n)
        tail = Array(repeating: 0, count: n)
        order = Array(repeating: 0, count: n)
        indegree = Array(repeating: 0, count: n)
        tabuPair = Array(repeating: 0, count: n * n)
        tabuAssign = Array(repeating: 0, count: n * machines)
        scratchHead = Array(repeating: 0, count: n + 1)
        flexible = (0..<n).contains { instance.alternatives(of: $0).count > 1 }
        construct()
    }

    // MARK: construction

    /// Earliest-completion list scheduling: repeatedly schedule, among each job's next operation, the one that can
    /// finish first on its best machine (ties: most work remaining), appending it to that machine's sequence.
    mutating func construct() {
        var next = Array(instance.jobStart.dropLast())
        var jobReady = Array(repeating: 0, count: instance.jobCount)
        var machineReady = Array(repeating: 0, count: machines)
        var remaining = (0..<instance.jobCount).map { job in
            (instance.jobStart[job]..<instance.jobStart[job + 1]).map { o in
                instance.alternatives(of: o).map { instance.altDuration[$0] }.min() ?? 0
            }.reduce(0, +)
        }
        for _ in 0..<n {
            var bestJob = -1
            var bestAlt = -1
            var bestEnd = Int.max
            for job in 0..<instance.jobCount where next[job] < instance.jobStart[job + 1] {
                let o = next[job]
                for choice in instance.alternatives(of: o) {
                    let end =
                        max(jobReady[job], machineReady[instance.altMachine[choice]]) + instance.altDuration[choice]
                    if end < bestEnd || (end == bestEnd && bestJob >= 0 && remaining[job] > remaining[bestJob]) {
                        (bestJob, bestAlt, bestEnd) = (job, choice, end)
                    }
                }
            }
            let o = next[bestJob]
            let m = instance.altMachine[bestAlt]
            alternative[o] = bestAlt
            machine[o] = m
            duration[o] = instance.altDuration[bestAlt]
            position[o] = sequence[m].count
            sequence[m].append(o)
            jobReady[bestJob] = bestEnd
            machineReady[m] = bestEnd
            remaining[bestJob] -= instance.alternatives(of: o).map { instance.altDuration[$0] }.min() ?? 0
            next[bestJob] += 1
        }
        _ = evaluate()
    }

    // MARK: heads and tails

    /// Recomputes heads, tails and the makespan; false when the machine sequences make a cycle.
    mutating func evaluate() -> Bool {
        guard computeHeads() else { return false }
        for index in stride(from: n - 1, through: 0, by: -1) {
            let o = order[index]
            var after = 0
            let js = jobSuccessor[o]
            if js >= 0 { after = tail[js] + duration[js] }
            let m = machine[o]
            let p = position[o]
            if p + 1 < sequence[m].count {
                let ms = sequence[m][p + 1]
                after = max(after, tail[ms] + duration[ms])
            }
            tail[o] = after
        }
        return true
    }

    /// Recomputes the heads (earliest starts), their topological `order` and the makespan, without the tails (what a
    /// search scoring the jobs' ends needs); false when the machine sequences make a cycle.
    mutating func computeHeads() -> Bool {
        var pushed = 0
        for o in 0..<n {
            indegree[o] = (jobPredecessor[o] >= 0 ? 1 : 0) + (position[o] > 0 ? 1 : 0)
            if indegree[o] == 0 {
                order[pushed] = o
                pushed += 1
            }
        }
        var index = 0
        var longest = 0
        while index < pushed {
            let o = order[index]
            index += 1
            var start = 0
            let jp = jobPredecessor[o]
            if jp >= 0 { start = head[jp] + duration[jp] }
            let p = position[o]
            let m = machine[o]
            if p > 0 {
                let mp = sequence[m][p - 1]
                start = max(start, head[mp] + duration[mp])
            }
            head[o] = start
            longest = max(longest, start + duration[o])
            let js = jobSuccessor[o]
            if js >= 0 {
                indegree[js] -= 1
                if indegree[js] == 0 {
                    order[pushed] = js
                    pushed += 1
                }
            }
            if p + 1 < sequence[m].count {
                let ms = sequence[m][p + 1]
                indegree[ms] -= 1
                if indegree[ms] == 0 {
                    order[pushed] = ms
                    pushed += 1
                }
            }
        }
        guard pushed == n else { return false }
        makespan = longest
        return true
    }

    // MARK: the critical path

    /// One critical path, start to end, choosing at random between equally critical predecessors.
    mutating func criticalPath() -> [Int] {
        var ends: [Int] = []
        for o in 0..<n where head[o] + duration[o] == makespan && tail[o] == 0 { ends.append(o) }
        var current = ends[random.below(ends.count)]
        var path = [current]
        while true {
            let p = position[current]
            let mp = p > 0 ? sequence[machine[current]][p - 1] : -1
            let jp = jobPredecessor[current]
            let machineCritical = mp >= 0 && head[mp] + duration[mp] == head[current]
            let jobCritical = jp >= 0 && head[jp] + duration[jp] == head[current]
            if machineCritical && (!jobCritical || random.below(4) != 0) {
                current = mp
            } else if jobCritical {
                current = jp
            } else {
                break
            }
            path.append(current)
        }
        return path.reversed()
    }

    // MARK: moves

    /// A candidate move: within machine `m`, the operation at `from` goes to `to`; or, when `target >= 0`,
    /// operation `op` moves to alternative `target` at position `to` of that alternative's machine.
    struct Move {
        var m: Int
        var from: Int
        var to: Int
        var op: Int
        var target: Int
        var estimate: Int
    }

    /// The longest path through the segment a sequence move rearranges, with its new heads and tails.
    mutating func estimate(m: Int, from: Int, to: Int) -> Int {
        let line = sequence[m]
        let low = min(from, to)
        let high = max(from, to)
        let count = high - low + 1
        let forward = to > from
        @inline(__always) func at(_ k: Int) -> Int {
            if forward { return k < count - 1 ? line[low + 1 + k] : line[low] }
            return k == 0 ? line[high] : line[low + k - 1]
        }
        var previousEnd = 0
        if low > 0 {
            let a = line[low - 1]
            previousEnd = head[a] + duration[a]
        }
        for k in 0..<count {
            let o = at(k)
            let jp = jobPredecessor[o]
            let start = max(previousEnd, jp >= 0 ? head[jp] + duration[jp] : 0)
            scratchHead[k] = start
            previousEnd = start + duration[o]
        }
        var nextTail = 0
        if high + 1 < line.count {
            let b = line[high + 1]
            nextTail = tail[b] + duration[b]
        }
        var longest = 0
        for k in stride(from: count - 1, through: 0, by: -1) {
            let o = at(k)
            let js = jobSuccessor[o]
            let after = max(nextTail, js >= 0 ? tail[js] + duration[js] : 0)
            longest = max(longest, scratchHead[k] + duration[o] + after)
            nextTail = after + duration[o]
        }
        return longest
    }

    /// Whether a sequence move is guaranteed not to make a cycle (Balas & Vazacopoulos).
    func acyclic(m: Int, from: Int, to: Int) -> Bool {
        let line = sequence[m]
        if to > from {
            let u = line[from]
            let v = line[to]
            let js = jobSuccessor[u]
            return js < 0 || tail[v] + duration[v] >= tail[js] + duration[js]
        }
        let v = line[from]
        let u = line[to]
        let jp = jobPredecessor[v]
        return jp < 0 || head[u] + duration[u] >= head[jp] + duration[jp]
    }

    /// Whether a sequence move would restore an order the tabu list forbids.
    func isTabu(m: Int, from: Int, to: Int) -> Bool {
        let line = sequence[m]
        if to > from {
            let u = line[from]
            for k in (from + 1)...to where tabuPair[line[k] * n + u] > clock { return true }
        } else {
            let v = line[from]
            for k in to..<from where tabuPair[v * n + line[k]] > clock { return true }
        }
        return false
    }

    /// Every N7 move of every critical block, and for flexible shops every reassignment of a critical operation.
    mutating func neighbours(of path: [Int]) -> [Move] {
        var moves: [Move] = []
        var index = 0
        while index < path.count {
            var end = index
            let m = machine[path[index]]
            while end + 1 < path.count && machine[path[end + 1]] == m
                && position[path[end + 1]] == position[path[end]] + 1
            {
                end += 1
            }
            if end > index {
                let a = position[path[index]]
                let b = position[path[end]]
                func add(_ from: Int, _ to: Int, _ search: inout ShopSearch, _ moves: inout [Move]) {
                    guard search.acyclic(m: m, from: from, to: to) else { return }
                    moves.append(
                        Move(
                            m: m, from: from, to: to, op: -1, target: -1,
                            estimate: search.estimate(m: m, from: from, to: to)))
                }
                for p in (a + 1)...b { add(p, a, &self, &moves) }
                for p in a..<b { add(p, b, &self, &moves) }
                if b - a >= 2 {
                    for p in (a + 1)..<b {
                        add(a, p, &self, &moves)
                        add(b, p, &self, &moves)
                    }
                }
            }
            index = end + 1
        }
        if flexible {
            for o in path where instance.alternatives(of: o).count > 1 { reassignments(of: o, into: &moves) }
        }
        return moves
    }

    /// The best place for `o` on each of its other machines.
    mutating func reassignments(of o: Int, into moves: inout [Move]) {
        let jp = jobPredecessor[o]
        let js = jobSuccessor[o]
        let ready = jp >= 0 ? head[jp] + duration[jp] : 0
        let after = js >= 0 ? tail[js] + duration[js] : 0
        for choice in instance.alternatives(of: o) where choice != alternative[o] {
            let m = instance.altMachine[choice]
            let d = instance.altDuration[choice]
            let line = sequence[m]
            var best = Int.max
            var bestPosition = -1
            for p in 0...line.count {
                let a = p > 0 ? line[p - 1] : -1
                let b = p < line.count ? line[p] : -1
                if a >= 0 && js >= 0 && head[a] >= head[js] { break }
                if b >= 0 && jp >= 0 && head[b] + duration[b] <= head[jp] + duration[jp] { continue }
                let start = max(ready, a >= 0 ? head[a] + duration[a] : 0)
                let value = start + d + max(after, b >= 0 ? tail[b] + duration[b] : 0)
                if value < best {
                    best = value
                    bestPosition = p
                }
            }
            if bestPosition >= 0 {
                moves.append(Move(m: m, from: -1, to: bestPosition, op: o, target: choice, estimate: best))
            }
        }
    }

    // MARK: applying moves

    mutating func shift(m: Int, from: Int, to: Int) {
        let o = sequence[m].remove(at: from)
        sequence[m].insert(o, at: to)
        for p in min(from, to)...max(from, to) { position[sequence[m][p]] = p }
    }

    /// Moves `o` to alternative `choice` at `at` in its machine; returns where it was, to undo.
    mutating func reassign(_ o: Int, to choice: Int, at: Int) -> (choice: Int, at: Int) {
        let old = (alternative[o], position[o])
        let oldMachine = machine[o]
        sequence[oldMachine].remove(at: position[o])
        for p in position[o]..<sequence[oldMachine].count { position[sequence[oldMachine][p]] = p }
        let m = instance.altMachine[choice]
        sequence[m].insert(o, at: at)
        for p in at..<sequence[m].count { position[sequence[m][p]] = p }
        alternative[o] = choice
        machine[o] = m
        duration[o] = instance.altDuration[choice]
        return old
    }

    /// Applies `move`, keeps the graph acyclic (undoing the move if not), and records what it made tabu.
    mutating func apply(_ move: Move, tenure: Int32) -> Bool {
        if move.target >= 0 {
            let oldMachine = machine[move.op]
            let old = reassign(move.op, to: move.target, at: move.to)
            guard evaluate() else {
                _ = reassign(move.op, to: old.choice, at: old.at)
                _ = evaluate()
                return false
            }
            tabuAssign[move.op * machines + oldMachine] = clock + tenure
            return true
        }
        let line = sequence[move.m]
        if move.to > move.from {
            let u = line[move.from]
            for k in (move.from + 1)...move.to { tabuPair[u * n + line[k]] = clock + tenure }
        } else {
            let v = line[move.from]
            for k in move.to..<move.from { tabuPair[line[k] * n + v] = clock + tenure }
        }
        shift(m: move.m, from: move.from, to: move.to)
        guard evaluate() else {
            shift(m: move.m, from: move.to, to: move.from)
            _ = evaluate()
            return false
        }
        return true
    }

    // MARK: the search

    mutating func run(
        limits: SearchLimits, clock timer: ContinuousClock, started: ContinuousClock.Instant, shared: SharedBest
    ) -> SearchResult<ShopSolution> {
        var best = snapshot()
        var bestValue = makespan
        var secondsToBest = started.duration(to: timer.now).seconds
        var stagnation = 0
        let bound = instance.jobBound
        let base = 10 + instance.jobCount / max(machines, 1)
        let stagnationLimit = max(2_000, 12 * n)
        var iterations = 0
        if shared.offer(bestValue) { limits.progress?(bestValue, secondsToBest) }
        while bestValue > bound {
            if let cap = limits.iterations, iterations >= cap { break }
            if iterations & 63 == 0, started.duration(to: timer.now) >= limits.timeLimit { break }
            iterations += 1
            clock += 1
            let tenure = Int32(base + random.below(max(base / 2, 1) + 1))
            let path = criticalPath()
            let moves = neighbours(of: path)
            var chosen: Move?
            var chosenValue = Int.max
            var ties = 0
            for move in moves {
                let tabu =
                    move.target >= 0
                    ? tabuAssign[move.op * machines + instance.altMachine[move.target]] > clock
                    : isTabu(m: move.m, from: move.from, to: move.to)
                if tabu && move.estimate >= bestValue { continue }
                if move.estimate < chosenValue {
                    chosen = move
                    chosenValue = move.estimate
                    ties = 1
                } else if move.estimate == chosenValue {
                    ties += 1
                    if random.below(ties) == 0 { chosen = move }
                }
            }
            if chosen == nil, !moves.isEmpty { chosen = moves[random.below(moves.count)] }
            guard let move = chosen else { break }
            _ = apply(move, tenure: tenure)
            if makespan < bestValue {
                bestValue = makespan
                best = snapshot()
                stagnation = 0
                secondsToBest = started.duration(to: timer.now).seconds
                if shared.offer(bestValue) { limits.progress?(bestValue, secondsToBest) }
            } else {
                stagnation += 1
                if stagnation > stagnationLimit {
                    restore(best)
                    kick()
                    stagnation = 0
                    clock += 10_000
                }
            }
        }
        restore(best)
        let solution = ShopSolution(alternative: alternative, start: head, makespan: makespan)
        return SearchResult(solution: solution, value: makespan, secondsToBest: secondsToBest, iterations: iterations)
    }

    /// A few random moves from the critical path, ignoring the tabu list, to leave a local optimum.
    mutating func kick() {
        for _ in 0..<(2 + random.below(4)) {
            let moves = neighbours(of: criticalPath())
            guard !moves.isEmpty else { return }
            _ = apply(moves[random.below(moves.count)], tenure: 0)
        }
    }

    func snapshot() -> (alternative: [Int], sequence: [[Int]]) { (alternative, sequence) }

    mutating func restore(_ saved: (alternative: [Int], sequence: [[Int]])) {
        alternative = saved.alternative
        sequence = saved.sequence
        for o in 0..<n {
            machine[o] = instance.altMachine[alternative[o]]
            duration[o] = instance.altDuration[alternative[o]]
        }
        for line in sequence { for (p, o) in line.enumerated() { position[o] = p } }
        _ = evaluate()
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
