import Foundation

/// Minimises the total weighted tardiness of a job shop (`TardinessInstance`).
///
/// Each worker starts from an active schedule: operations dealt round by round, the jobs in each round by due date
/// over weight, each put into the earliest idle time on its machine after its job's previous operation (`TardinessStart`).
/// It then runs `TardinessTabu`: tabu search over the machine sequences with the swaps of tight arcs on the critical
/// paths to the late jobs' ends, and large random steps when the best stops improving. Ties in weighted tardiness
/// are broken by the weighted sum of completion times, which keeps the walk moving on plateaus. A worker stops at
/// zero weighted tardiness, which nothing can improve on.
public enum TardinessSearch {
    /// The best schedule (each operation's start) found within `limits`, with its weighted tardiness as the value.
    public static func solve(_ instance: TardinessInstance, limits: SearchLimits) -> SearchResult<[Int]> {
        bestOfWorkers(limits) { seed, clock, started, shared in
            var start = TardinessStart(instance: instance)
            _ = start.decode(start.initialSequence())
            var tabu = TardinessTabu(instance: instance, starts: start.starts, seed: seed)
            let found = tabu.run(limits: limits, clock: clock, started: started, shared: shared)
            return SearchResult(
                solution: found.starts, value: found.value, secondsToBest: found.secondsToBest,
                iterations: found.iterations)
        }
    }
}

/// An operation sequence (each job once per operation; its k-th appearance is its k-th operation) decoded into an
/// active schedule: each operation, in sequence order, goes into the earliest idle time on its machine after its
/// job's previous operation — into a gap between operations already placed when it fits there.
struct TardinessStart {
    let instance: TardinessInstance
    let operations: Int
    let jobs: Int
    let machineOf: [Int]
    let durationOf: [Int]
    let jobStart: [Int]
    /// Per machine, the capacity of its slot arrays (the number of operations it runs).
    let stride: Int
    // Decoder scratch: each machine's placed operations as sorted (start, end), flat with `stride` per machine.
    var slotStart: [Int]
    var slotEnd: [Int]
    var slotCount: [Int]
    var nextOperation: [Int]
    var ready: [Int]
    var starts: [Int]

    init(instance: TardinessInstance) {
        self.instance = instance
        let shop = instance.shop
        operations = shop.operationCount
        jobs = shop.jobCount
        machineOf = (0..<operations).map { shop.altMachine[shop.altStart[$0]] }
        durationOf = (0..<operations).map { shop.altDuration[shop.altStart[$0]] }
        jobStart = shop.jobStart
        var perMachine = Array(repeating: 0, count: max(shop.machineCount, 1))
        for machine in machineOf { perMachine[machine] += 1 }
        stride = max(perMachine.max() ?? 1, 1)
        slotStart = Array(repeating: 0, count: stride * max(shop.machineCount, 1))
        slotEnd = slotStart
        slotCount = Array(repeating: 0, count: max(shop.machineCount, 1))
        nextOperation = Array(repeating: 0, count: jobs)
        ready = Array(repeating: 0, count: jobs)
        starts = Array(repeating: 0, count: operations)
    }

    /// Decodes `sequence` into `starts`; returns the weighted tardiness and the weighted sum of completions.
    mutating func decode(_ sequence: [Int]) -> (tardiness: Int, completions: Int) {
        for machine in slotCount.indices { slotCount[machine] = 0 }
        for job in 0..<jobs {
            nextOperation[job] = jobStart[job]
            ready[job] = 0
        }
        var tardiness = 0
        var completions = 0
        let stride = self.stride
        slotStart.withUnsafeMutableBufferPointer { starts in
            slotEnd.withUnsafeMutableBufferPointer { ends in
                for job in sequence {
                    let operation = nextOperation[job]
                    nextOperation[job] += 1
                    let machine = machineOf[operation]
                    let duration = durationOf[operation]
                    let base = machine * stride
                    let count = slotCount[machine]
                    var at = count
                    var start = ready[job]
                    var previousEnd = 0
                    for k in 0..<count {
                        let candidate = max(start, previousEnd)
                        if candidate + duration <= starts[base + k] {
                            at = k
                            start = candidate
                            break
                        }
                        previousEnd = ends[base + k]
                    }
                    if at == count { start = max(start, previousEnd) }
                    var k = count
                    while k > at {
                        starts[base + k] = starts[base + k - 1]
                        ends[base + k] = ends[base + k - 1]
                        k -= 1
                    }
                    starts[base + at] = start
                    ends[base + at] = start + duration
                    slotCount[machine] = count + 1
                    self.starts[operation] = start
                    ready[job] = start + duration
                    if operation == jobStart[job + 1] - 1 {
                        let weight = instance.weight[job]
                        tardiness += weight * max(0, start + duration - instance.due[job])
                        completions += weight * (start + duration)
                    }
                }
            }
        }
        return (tardiness, completions)
    }

