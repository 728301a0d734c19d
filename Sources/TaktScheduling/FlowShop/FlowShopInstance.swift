/// A permutation flow shop with sequence-dependent, anticipatory setups: every job visits machines 0, 1, …
/// in order, all machines process the jobs in one common order, and between two jobs a machine needs the setup
/// `setup[machine][previous][next]`, which may start before the next job arrives. The first job needs none.
public struct FlowShopInstance: Sendable {
    public let name: String
    public let jobCount: Int
    public let machineCount: Int
    /// `processing[machine][job]`.
    public let processing: [[Int]]
    /// `setup[machine][previous * jobCount + next]`.
    public let setup: [[Int]]

    public init(name: String, processing: [[Int]], setup: [[Int]]) {
        self.name = name
        self.machineCount = processing.count
        self.jobCount = processing.first?.count ?? 0
        self.processing = processing
        self.setup = setup
    }

    @inline(__always) public func setupTime(_ machine: Int, _ previous: Int, _ next: Int) -> Int {
        setup[machine][previous * jobCount + next]
    }

    /// The makespan of `sequence` and each job's start on each machine (`starts[job][machine]`).
    public func evaluate(_ sequence: [Int]) -> (makespan: Int, starts: [[Int]]) {
        var starts = [[Int]](repeating: [Int](repeating: 0, count: machineCount), count: jobCount)
        var machineFree = [Int](repeating: 0, count: machineCount)
        var previous = -1
        for job in sequence {
            var ready = 0
            for machine in 0..<machineCount {
                let setupDone = previous < 0 ? 0 : machineFree[machine] + setupTime(machine, previous, job)
                let begin = max(ready, setupDone)
                starts[job][machine] = begin
                ready = begin + processing[machine][job]
                machineFree[machine] = ready
            }
            previous = job
        }
        return (machineFree.max() ?? 0, starts)
    }

    /// Checks a sequence and its start times independently: a permutation, route order, one job at a time per
    /// machine with its setup before it, and the stated makespan.
    public func problems(sequence: [Int], starts: [[Int]], makespan: Int) -> [String] {
        var problems: [String] = []
        if sequence.sorted() != Array(0..<jobCount) { problems.append("the sequence is not a permutation of the jobs") }
        var end = 0
        for job in 0..<min(jobCount, starts.count) {
            for machine in 1..<machineCount
            where starts[job][machine] < starts[job][machine - 1] + processing[machine - 1][job] {
                problems.append("job \(job) starts on machine \(machine) before it leaves machine \(machine - 1)")
            }
            end = max(end, starts[job][machineCount - 1] + processing[machineCount - 1][job])
        }
        for (previous, next) in zip(sequence, sequence.dropFirst()) {
            for machine in 0..<machineCount {
                let ready =
                    starts[previous][machine] + processing[machine][previous] + setupTime(machine, previous, next)
                if starts[next][machine] < ready {
                    problems.append(
                        "job \(next) starts on machine \(machine) before job \(previous) and the setup are done")
                }
            }
        }
        if end != makespan { problems.append("the makespan is \(end), not \(makespan)") }
        return problems
    }
}
