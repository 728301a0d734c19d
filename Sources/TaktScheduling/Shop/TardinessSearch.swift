import Foundation

/// Minimises the total weighted tardiness of a job shop (`TardinessInstance`).
///
/// It starts from an active schedule (`dispatch`), then each worker runs `TardinessTabu`: tabu search over the
/// machine sequences with the swaps of tight arcs on the critical paths to the late jobs' ends, and large random
/// steps when the best stops improving. Ties in weighted tardiness are broken by the weighted sum of completion
/// times, which keeps the walk moving on plateaus. A worker stops at zero weighted tardiness, which nothing can
/// improve on.
public enum TardinessSearch {
    /// The best schedule (each operation's start) found within `limits`, with its weighted tardiness as the value.
    public static func solve(_ instance: TardinessInstance, limits: SearchLimits) -> SearchResult<[Int]> {
        let first = dispatch(instance)
        return bestOfWorkers(limits) { seed, clock, started, shared in
            var tabu = TardinessTabu(instance: instance, sequences: first, seed: seed)
            return tabu.run(limits: limits, clock: clock, started: started, shared: shared)
        }
    }

    /// The first machine sequences: operations dealt round by round, the jobs in each round by due date over
    /// weight, each put into the earliest idle time on its machine after its job's previous operation — into a gap
    /// between operations already placed when it fits there (an active schedule).
    static func dispatch(_ instance: TardinessInstance) -> [[Int]] {
        let shop = instance.shop
        let jobs = shop.jobCount
        let byUrgency = (0..<jobs).sorted {
            (Double(instance.due[$0]) / Double(max(instance.weight[$0], 1)), $0)
                < (Double(instance.due[$1]) / Double(max(instance.weight[$1], 1)), $1)
        }
        var lines = Array(repeating: [(operation: Int, start: Int, end: Int)](), count: shop.machineCount)
        var next = Array(shop.jobStart.dropLast())
        var ready = Array(repeating: 0, count: jobs)
        var placed = 0
        while placed < shop.operationCount {
            for job in byUrgency where next[job] < shop.jobStart[job + 1] {
                let operation = next[job]
                next[job] += 1
                placed += 1
                let machine = instance.machine[operation]
                let duration = instance.duration[operation]
                var at = lines[machine].count
                var start = ready[job]
                var previousEnd = 0
                for (index, slot) in lines[machine].enumerated() {
                    if max(start, previousEnd) + duration <= slot.start {
                        at = index
                        break
                    }
                    previousEnd = slot.end
                }
                start = max(start, previousEnd)
                lines[machine].insert((operation, start, start + duration), at: at)
                ready[job] = start + duration
            }
        }
        return lines.map { $0.map(\.operation) }
    }
}

/// Tabu search on the machine sequences for the weighted tardiness, after Kreipl ("A large step random walk for
/// minimizing total weighted tardiness in a job shop", Journal of Scheduling 3, 2000): the neighbours are the swaps
/// of two operations next to each other on a machine on a critical path to a late job's end (such an arc is tight,
/// the second starting as the first ends, and swapping a tight arc never makes a cycle); every neighbour is costed
/// by recomputing the heads. The best neighbour that is not tabu (or beats the best) is taken; swapping a pair back
/// is tabu for a while. When the best has not improved for a while, the walk restarts from the best or from where
/// it is with random swaps of tight arcs, more of them the longer the best has not improved (the large step).
///
/// The disjunctive graph — machine sequences, positions, heads, the tabu pairs, the random source — is the job
/// shop search's (`ShopSearch`); this adds the objective and the neighbourhood.
struct TardinessTabu {
    let instance: TardinessInstance
    /// Each job's last operation.
    let lastOf: [Int]
    /// The tie-break's scale: the weighted sum of completions divided by it stays below 1.
    let tieScale: Double
    var graph: ShopSearch
    /// Arcs already collected in this step, by their second operation (each has one machine predecessor):
    /// `arcSeen[v] == step`, instead of a set in the hot loop.
    var arcSeen: [Int32]
    var step: Int32 = 1

    init(instance: TardinessInstance, sequences: [[Int]], seed: UInt64) {
        self.instance = instance
        let shop = instance.shop
        lastOf = (0..<shop.jobCount).map { shop.jobStart[$0 + 1] - 1 }
        let work = instance.duration.reduce(0, +)
        tieScale = Double(instance.weight.reduce(0, +)) * Double(work + (instance.due.max() ?? 0)) * 2 + 1
        graph = ShopSearch(instance: shop, seed: seed)
        graph.restore((graph.alternative, sequences))
        arcSeen = Array(repeating: 0, count: graph.n)
    }