    /// A first sequence: operations dealt round by round, the jobs in each round by due date over weight.
    func initialSequence() -> [Int] {
        let byUrgency = (0..<jobs).sorted {
            (Double(instance.due[$0]) / Double(max(instance.weight[$0], 1)), $0)
                < (Double(instance.due[$1]) / Double(max(instance.weight[$1], 1)), $1)
        }
        let rounds = (0..<jobs).map { jobStart[$0 + 1] - jobStart[$0] }.max() ?? 0
        var sequence: [Int] = []
        sequence.reserveCapacity(operations)
        for round in 0..<rounds {
            for job in byUrgency where jobStart[job] + round < jobStart[job + 1] { sequence.append(job) }
        }
        return sequence
    }
}

/// Tabu search on the machine sequences for the weighted tardiness, after Kreipl ("A large step random walk for
/// minimizing total weighted tardiness in a job shop", Journal of Scheduling 3, 2000): the neighbours are the swaps
/// of two operations next to each other on a machine on a critical path to a late job's end (such an arc is tight,
/// the second starting as the first ends, and swapping a tight arc never makes a cycle); every neighbour is costed
/// by recomputing the heads. The best neighbour that is not tabu (or beats the best) is taken; swapping a pair back
/// is tabu for a while. When the best has not improved for a while, the walk restarts from the best with a few
/// random swaps of tight arcs (the large step).
struct TardinessTabu {
    let instance: TardinessInstance
    let n: Int
    let jobs: Int
    let machineOf: [Int]
    let durationOf: [Int]
    let jobOf: [Int]
    let lastOf: [Int]
    let tieScale: Double
    var random: SplitMix64
    /// Each machine's operations in processing order, and each operation's place there.
    var sequence: [[Int]]
    var position: [Int]
    var head: [Int]
    var order: [Int]
    var indegree: [Int]
    var tabuUntil: [Int32]

    init(instance: TardinessInstance, starts: [Int], seed: UInt64) {
        self.instance = instance
        let shop = instance.shop
        n = shop.operationCount
        jobs = shop.jobCount
        machineOf = (0..<n).map { shop.altMachine[shop.altStart[$0]] }
        durationOf = (0..<n).map { shop.altDuration[shop.altStart[$0]] }
        jobOf = shop.jobOf
        lastOf = (0..<jobs).map { shop.jobStart[$0 + 1] - 1 }
        let work = durationOf.reduce(0, +)
        tieScale = Double(instance.weight.reduce(0, +)) * Double(work + (instance.due.max() ?? 0)) * 2 + 1
        random = SplitMix64(seed: seed &+ 0x5151)
        var sequence = Array(repeating: [Int](), count: max(shop.machineCount, 1))
        for o in (0..<n).sorted(by: { (starts[$0], $0) < (starts[$1], $1) }) { sequence[machineOf[o]].append(o) }
        self.sequence = sequence
        position = Array(repeating: 0, count: n)
        head = Array(repeating: 0, count: n)
        order = Array(repeating: 0, count: n)
        indegree = Array(repeating: 0, count: n)
        tabuUntil = Array(repeating: 0, count: n * n)
        for machine in sequence.indices {
            for (index, o) in sequence[machine].enumerated() { position[o] = index }
        }
    }

    @inline(__always) func jobPredecessor(_ o: Int) -> Int { o > 0 && jobOf[o - 1] == jobOf[o] ? o - 1 : -1 }
    @inline(__always) func jobSuccessor(_ o: Int) -> Int { o + 1 < n && jobOf[o + 1] == jobOf[o] ? o + 1 : -1 }
    @inline(__always) func machinePredecessor(_ o: Int) -> Int {
        position[o] > 0 ? sequence[machineOf[o]][position[o] - 1] : -1
    }
    @inline(__always) func machineSuccessor(_ o: Int) -> Int {
        let row = sequence[machineOf[o]]
        return position[o] + 1 < row.count ? row[position[o] + 1] : -1
    }

    /// Recomputes every operation's earliest start; returns the weighted tardiness and weighted completions.
    mutating func evaluate() -> (tardiness: Int, completions: Int) {
        var count = 0
        for o in 0..<n {
            indegree[o] = (jobPredecessor(o) >= 0 ? 1 : 0) + (machinePredecessor(o) >= 0 ? 1 : 0)
            head[o] = 0
            if indegree[o] == 0 {
                order[count] = o
                count += 1
            }
        }
        var index = 0
        while index < count {
            let o = order[index]
            index += 1
            let end = head[o] + durationOf[o]
            let jobNext = jobSuccessor(o)
            if jobNext >= 0 {
                if head[jobNext] < end { head[jobNext] = end }
                indegree[jobNext] -= 1
                if indegree[jobNext] == 0 {
                    order[count] = jobNext
                    count += 1
                }
            }
            let machineNext = machineSuccessor(o)
            if machineNext >= 0 {
                if head[machineNext] < end { head[machineNext] = end }
                indegree[machineNext] -= 1
                if indegree[machineNext] == 0 {
                    order[count] = machineNext
                    count += 1
                }
            }
        }
        var tardiness = 0
        var completions = 0
        for job in 0..<jobs {
            let end = head[lastOf[job]] + durationOf[lastOf[job]]
            tardiness += instance.weight[job] * max(0, end - instance.due[job])
            completions += instance.weight[job] * end
        }
        return (tardiness, completions)
    }

