import Foundation
import Testing

@testable import TaktCore
@testable import TaktScheduling

/// The incremental evaluator must give exactly the cost a full decode gives, for every kind of move, before and
/// after accepting, with the plant test's forbidden transitions, cleans and calendars, and when rescheduling.
@Suite struct PlantEvaluatorTests {
    static let from = Date(timeIntervalSince1970: 1_795_996_800)

    static func generated(operations: Int, workCentres: Int, seed: UInt64) throws -> PlantProblem {
        let site = PlantGenerator.site(workCentres: workCentres, products: 12, seed: seed)
        let orders = PlantGenerator.orders(for: site, operations: operations, from: from, days: 10, seed: seed)
        return try PlantProblemBuilder(site: site, orders: orders, from: from, horizon: .hours(24 * 120)).build()
    }

    /// Random moves, near and far, half of them accepted: each candidate's cost equals the full decode's.
    static func agree(_ problem: PlantProblem, previous: PlantScheduler.Previous?, seed: UInt64, moves: Int) -> Int {
        agreement(problem, previous: previous, seed: seed, moves: moves).mismatches
    }

    static func agreement(_ problem: PlantProblem, previous: PlantScheduler.Previous?, seed: UInt64, moves: Int)
        -> (mismatches: Int, gaveUp: Int)
    {
        var random = SplitMix64(seed: seed)
        // The construction, repaired where it runs into a forbidden transition (the solver's first order).
        guard
            let start = try? PlantScheduler.solve(
                problem, limits: SearchLimits(timeLimit: .seconds(5), iterations: 0, seed: 1, workers: 1)
            ).sequence,
            var evaluator = PlantEvaluator(problem: problem, weights: .init(), previous: previous, sequence: start)
        else { return (-1, 0) }
        var decoder = PlantDecoder(problem: problem)
        var mismatches = 0
        var gaveUp = 0
        if case .success(let schedule) = decoder.decode(start),
            abs(PlantScheduler.cost(schedule, .init(), previous: previous) - evaluator.cost) > 1e-6
        {
            mismatches += 1
        }
        let n = start.count
        for _ in 0..<moves {
            var candidate = evaluator.sequence
            let from = random.below(n)
            var to = random.below(3) == 0 ? random.below(n) : min(n - 1, max(0, from + random.below(9) - 4))
            if to == from { to = from == 0 ? 1 : from - 1 }
            if random.below(2) == 0 {
                candidate.swapAt(from, to)
            } else {
                candidate.insert(candidate.remove(at: from), at: to)
            }
            // Half the moves with a bound near the current cost, as the annealer gives: the evaluator may then give
            // up (nil), but what it returns is exact, and giving up leaves the current order intact for what follows.
            let bound = random.below(2) == 0 ? evaluator.cost * (0.999 + Double(random.below(3)) / 1000) : nil
            let fast = evaluator.evaluate(candidate, from: min(from, to), to: max(from, to), bound: bound)
            switch decoder.decode(candidate) {
            case .success(let schedule):
                let full = PlantScheduler.cost(schedule, .init(), previous: previous)
                if fast == nil && bound != nil {
                    gaveUp += 1
                } else if fast == nil || abs(full - (fast ?? 0)) > 1e-6 {
                    mismatches += 1
                    print("MISMATCH full \(full) fast \(String(describing: fast)) \(from)->\(to) n \(n)")
                }
            case .failure(let failure):
                if fast != nil {
                    mismatches += 1
                    print("MISMATCH failure \(failure) fast \(String(describing: fast)) \(from)->\(to) n \(n)")
                }
            }
            if fast != nil && random.below(2) == 0 { evaluator.accept() }
        }
        return (mismatches, gaveUp)
    }

    @Test func incrementalCostsEqualFullDecodesOnGeneratedPlants() throws {
        var gaveUp = 0
        for seed in [UInt64(1), 7, 42] {
            let problem = try Self.generated(operations: 300, workCentres: 6, seed: seed)
            #expect(PlantEvaluator.applies(to: problem))
            let agreement = Self.agreement(problem, previous: nil, seed: seed, moves: 400)
            #expect(agreement.mismatches == 0, "seed \(seed)")
            gaveUp += agreement.gaveUp
        }
        // The bound is used: some candidates behind on every lane and over it are given up early.
        #expect(gaveUp > 0)
    }

