/// A job shop with due dates and weights, scored by total weighted tardiness: Σ wⱼ · max(0, Cⱼ − dⱼ).
///
/// `singerPinedo` builds the literature's instances of this problem (Singer, M. and Pinedo, M., "A computational
/// study of branch and bound techniques for minimizing the total weighted tardiness in job shops", IIE Transactions
/// 30(2), 1998) from a classic job shop: job j is due at ⌊f · Σ pⱼₖ⌋ for a due-date factor f (1.3, 1.5, 1.6 in the
/// paper), and weighted 4 for the first 20 % of the jobs, 2 for the next 60 % and 1 for the last 20 %.
public struct TardinessInstance: Sendable {
    public let shop: ShopInstance
    public let due: [Int]
    public let weight: [Int]
    /// Each operation's machine and duration (its one alternative).
    public let machine: [Int]
    public let duration: [Int]

    /// `due[j]` and `weight[j]` per job of `shop`, which must be a classic job shop (one machine per operation).
    public init(shop: ShopInstance, due: [Int], weight: [Int]) throws {
        guard due.count == shop.jobCount, weight.count == shop.jobCount else {
            throw SchedulingError.malformedInstance(
                file: shop.name, line: 1,
                message: "\(shop.jobCount) jobs but \(due.count) due dates and \(weight.count) weights")
        }
        guard (0..<shop.operationCount).allSatisfy({ shop.alternatives(of: $0).count == 1 }) else {
            throw SchedulingError.malformedInstance(
                file: shop.name, line: 1, message: "a weighted-tardiness job shop has one machine per operation")
        }
        guard weight.allSatisfy({ $0 >= 0 }) else {
            throw SchedulingError.malformedInstance(file: shop.name, line: 1, message: "a job's weight is negative")
        }
        self.shop = shop
        self.due = due
        self.weight = weight
        machine = (0..<shop.operationCount).map { shop.altMachine[shop.altStart[$0]] }
        duration = (0..<shop.operationCount).map { shop.altDuration[shop.altStart[$0]] }
    }

    /// Singer and Pinedo's instance for due-date factor `tenths` / 10 (13, 15 and 16 in the paper).
    public static func singerPinedo(_ shop: ShopInstance, factorTenths tenths: Int) throws -> TardinessInstance {
        guard tenths > 0 else {
            throw SchedulingError.malformedInstance(
                file: shop.name, line: 1, message: "the due-date factor must be positive")
        }
        let jobs = shop.jobCount
        let due = (0..<jobs).map { job in
            // Whole tenths, so that 1.3 × 30 is 39 and not 38.999….
            let work = (shop.jobStart[job]..<shop.jobStart[job + 1]).reduce(0) {
                $0 + shop.altDuration[shop.altStart[$1]]
            }
            return tenths * work / 10
        }
        let weight = (0..<jobs).map { job in
            // j < 0.2 n and j < 0.8 n, in integers.
            5 * job < jobs ? 4 : 5 * job < 4 * jobs ? 2 : 1
        }
        return try TardinessInstance(shop: shop, due: due, weight: weight)
    }

    /// The total weighted tardiness of a schedule given by each operation's start.
    public func weightedTardiness(starts: [Int]) -> Int {
        (0..<shop.jobCount).reduce(0) { total, job in
            let last = shop.jobStart[job + 1] - 1
            let end = starts[last] + duration[last]
            return total + weight[job] * max(0, end - due[job])
        }
    }

    /// Checks a schedule independently of any solver (route order, no overlap on a machine, nothing before 0) and
    /// that `value` is its weighted tardiness. Empty when it is right.
    public func problems(starts: [Int], value: Int) -> [String] {
        guard starts.count == shop.operationCount else {
            return ["\(starts.count) starts for \(shop.operationCount) operations"]
        }
        let solution = ShopSolution(
            alternative: (0..<shop.operationCount).map { shop.altStart[$0] }, start: starts,
            makespan: zip(starts, duration).map { $0 + $1 }.max() ?? 0)
        var problems = solution.problems(in: shop)
        let actual = weightedTardiness(starts: starts)
        if actual != value { problems.append("the weighted tardiness is \(actual), not \(value)") }
        return problems
    }
}
