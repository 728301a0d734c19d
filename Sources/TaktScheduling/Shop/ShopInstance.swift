/// A (flexible) job shop: jobs are chains of operations, each of which runs on one of its alternative machines
/// for that machine's time; a machine runs one operation at a time. A classic job shop is the case with one
/// alternative per operation. Times are whole units; operations are numbered job by job, in route order.
public struct ShopInstance: Sendable {
    public let name: String
    public let machineCount: Int
    /// `jobStart[j]..<jobStart[j + 1]` are job j's operations, in route order.
    public let jobStart: [Int]
    /// `altStart[o]..<altStart[o + 1]` index `altMachine` and `altDuration` for operation o.
    public let altStart: [Int]
    public let altMachine: [Int]
    public let altDuration: [Int]
    public let jobOf: [Int]

    public var jobCount: Int { jobStart.count - 1 }
    public var operationCount: Int { jobOf.count }

    /// Builds an instance from per-job lists of operations, each a list of `(machine, duration)` alternatives.
    public init(name: String, machineCount: Int, jobs: [[[(machine: Int, duration: Int)]]]) {
        var jobStart = [0]
        var altStart = [0]
        var altMachine: [Int] = []
        var altDuration: [Int] = []
        var jobOf: [Int] = []
        for (job, operations) in jobs.enumerated() {
            for alternatives in operations {
                for alternative in alternatives {
                    altMachine.append(alternative.machine)
                    altDuration.append(alternative.duration)
                }
                altStart.append(altMachine.count)
                jobOf.append(job)
            }
            jobStart.append(jobOf.count)
        }
        self.name = name
        self.machineCount = machineCount
        self.jobStart = jobStart
        self.altStart = altStart
        self.altMachine = altMachine
        self.altDuration = altDuration
        self.jobOf = jobOf
    }

    /// The alternatives of operation `o`.
    public func alternatives(of o: Int) -> Range<Int> { altStart[o]..<altStart[o + 1] }

    /// The position of operation `o` within its job's route.
    public func index(inJob o: Int) -> Int { o - jobStart[jobOf[o]] }

    /// A lower bound on the makespan: the longest job (with each operation's shortest time).
    public var jobBound: Int {
        (0..<jobCount).map { job in
            (jobStart[job]..<jobStart[job + 1]).map { o in alternatives(of: o).map { altDuration[$0] }.min() ?? 0 }
                .reduce(0, +)
        }.max() ?? 0
    }
}

/// A solution of a shop instance: which alternative each operation uses and when it starts.
public struct ShopSolution: Sendable, Hashable {
    /// The chosen alternative of each operation (an index into the instance's alternative arrays).
    public var alternative: [Int]
    public var start: [Int]
    public var makespan: Int

    /// The machine each operation runs on.
    public func machine(of o: Int, in instance: ShopInstance) -> Int { instance.altMachine[alternative[o]] }

    /// Checks the solution independently of the solver: each operation on one of its machines for that machine's
    /// time, route order kept, no two operations overlapping on a machine, and the stated makespan right.
    public func problems(in instance: ShopInstance) -> [String] {
        var problems: [String] = []
        var byMachine = [[(start: Int, end: Int, op: Int)]](repeating: [], count: instance.machineCount)
        var end = 0
        for o in 0..<instance.operationCount {
            let choice = alternative[o]
            guard instance.alternatives(of: o).contains(choice) else {
                problems.append("operation \(o) uses an alternative it does not have")
                continue
            }
            let finish = start[o] + instance.altDuration[choice]
            if start[o] < 0 { problems.append("operation \(o) starts before 0") }
            byMachine[instance.altMachine[choice]].append((start[o], finish, o))
            end = max(end, finish)
            let job = instance.jobOf[o]
            if o > instance.jobStart[job] {
                let previous = o - 1
                let previousEnd = start[previous] + instance.altDuration[alternative[previous]]
                if start[o] < previousEnd {
                    problems.append("job \(job): operation \(o) starts before its predecessor ends")
                }
            }
        }
        for (machine, slots) in byMachine.enumerated() {
            let sorted = slots.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
                problems.append("machine \(machine): operations \(a.op) and \(b.op) overlap")
            }
        }
        if end != makespan { problems.append("the makespan is \(end), not \(makespan)") }
        return problems
    }
}
