import Foundation
import Testing

@testable import TaktScheduling

/// The benchmark solvers on small instances; the quality figures come from `make bench`, not from here.
@Suite struct BenchmarkSolverTests {
    static let ft06 = """
        6 6
        2 1 0 3 1 6 3 7 5 3 4 6
        1 8 2 5 4 10 5 10 0 10 3 4
        2 5 3 4 5 8 0 9 1 1 4 7
        1 5 0 5 2 5 3 3 4 8 5 9
        2 9 1 3 4 5 5 4 0 3 3 1
        1 3 3 3 5 9 0 10 4 4 2 1
        """

    static let smallFlexible = """
        3 3 2
        2 2 1 3 2 5 1 2 4
        3 1 3 2 2 2 3 3 1 1 1 3
        2 2 1 4 3 2 2 2 3 3 1
        """

    let oneWorker = SearchLimits(timeLimit: .seconds(30), iterations: 3_000, seed: 7, workers: 1)

    @Test func reachesTheOptimumOfFt06WithAValidSchedule() throws {
        let instance = try InstanceReader.jobShop(Self.ft06, name: "ft06")
        let result = ShopTabuSearch.solve(
            instance, limits: SearchLimits(timeLimit: .seconds(5), iterations: 20_000, workers: 1))
        #expect(result.value == 55)
        #expect(result.solution.problems(in: instance).isEmpty)
    }

    @Test func oneWorkerWithASeedAndAnIterationLimitRepeatsExactly() throws {
        let instance = try InstanceReader.jobShop(Self.ft06, name: "ft06")
        let first = ShopTabuSearch.solve(instance, limits: oneWorker)
        let second = ShopTabuSearch.solve(instance, limits: oneWorker)
        #expect(first.solution == second.solution)
        #expect(first.iterations == second.iterations)
    }

    @Test func flexibleSolutionsUseTheirAlternativesAndStayValid() throws {
        let instance = try InstanceReader.flexibleJobShop(Self.smallFlexible, name: "small")
        #expect(instance.operationCount == 7)
        #expect(instance.alternatives(of: 0).count == 2)
        let result = ShopTabuSearch.solve(instance, limits: oneWorker)
        #expect(result.solution.problems(in: instance).isEmpty)
        #expect(result.value >= instance.jobBound)
    }

    @Test func theValidatorCatchesOverlapsAndBrokenRoutes() throws {
        let instance = try InstanceReader.jobShop("2 1\n0 5\n0 5\n", name: "tiny")
        let overlapping = ShopSolution(alternative: [0, 1], start: [0, 3], makespan: 8)
        #expect(overlapping.problems(in: instance).contains { $0.contains("overlap") })
        let chain = try InstanceReader.jobShop("1 2\n0 5 1 5\n", name: "chain")
        let early = ShopSolution(alternative: [0, 1], start: [0, 4], makespan: 9)
        #expect(early.problems(in: chain).contains { $0.contains("before its predecessor ends") })
    }

    @Test func malformedInstancesNameTheLine() {
        #expect(throws: SchedulingError.malformedInstance(file: "bad", line: 2, message: "machine 7 is not 0–1")) {
            try InstanceReader.jobShop("1 2\n7 5 1 5\n", name: "bad")
        }
        #expect(throws: SchedulingError.malformedInstance(file: "bad", line: 3, message: "the file ends too early")) {
            try InstanceReader.jobShop("2 2\n0 5 1 5\n", name: "bad")
        }
        #expect(throws: SchedulingError.malformedInstance(file: "bad", line: 1, message: "'x' is not a number")) {
            try InstanceReader.jobShop("x 2\n", name: "bad")
        }
    }

    @Test func flowShopSetupsAreAnticipatoryAndTheFirstJobHasNone() throws {
        // 2 jobs, 2 machines; setup 10 on both machines between the jobs.
        let text = "2\n2\n3 4\n5 2\n0 10\n10 0\n0 10\n10 0\n"
        let instance = try InstanceReader.flowShop(text, name: "tiny")
        let evaluated = instance.evaluate([0, 1])
        // Job 0: M0 0–3, M1 3–7. Job 1: M0 after 3 + 10 = 13 → 18; M1 after max(18, 7 + 10) → 18–20.
        #expect(evaluated.makespan == 20)
        #expect(evaluated.starts[1] == [13, 18])
        #expect(instance.problems(sequence: [0, 1], starts: evaluated.starts, makespan: 20).isEmpty)
        let result = IteratedGreedy.solve(instance, limits: oneWorker)
        #expect(result.value == min(instance.evaluate([0, 1]).makespan, instance.evaluate([1, 0]).makespan))
    }
}
