import Foundation
import Testing

@testable import TaktCore
@testable import TaktScheduling

/// The exported problem and the shared checker: Takt's own schedule passes with the same objective parts it
/// reports; broken solutions are refused naming the task and the rule; the documents round-trip through JSON.
@Suite struct PlantProblemDocumentTests {
    static func solved() throws -> (PlantProblem, PlantScheduler.Outcome) {
        let tests = PlantSchedulerTests()
        let problem = try PlantProblemBuilder(
            site: try tests.site(), orders: tests.orders(), from: tests.monday, horizon: .hours(24 * 7)
        ).build()
        let outcome = try PlantScheduler.solve(
            problem, limits: SearchLimits(timeLimit: .seconds(5), iterations: 200, seed: 1, workers: 1))
        return (problem, outcome)
    }

    @Test func taktsOwnScheduleIsValidWithTheSameObjectiveParts() throws {
        let (problem, outcome) = try Self.solved()
        let document = try PlantProblemDocument.read(
            try PlantProblemDocument(problem, weights: ScheduleWeights()).encoded())
        let solution = try PlantSolutionDocument.read(try PlantSolutionDocument(outcome.schedule).encoded())
        #expect(document.changeovers.contains { $0.forbidden } && document.lanes.contains { $0.maximumRun != nil })
        let report = PlantSolutionChecker.check(document, solution)
        #expect(report.valid, "\(report.problems)")
        #expect(report.weightedTardiness == outcome.schedule.weightedTardiness)
        #expect(report.changeoverSeconds == outcome.schedule.changeoverSeconds)
        #expect(report.makespan == outcome.schedule.makespan)
        #expect(abs(report.objective - outcome.cost) < 1e-6)
        #expect(PlantSolutionChecker.check(document, solution, previous: solution).moves == 0)
    }

    @Test func brokenSolutionsAreRefusedNamingTheTaskAndTheRule() throws {
        let (problem, outcome) = try Self.solved()
        let document = try PlantProblemDocument(problem, weights: ScheduleWeights())
        let good = PlantSolutionDocument(outcome.schedule)
        func problems(_ change: (inout PlantSolutionDocument) -> Void) -> [String] {
            var solution = good
            change(&solution)
            return PlantSolutionChecker.check(document, solution).problems
        }
        // A task dropped, and one placed twice.
        #expect(problems { $0.tasks.removeLast() }.contains { $0.hasSuffix("is not placed") })
        #expect(problems { $0.tasks.append($0.tasks[0]) }.contains { $0.contains("is placed twice") })
        // Shorter than its work, on a lane that may not run it, at night, before its predecessor.
        #expect(problems { $0.tasks[0].end -= 60 }.contains { $0.contains("works") && $0.contains("it takes") })
        let lanes = document.lanes.indices
        let task = good.tasks[0].task
        if let other = lanes.first(where: { lane in !document.tasks[task].options.contains { $0.lane == lane } }) {
            #expect(problems { $0.tasks[0].lane = other }.contains { $0.contains("which may not run it") })
        }
        #expect(
            problems {
                let length = $0.tasks[0].end - $0.tasks[0].start
                $0.tasks[0].start = 2 * 3600  // Monday 02:00, before the day shift
                $0.tasks[0].end = 2 * 3600 + length
                $0.tasks[0].pieces = nil
            }.contains { $0.contains("outside the available time") })
        // Everything on a lane moved onto the start of its first task: overlaps.
        let sameLane = good.tasks.filter { $0.lane == good.tasks[0].lane }
        if sameLane.count > 1 {
            #expect(
                problems { solution in
                    for index in solution.tasks.indices where solution.tasks[index].task == sameLane[1].task {
                        let length = solution.tasks[index].end - solution.tasks[index].start
                        solution.tasks[index].start = sameLane[0].start
                        solution.tasks[index].end = sameLane[0].start + length
                        solution.tasks[index].pieces = nil
                    }
                }.contains { $0.contains("overlap") })
        }
        // Another format is refused by name.
        #expect(throws: (any Error).self) {
            try PlantProblemDocument.read(Data(#"{"format":"other/9"}"#.utf8))
        }
    }

    @Test func aPlanThatAssignsPeopleIsNotExportedAsFormatOne() throws {
        var (problem, _) = try Self.solved()
        problem.tasks[0].crew = [.init(skill: "baker", count: 1, candidates: [:])]
        #expect(throws: SchedulingError.self) { try PlantProblemDocument(problem, weights: ScheduleWeights()) }
    }
}
