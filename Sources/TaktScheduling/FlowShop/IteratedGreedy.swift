import Foundation

/// Iterated greedy for the permutation flow shop with sequence-dependent setups (Ruiz & Stützle 2008): start
/// from NEH, then repeatedly remove a few jobs at random and reinsert each at its best place, polish with
/// insertion local search, and accept the result by a simulated-annealing-like rule. Insertions are evaluated
/// for all positions at once with heads and tails (Taillard's acceleration, extended to setups).
public enum IteratedGreedy {
    public static func solve(_ instance: FlowShopInstance, limits: SearchLimits) -> SearchResult<[Int]> {
        bestOfWorkers(limits) { seed, clock, started, shared in
            var search = FlowShopSearch(instance: instance, seed: seed)
            return search.run(limits: limits, clock: clock, started: started, shared: shared)
        }
    }
}

struct FlowShopSearch {
    let instance: FlowShopInstance
    let m: Int
    var random: SplitMix64
    /// `e[i * (n + 1) + k]`: completion of the first k jobs of the partial sequence on machine i.
    var e: [Int]
    /// `q[i * (n + 1) + k]`: from the start of the k-th job on machine i to the end.
    var q: [Int]
    var f: [Int]

    init(instance: FlowShopInstance, seed: UInt64) {
        self.instance = instance
        m = instance.machineCount
        random = SplitMix64(seed: seed)
        let size = (instance.jobCount + 2) * m
        e = Array(repeating: 0, count: size)
        q = Array(repeating: 0, count: size)
        f = Array(repeating: 0, count: m)
    }

    /// The best position to insert `job` into `sequence`, and the makespan there.
    mutating func bestInsertion(of job: Int, into sequence: [Int]) -> (position: Int, makespan: Int) {
        let count = sequence.count
        let width = count + 1
        let p = instance.processing
        // Heads: e[i][k] for k = 1...count (k = 0 means nothing scheduled).
        for i in 0..<m { e[i * width] = 0 }
        for k in 1...max(count, 1) where k <= count {
            let job = sequence[k - 1]
            var above = 0
            for i in 0..<m {
                let setup = k > 1 ? instance.setupTime(i, sequence[k - 2], job) : 0
                let ready = max(above, e[i * width + k - 1] + setup)
                let end = (k > 1 || true) ? ready + p[i][job] : 0
                e[i * width + k] = end
                above = end
            }
        }
        // Tails: q[i][k] for k = count-1 ... 0.
        for k in stride(from: count - 1, through: 0, by: -1) {
            let job = sequence[k]
            var below = 0
            for i in stride(from: m - 1, through: 0, by: -1) {
                let next = k + 1 < count ? instance.setupTime(i, job, sequence[k + 1]) + q[i * width + k + 1] : 0
                let value = p[i][job] + max(below, next)
                q[i * width + k] = value
                below = value
            }
        }
        var bestPosition = 0
        var best = Int.max
        for k in 0...count {
            var above = 0
            var longest = 0
            for i in 0..<m {
                let setup = k > 0 ? instance.setupTime(i, sequence[k - 1], job) : 0
                let machineReady = k > 0 ? e[i * width + k] + setup : 0
                let end = max(above, machineReady) + p[i][job]
                above = end
                let through = k < count ? end + instance.setupTime(i, job, sequence[k]) + q[i * width + k] : end
                longest = max(longest, through)
            }
            if longest < best {
                best = longest
                bestPosition = k
            }
        }
        return (bestPosition, best)
    }

    mutating func makespan(_ sequence: [Int]) -> Int { instance.evaluate(sequence).makespan }

    /// NEH: jobs by decreasing total processing time, each inserted at its best place.
    mutating func neh() -> [Int] {
        let totals = (0..<instance.jobCount).map { job in (0..<m).map { instance.processing[$0][job] }.reduce(0, +) }
        let jobs = (0..<instance.jobCount).sorted { (totals[$0], $1) > (totals[$1], $0) }
        var sequence: [Int] = []
        for job in jobs {
            let place = bestInsertion(of: job, into: sequence)
            sequence.insert(job, at: place.position)
        }
        return sequence
    }

    /// Removes each job in turn (in random order) and reinserts it at its best place, until nothing improves.
    mutating func localSearch(_ sequence: inout [Int], value: inout Int) {
        var improved = true
        while improved {
            improved = false
            for job in sequence.shuffled(using: &random) {
                let index = sequence.firstIndex(of: job)!
                sequence.remove(at: index)
                let place = bestInsertion(of: job, into: sequence)
                if place.makespan < value {
                    sequence.insert(job, at: place.position)
                    value = place.makespan
                    improved = true
                } else {
                    sequence.insert(job, at: index)
                }
            }
        }
    }

    mutating func run(
        limits: SearchLimits, clock: ContinuousClock, started: ContinuousClock.Instant, shared: SharedBest
    ) -> SearchResult<[Int]> {
        var current = neh()
        var value = makespan(current)
        localSearch(&current, value: &value)
        var best = current
        var bestValue = value
        var secondsToBest = started.duration(to: clock.now).seconds
        if shared.offer(bestValue) { limits.progress?(bestValue, secondsToBest) }
        let n = instance.jobCount
        let totalWork = instance.processing.flatMap { $0 }.reduce(0, +)
        let temperature = 0.5 * Double(totalWork) / Double(n * m * 10)
        let destroy = min(4, max(1, n / 2))
        var iterations = 0
        while true {
            if let cap = limits.iterations, iterations >= cap { break }
            if started.duration(to: clock.now) >= limits.timeLimit { break }
            iterations += 1
            var candidate = current
            var removed: [Int] = []
            for _ in 0..<destroy { removed.append(candidate.remove(at: random.below(candidate.count))) }
            for job in removed {
                let place = bestInsertion(of: job, into: candidate)
                candidate.insert(job, at: place.position)
            }
            var candidateValue = makespan(candidate)
            localSearch(&candidate, value: &candidateValue)
            if candidateValue < value {
                current = candidate
                value = candidateValue
                if value < bestValue {
                    best = current
                    bestValue = value
                    secondsToBest = started.duration(to: clock.now).seconds
                    if shared.offer(bestValue) { limits.progress?(bestValue, secondsToBest) }
                }
            } else if Double(random.next() % 1_000_000) / 1_000_000 < exp(-Double(candidateValue - value) / temperature)
            {
                current = candidate
                value = candidateValue
            }
        }
        return SearchResult(solution: best, value: bestValue, secondsToBest: secondsToBest, iterations: iterations)
    }
}