    func cost(_ value: (tardiness: Int, completions: Int)) -> Double {
        Double(value.tardiness) + Double(value.completions) / tieScale
    }

    /// The tight machine arcs (u directly before v, v starting as u ends) on the critical paths to the late jobs'
    /// ends, each once.
    mutating func criticalArcs() -> [(Int, Int)] {
        var arcs: [(Int, Int)] = []
        var seen = Set<Int>()
        for job in 0..<jobs {
            var o = lastOf[job]
            guard head[o] + durationOf[o] > instance.due[job] else { continue }
            while true {
                let before = machinePredecessor(o)
                let jobBefore = jobPredecessor(o)
                if before >= 0, head[before] + durationOf[before] == head[o] {
                    if seen.insert(before * n + o).inserted { arcs.append((before, o)) }
                    if jobBefore >= 0, head[jobBefore] + durationOf[jobBefore] == head[o], random.below(2) == 0 {
                        o = jobBefore
                    } else {
                        o = before
                    }
                } else if jobBefore >= 0, head[jobBefore] + durationOf[jobBefore] == head[o] {
                    o = jobBefore
                } else {
                    break
                }
            }
        }
        return arcs
    }

    /// Swaps `u` and `v`, next to each other on their machine.
    mutating func swap(_ u: Int, _ v: Int) {
        let machine = machineOf[u]
        let (a, b) = (position[u], position[v])
        sequence[machine][a] = v
        sequence[machine][b] = u
        position[u] = b
        position[v] = a
    }

    /// Every operation's start in the current sequences (after `evaluate`).
    var starts: [Int] { head }

    mutating func run(
        limits: SearchLimits, clock timer: ContinuousClock, started: ContinuousClock.Instant, shared: SharedBest
    ) -> (starts: [Int], value: Int, secondsToBest: Double, iterations: Int) {
        var value = evaluate()
        var best = (sequence: sequence, position: position, value: value.tardiness, cost: cost(value))
        var bestStarts = head
        var secondsToBest = started.duration(to: timer.now).seconds
        var iterations = 0
        var step: Int32 = 1
        var stagnation = 0
        var kicks = 0
        let stagnationLimit = 200 + 10 * n
        while best.value > 0 {
            if let cap = limits.iterations, iterations >= cap { break }
            if iterations & 15 == 0, started.duration(to: timer.now) >= limits.timeLimit { break }
            iterations += 1
            step += 1
            let arcs = criticalArcs()
            guard !arcs.isEmpty else { break }
            var chosen = -1
            var chosenCost = Double.infinity
            var ties = 0
            for (index, arc) in arcs.enumerated() {
                swap(arc.0, arc.1)
                let candidate = cost(evaluate())
                swap(arc.1, arc.0)
                let tabu = tabuUntil[arc.0 * n + arc.1] > step
                if tabu && candidate >= best.cost { continue }
                if candidate < chosenCost {
                    chosen = index
                    chosenCost = candidate
                    ties = 1
                } else if candidate == chosenCost {
                    ties += 1
                    if random.below(ties) == 0 { chosen = index }
                }
            }
            if chosen < 0 { chosen = random.below(arcs.count) }
            let (u, v) = arcs[chosen]
            swap(u, v)
            // Putting u before v again is tabu for a while.
            tabuUntil[v * n + u] = step + Int32(8 + random.below(8) + arcs.count / 4)
            value = evaluate()
            let now = cost(value)
            if now < best.cost {
                let lower = value.tardiness < best.value
                best = (sequence, position, value.tardiness, now)
                bestStarts = head
                stagnation = 0
                kicks = 0
                if lower {
                    secondsToBest = started.duration(to: timer.now).seconds
                    if shared.offer(value.tardiness) { limits.progress?(value.tardiness, secondsToBest) }
                }
            } else {
                stagnation += 1
                if stagnation > stagnationLimit {
                    // The large step: from the best or from here, random swaps of tight arcs, more of them the
                    // longer the best has not improved.
                    kicks += 1
                    if random.below(2) == 0 {
                        sequence = best.sequence
                        position = best.position
                    }
                    _ = evaluate()
                    for _ in 0..<(2 + random.below(6) + min(kicks, 4 * jobs)) {
                        let tight = criticalArcs()
                        guard !tight.isEmpty else { break }
                        let (a, b) = tight[random.below(tight.count)]
                        swap(a, b)
                        _ = evaluate()
                    }
                    stagnation = 0
                }
            }
        }
        return (bestStarts, best.value, secondsToBest, iterations)
    }
}