    @Test func incrementalCostsEqualFullDecodesWhenRescheduling() throws {
        let problem = try Self.generated(operations: 200, workCentres: 4, seed: 3)
        var decoder = PlantDecoder(problem: problem)
        var order = PlantScheduler.constructionOrder(problem)
        order.reverse()
        guard case .success(let schedule) = decoder.decode(order) else {
            Issue.record("the reversed order does not decode")
            return
        }
        var previous: PlantScheduler.Previous = [:]
        for slot in schedule.slots { previous[slot.task] = (slot.lane, slot.start) }
        #expect(Self.agree(problem, previous: previous, seed: 3, moves: 400) == 0)
    }

    /// The plant test's site: cleans by maximum run, an allergen changeover, a forbidden transition, day shifts.
    @Test func incrementalCostsEqualFullDecodesWithCleansAndForbiddenTransitions() throws {
        let tests = PlantSchedulerTests()
        let problem = try PlantProblemBuilder(
            site: try tests.site(), orders: tests.orders(), from: tests.monday, horizon: .hours(24 * 7)
        ).build()
        #expect(Self.agree(problem, previous: nil, seed: 11, moves: 300) == 0)
        // An order that does not decode is no starting point.
        var decoder = PlantDecoder(problem: problem)
        let construction = PlantScheduler.constructionOrder(problem)
        let decodes = (try? decoder.decode(construction).get()) != nil
        #expect(
            (PlantEvaluator(problem: problem, weights: .init(), previous: nil, sequence: construction) != nil)
                == decodes)
    }

    /// The search with incremental evaluation returns a valid schedule no worse than the construction.
    @Test func theIncrementalSearchImprovesAndStaysValid() throws {
        let problem = try Self.generated(operations: 400, workCentres: 6, seed: 5)
        var decoder = PlantDecoder(problem: problem)
        guard case .success(let construction) = decoder.decode(PlantScheduler.constructionOrder(problem)) else {
            Issue.record("the construction does not decode")
            return
        }
        let outcome = try PlantScheduler.solve(
            problem, limits: SearchLimits(timeLimit: .seconds(30), iterations: 3000, seed: 9, workers: 1))
        #expect(PlantScheduleValidator(problem: problem).problems(in: outcome.schedule).isEmpty)
        #expect(outcome.cost <= PlantScheduler.cost(construction, .init(), previous: nil) + 1e-9)
        #expect(outcome.iterations == 3000)
        // One worker stopping at its cap repeats exactly, the starting temperature included.
        let again = try PlantScheduler.solve(
            problem, limits: SearchLimits(timeLimit: .seconds(30), iterations: 3000, seed: 9, workers: 1))
        #expect(again.sequence == outcome.sequence)
        #expect(again.cost == outcome.cost)
    }

    /// The starting temperature comes from the rises of sampled moves, and is lower when the budget allows few
    /// moves per job (plain descent at none); a cap on the iterations bounds the moves.
    @Test func theStartingTemperatureFollowsTheMovesAndTheBudget() throws {
        let problem = try Self.generated(operations: 300, workCentres: 6, seed: 1)
        let start = PlantScheduler.constructionOrder(problem)
        guard let evaluator = PlantEvaluator(problem: problem, weights: .init(), previous: nil, sequence: start)
        else {
            Issue.record("the construction does not decode")
            return
        }
        let clock = ContinuousClock()
        let sample = PlantScheduler.sampleMoves(
            evaluator, limits: SearchLimits(timeLimit: .seconds(60), iterations: 5000, seed: 1), clock: clock,
            started: clock.now)
        #expect(sample.moves == 5000)
        // With a cap the sample does not stop at a fiftieth of the time limit (here nothing): the same rise.
        let hurried = PlantScheduler.sampleMoves(
            evaluator, limits: SearchLimits(timeLimit: .nanoseconds(1), iterations: 5000, seed: 1), clock: clock,
            started: clock.now)
        #expect(hurried.rise == sample.rise)
        let rise = try #require(sample.rise)
        #expect(rise > 0)
        func temperature(moves: Int) -> Double {
            PlantScheduler.startingTemperature(
                rise: rise, moves: Double(moves), jobs: start.count, cost: evaluator.cost)
        }
        #expect(temperature(moves: 10_000_000) == rise)
        #expect(abs(temperature(moves: start.count * 3) - rise * 3 / 300) <= rise * 1e-9)
        #expect(temperature(moves: 0) == 0)
        #expect(
            PlantScheduler.startingTemperature(rise: nil, moves: 100, jobs: 10, cost: 5000) == 50)
    }
}
