import Foundation

/// When a search stops and how it reports: a time limit, an optional iteration limit (which makes a run with one
/// worker exactly repeatable), the seed, the number of parallel workers, and a progress callback.
public struct SearchLimits: Sendable {
    public var timeLimit: Duration
    /// Stop after this many iterations per worker, whatever the time; nil means the time limit alone.
    public var iterations: Int?
    public var seed: UInt64
    public var workers: Int
    /// Called now and then with the best value so far and the seconds elapsed (from any worker's thread).
    public var progress: (@Sendable (Int, Double) -> Void)?

    public init(
        timeLimit: Duration = .seconds(10), iterations: Int? = nil, seed: UInt64 = 1,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Int, Double) -> Void)? = nil
    ) {
        self.timeLimit = timeLimit
        self.iterations = iterations
        self.seed = seed
        self.workers = max(1, workers)
        self.progress = progress
    }
}

/// The best result of a search with when it was found.
public struct SearchResult<Solution: Sendable>: Sendable {
    public var solution: Solution
    public var value: Int
    public var secondsToBest: Double
    public var iterations: Int
}

/// Runs one search per worker, each with its own seed derived from `limits.seed`, and keeps the best (lowest
/// value, then earliest found). `search` receives the seed, the clock and the start, and a shared best for
/// progress reports.
func bestOfWorkers<Solution: Sendable>(
    _ limits: SearchLimits,
    _ search:
        @escaping @Sendable (UInt64, ContinuousClock, ContinuousClock.Instant, SharedBest) -> SearchResult<Solution>
) -> SearchResult<Solution> {
    let clock = ContinuousClock()
    let started = clock.now
    let shared = SharedBest()
    let results = runWorkers(limits.workers) { worker in
        search(limits.seed &+ UInt64(worker) &* 0x9E37_79B9, clock, started, shared)
    }
    return results.min { ($0.value, $0.secondsToBest) < ($1.value, $1.secondsToBest) }!
}

/// Runs `work` once per worker on its own thread, each with its own seed, and returns every worker's result.
func runWorkers<T: Sendable>(_ workers: Int, _ work: @escaping @Sendable (Int) -> T) -> [T] {
    let results = WorkerResults<T>(count: workers)
    DispatchQueue.concurrentPerform(iterations: workers) { index in results.set(index, work(index)) }
    return results.values
}

/// Collects one result per worker across threads.
final class WorkerResults<T: Sendable>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [T] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
