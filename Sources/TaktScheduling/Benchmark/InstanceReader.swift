/// Reads the benchmark formats of `shared/bench/README.md`; every error names the file and line.
public enum InstanceReader {
    /// Job shop: `jobs machines`, then one line per job of `machine duration` pairs in route order (machines
    /// from 0).
    public static func jobShop(_ text: String, name: String) throws(SchedulingError) -> ShopInstance {
        var lines = Lines(text, file: name)
        let header = try lines.numbers(count: 2)
        let (jobs, machines) = (header[0], header[1])
        guard jobs > 0, machines > 0 else { throw lines.error("jobs and machines must be positive") }
        var all: [[[(machine: Int, duration: Int)]]] = []
        for _ in 0..<jobs {
            let values = try lines.numbers()
            guard values.count % 2 == 0, !values.isEmpty else {
                throw lines.error("expected machine and duration pairs")
            }
            var operations: [[(machine: Int, duration: Int)]] = []
            for pair in stride(from: 0, to: values.count, by: 2) {
                guard (0..<machines).contains(values[pair]) else {
                    throw lines.error("machine \(values[pair]) is not 0–\(machines - 1)")
                }
                guard values[pair + 1] >= 0 else { throw lines.error("a duration is negative") }
                operations.append([(values[pair], values[pair + 1])])
            }
            all.append(operations)
        }
        return ShopInstance(name: name, machineCount: machines, jobs: all)
    }

    /// Flexible job shop: `jobs machines avg`, then per job the number of operations and, per operation, `k`
    /// followed by `k` pairs `machine time` (machines from 1).
    public static func flexibleJobShop(_ text: String, name: String) throws(SchedulingError) -> ShopInstance {
        var lines = Lines(text, file: name)
        let header = try lines.numbers(atLeast: 2)
        let (jobs, machines) = (header[0], header[1])
        guard jobs > 0, machines > 0 else { throw lines.error("jobs and machines must be positive") }
        var all: [[[(machine: Int, duration: Int)]]] = []
        for _ in 0..<jobs {
            let values = try lines.numbers()
            var cursor = 0
            func next() throws(SchedulingError) -> Int {
                guard cursor < values.count else { throw lines.error("the job's line ends too early") }
                defer { cursor += 1 }
                return values[cursor]
            }
            let count = try next()
            var operations: [[(machine: Int, duration: Int)]] = []
            for _ in 0..<count {
                let k = try next()
                guard k > 0 else { throw lines.error("an operation has no machine") }
                var alternatives: [(machine: Int, duration: Int)] = []
                for _ in 0..<k {
                    let machine = try next()
                    let duration = try next()
                    guard (1...machines).contains(machine) else {
                        throw lines.error("machine \(machine) is not 1–\(machines)")
                    }
                    guard duration >= 0 else { throw lines.error("a duration is negative") }
                    alternatives.append((machine - 1, duration))
                }
                operations.append(alternatives)
            }
            guard cursor == values.count else {
                throw lines.error("the job's line has \(values.count - cursor) numbers too many")
            }
            all.append(operations)
        }
        return ShopInstance(name: name, machineCount: machines, jobs: all)
    }

    /// SDST flow shop: jobs, machines, one line per job of processing times, then a `jobs × jobs` setup matrix
    /// per machine.
    public static func flowShop(_ text: String, name: String) throws(SchedulingError) -> FlowShopInstance {
        var lines = Lines(text, file: name)
        let jobs = try lines.numbers(count: 1)[0]
        let machines = try lines.numbers(count: 1)[0]
        guard jobs > 0, machines > 0 else { throw lines.error("jobs and machines must be positive") }
        var processing = [[Int]](repeating: [Int](repeating: 0, count: jobs), count: machines)
        for job in 0..<jobs {
            let times = try lines.numbers(count: machines)
            for machine in 0..<machines { processing[machine][job] = times[machine] }
        }
        var setup: [[Int]] = []
        for _ in 0..<machines {
            var matrix: [Int] = []
            for _ in 0..<jobs { matrix += try lines.numbers(count: jobs) }
            setup.append(matrix)
        }
        return FlowShopInstance(name: name, processing: processing, setup: setup)
    }
}

/// Non-empty lines of a file, read as whole numbers, with the line number for errors.
struct Lines {
    let rows: [(line: Int, text: Substring)]
    let file: String
    var cursor = 0
    var line = 0

    init(_ text: String, file: String) {
        self.file = file
        rows = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { ($0.offset + 1, $0.element) }
            .filter { !$0.1.allSatisfy(\.isWhitespace) }
    }

    func error(_ message: String) -> SchedulingError { .malformedInstance(file: file, line: line, message: message) }

    mutating func numbers() throws(SchedulingError) -> [Int] {
        guard cursor < rows.count else {
            line = (rows.last?.line ?? 0) + 1
            throw error("the file ends too early")
        }
        let row = rows[cursor]
        cursor += 1
        line = row.line
        var values: [Int] = []
        for token in row.text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
            if let value = Int(token) {
                values.append(value)
            } else if let real = Double(token), real.isFinite {
                values.append(Int(real))
            } else {
                throw error("'\(token)' is not a number")
            }
        }
        return values
    }

    mutating func numbers(count: Int) throws(SchedulingError) -> [Int] {
        let values = try numbers()
        guard values.count >= count else { throw error("expected \(count) numbers, found \(values.count)") }
        return Array(values.prefix(count))
    }

    mutating func numbers(atLeast count: Int) throws(SchedulingError) -> [Int] { try numbers(count: count) }
}