    /// Recomputes the heads; returns the weighted tardiness and the weighted sum of completions.
    mutating func evaluate() -> (tardiness: Int, completions: Int) {
        _ = graph.computeHeads()
        var tardiness = 0
        var completions = 0
        for (job, last) in lastOf.enumerated() {
            let end = graph.head[last] + graph.duration[last]
            tardiness += instance.weight[job] * max(0, end - instance.due[job])
            completions += instance.weight[job] * end
        }
        return (tardiness, completions)
    }

    func cost(_ value: (tardiness: Int, completions: Int)) -> Double {
        Double(value.tardiness) + Double(value.completions) / tieScale
    }

    /// Whether `before` ends as `o` starts (the arc between them is tight).
    @inline(__always) func tight(_ before: Int, _ o: Int) -> Bool {
        before >= 0 && graph.head[before] + graph.duration[before] == graph.head[o]
    }

    /// The tight machine arcs (u directly before v) on a critical path to each late job's end, each once; where
    /// the job and the machine predecessor are both critical, the path follows either at random.
    mutating func criticalArcs() -> [(Int, Int)] {
        step += 1
        var arcs: [(Int, Int)] = []
        for (job, last) in lastOf.enumerated() where graph.head[last] + graph.duration[last] > instance.due[job] {
            var o = last
            while true {
                let p = graph.position[o]
                let before = p > 0 ? graph.sequence[graph.machine[o]][p - 1] : -1
                let jobBefore = graph.jobPredecessor[o]
                if tight(before, o) {
                    if arcSeen[o] != step {
                        arcSeen[o] = step
                        arcs.append((before, o))
                    }
                    o = tight(jobBefore, o) && graph.random.below(2) == 0 ? jobBefore : before
                } else if tight(jobBefore, o) {
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
        graph.shift(m: graph.machine[u], from: graph.position[u], to: graph.position[v])
    }

    mutating func run(
        limits: SearchLimits, clock timer: ContinuousClock, started: ContinuousClock.Instant, shared: SharedBest
    ) -> SearchResult<[Int]> {
        let n = graph.n
        var value = evaluate()
        var best = (saved: graph.snapshot(), value: value.tardiness, cost: cost(value))
        var bestStarts = graph.head
        var secondsToBest = started.duration(to: timer.now).seconds
        if shared.offer(best.value) { limits.progress?(best.value, secondsToBest) }
        var iterations = 0
        var stagnation = 0
        var kicks = 0
        let stagnationLimit = 200 + 10 * n
        while best.value > 0 {
            if let cap = limits.iterations, iterations >= cap { break }
            if iterations & 15 == 0, started.duration(to: timer.now) >= limits.timeLimit { break }
            iterations += 1
            let arcs = criticalArcs()
            guard !arcs.isEmpty else { break }
            var chosen = -1
            var chosenCost = Double.infinity
            var ties = 0
            for (index, arc) in arcs.enumerated() {
                swap(arc.0, arc.1)
                let candidate = cost(evaluate())
                swap(arc.1, arc.0)
                let tabu = graph.tabuPair[arc.0 * n + arc.1] > step
                if tabu && candidate >= best.cost { continue }
                if candidate < chosenCost {
                    chosen = index
                    chosenCost = candidate
                    ties = 1
                } else if candidate == chosenCost {
                    ties += 1
                    if graph.random.below(ties) == 0 { chosen = index }
                }
            }
            if chosen < 0 { chosen = graph.random.below(arcs.count) }
            let (u, v) = arcs[chosen]
            swap(u, v)
            // Putting u before v again is tabu for a while.
            graph.tabuPair[v * n + u] = step + Int32(8 + graph.random.below(8) + arcs.count / 4)
            value = evaluate()
            let now = cost(value)
            if now < best.cost {
                let lower = value.tardiness < best.value
                best = (graph.snapshot(), value.tardiness, now)
                bestStarts = graph.head
                stagnation = 0
                kicks = 0
                if lower {
                    secondsToBest = started.duration(to: timer.now).seconds
                    if shared.offer(value.tardiness) { limits.progress?(value.tardiness, secondsToBest) }
                }
            } else {
                stagnation += 1
                if stagnation > stagnationLimit {
                    kicks += 1
                    if graph.random.below(2) == 0 { graph.restore(best.saved) }
                    _ = evaluate()
                    for _ in 0..<(2 + graph.random.below(6) + min(kicks, 4 * lastOf.count)) {
                        let arcs = criticalArcs()
                        guard !arcs.isEmpty else { break }
                        let (a, b) = arcs[graph.random.below(arcs.count)]
                        swap(a, b)
                        _ = evaluate()
                    }
                    stagnation = 0
                }
            }
        }
        return SearchResult(
            solution: bestStarts, value: best.value, secondsToBest: secondsToBest, iterations: iterations)
    }
}
