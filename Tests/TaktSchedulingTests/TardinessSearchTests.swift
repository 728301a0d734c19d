import Foundation
import Testing

@testable import TaktScheduling

/// The weighted-tardiness job shop: Singer and Pinedo's instances, the independent check, and the search against
/// an exhaustive enumeration of small instances (the quality on the literature's instances comes from
/// `takt bench jobshop-twt`, not from here).
@Suite struct TardinessSearchTests {
    let oneWorker = SearchLimits(timeLimit: .seconds(30), iterations: 4_000, seed: 3, workers: 1)

    @Test func dueDatesAndWeightsFollowSingerAndPinedo() throws {
        // Ten jobs: weights 4, 4, then six of 2, then 1, 1; due at ⌊f × the job's work⌋.
        let rows = (0..<10).map { job in "0 \(10 + job) 1 \(20 + job) 2 7" }
        let shop = try InstanceReader.jobShop("10 3\n" + rows.joined(separator: "\n"), name: "ten")
        let instance = try TardinessInstance.singerPinedo(shop, factorTenths: 13)
        #expect(instance.weight == [4, 4, 2, 2, 2, 2, 2, 2, 1, 1])
        // Job 0: 10 + 20 + 7 = 37 → ⌊48.1⌋ = 48; job 3: 43 → ⌊55.9⌋ = 55 (in tenths, no floating-point drift).
        #expect(instance.due[0] == 48)
        #expect(instance.due[3] == 55)
        // Five jobs: 20 % is one job, 60 % three.
        let five = try InstanceReader.jobShop("5 1\n0 1\n0 1\n0 1\n0 1\n0 1", name: "five")
        #expect(try TardinessInstance.singerPinedo(five, factorTenths: 15).weight == [4, 2, 2, 2, 1])
        #expect(throws: SchedulingError.self) { try TardinessInstance.singerPinedo(five, factorTenths: 0) }
    }

    @Test func theCheckRecomputesTheValueAndCatchesBrokenSchedules() throws {
        let shop = try InstanceReader.jobShop("2 2\n0 5 1 5\n1 5 0 5", name: "two")
        let instance = try TardinessInstance(shop: shop, due: [10, 8], weight: [3, 1])
        // Job 0 on 0–5, 5–10 (on time); job 1 on 0–5, 5–10 → 2 late.
        #expect(instance.problems(starts: [0, 5, 0, 5], value: 2).isEmpty)
        #expect(instance.problems(starts: [0, 5, 0, 5], value: 0).contains { $0.contains("is 2, not 0") })
        #expect(instance.problems(starts: [0, 4, 0, 5], value: 0).contains { $0.contains("predecessor") })
        #expect(instance.problems(starts: [0, 5, 0, 0], value: 9).contains { $0.contains("overlap") })
        #expect(!instance.problems(starts: [0, 5], value: 0).isEmpty)
    }

    /// Every machine order of small random job shops is enumerated (each machine's order of jobs; the earliest
    /// schedule for it by longest paths): the search finds the least weighted tardiness, with a schedule that checks.
    @Test func findsTheOptimumThatEnumerationFinds() throws {
        var random = SplitMix64(seed: 11)
        var late = 0
        for trial in 0..<8 {
            let jobs = 3
            let machines = 3
            var rows: [String] = []
            for _ in 0..<jobs {
                var route = Array(0..<machines)
                route.shuffle(using: &random)
                rows.append(route.map { "\($0) \(1 + random.below(9))" }.joined(separator: " "))
            }
            let shop = try InstanceReader.jobShop(
                "\(jobs) \(machines)\n" + rows.joined(separator: "\n"), name: "t\(trial)")
            // Tight due dates (0.8 to 1.1 × the job's work), so that most optima are above 0.
            let instance = try TardinessInstance.singerPinedo(shop, factorTenths: 8 + trial % 4)
            let optimum = Self.enumeratedOptimum(instance)
            if optimum > 0 { late += 1 }
            let result = TardinessSearch.solve(instance, limits: oneWorker)
            #expect(result.value == optimum, "trial \(trial)")
            #expect(instance.problems(starts: result.solution, value: result.value).isEmpty)
        }
        #expect(late >= 6, "the trials should mostly have late jobs at their optimum")
    }

    @Test func oneWorkerWithASeedAndAnIterationLimitRepeatsExactly() throws {
        let rows = (0..<6).map { job in
            (0..<4).map { "\(($0 + job) % 4) \(3 + (job * 7 + $0 * 5) % 11)" }.joined(separator: " ")
        }
        let shop = try InstanceReader.jobShop("6 4\n" + rows.joined(separator: "\n"), name: "six")
        let instance = try TardinessInstance.singerPinedo(shop, factorTenths: 13)
        let limits = SearchLimits(timeLimit: .seconds(30), iterations: 5_000, seed: 5, workers: 1)
        let first = TardinessSearch.solve(instance, limits: limits)
        let second = TardinessSearch.solve(instance, limits: limits)
        #expect(first.solution == second.solution)
        #expect(first.value == second.value)
    }

    /// The least weighted tardiness over all machine orders, computed without the search's decoder.
    static func enumeratedOptimum(_ instance: TardinessInstance) -> Int {
        let shop = instance.shop
        let jobs = shop.jobCount
        let machines = shop.machineCount
        let permutations = Self.permutations(Array(0..<jobs))
        var best = Int.max
        var choice = Array(repeating: 0, count: machines)
        func operation(of job: Int, on machine: Int) -> Int {
            (shop.jobStart[job]..<shop.jobStart[job + 1]).first { shop.altMachine[shop.altStart[$0]] == machine }!
        }
        while true {
            // Earliest starts by relaxation over job routes and machine orders; a cycle never settles.
            var start = Array(repeating: 0, count: shop.operationCount)
            var settled = false
            for _ in 0...(shop.operationCount + 1) {
                var changed = false
                for o in 0..<shop.operationCount where o > shop.jobStart[shop.jobOf[o]] {
                    let ready = start[o - 1] + shop.altDuration[shop.altStart[o - 1]]
                    if start[o] < ready {
                        start[o] = ready
                        changed = true
                    }
                }
                for machine in 0..<machines {
                    let order = permutations[choice[machine]]
                    for (a, b) in zip(order, order.dropFirst()) {
                        let first = operation(of: a, on: machine)
                        let second = operation(of: b, on: machine)
                        let ready = start[first] + shop.altDuration[shop.altStart[first]]
                        if start[second] < ready {
                            start[second] = ready
                            changed = true
                        }
                    }
                }
                if !changed {
                    settled = true
                    break
                }
            }
            if settled { best = min(best, instance.weightedTardiness(starts: start)) }
            var machine = 0
            while machine < machines {
                choice[machine] += 1
                if choice[machine] < permutations.count { break }
                choice[machine] = 0
                machine += 1
            }
            if machine == machines { return best }
        }
    }

    static func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index in
            var rest = items
            let head = rest.remove(at: index)
            return permutations(rest).map { [head] + $0 }
        }
    }
}
