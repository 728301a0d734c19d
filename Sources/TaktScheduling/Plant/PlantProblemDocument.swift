import Foundation
import TaktCore

/// A plant problem exactly as the solver sees it, as a self-contained JSON document (`takt schedule
/// --export-problem`, `takt bench plant --export`), so another solver can be run on it and its answer checked by
/// `PlantSolutionChecker`. Times are whole seconds from `origin`. The JSON Schema is `docs/plant-problem.schema.json`.
///
/// Format 1 has no people as a resource: a plan whose operations need crews is refused for export.
public struct PlantProblemDocument: Codable, Sendable {
    public static let formatName = "takt-plant-problem/1"

    public struct Weights: Codable, Sendable {
        /// Cost per minute of weighted tardiness, per minute of changeover, per minute of makespan.
        public var tardiness: Double
        public var changeover: Double
        public var makespan: Double
    }

    public struct MaximumRun: Codable, Sendable {
        /// Production seconds a lane may run before a clean of `clean` seconds.
        public var seconds: Int
        public var clean: Int
    }

    public struct Lane: Codable, Sendable {
        public var name: String
        public var workCentre: String
        /// Available periods `[start, end)`, sorted.
        public var available: [[Int]]
        /// Whether a task may be split across breaks.
        public var splits: Bool
        public var maximumRun: MaximumRun?

        enum CodingKeys: String, CodingKey {
            case name, available, splits
            case workCentre = "work_centre"
            case maximumRun = "maximum_run"
        }
    }

    public struct Job: Codable, Sendable {
        public var order: String
        public var release: Int
        public var due: Int
        public var weight: Int
        /// Its task indexes, in an order that respects precedence.
        public var tasks: [Int]
    }

    public struct Option: Codable, Sendable {
        public var lane: Int
        public var duration: Int
    }

    public struct Task: Codable, Sendable {
        public var job: Int
        public var operation: String
        public var product: Int
        public var predecessors: [Int]
        public var options: [Option]
        /// The latest it may end, when set.
        public var deadline: Int?
    }

    /// A changeover between two products on a work centre's lanes: `seconds` of work in available time, or
    /// forbidden. A pair not listed needs none.
    public struct Changeover: Codable, Sendable {
        public var workCentre: String
        public var from: Int
        public var to: Int
        public var seconds: Int?
        public var forbidden: Bool

        enum CodingKeys: String, CodingKey {
            case from, to, seconds, forbidden
            case workCentre = "work_centre"
        }
    }

    public struct Frozen: Codable, Sendable {
        public var task: Int
        public var lane: Int
        public var start: Int
        public var end: Int
    }

    public var format: String
    public var origin: Date
    public var horizon: Int
    public var weights: Weights
    public var products: [String]
    public var lanes: [Lane]
    public var jobs: [Job]
    public var tasks: [Task]
    public var changeovers: [Changeover]
    public var frozen: [Frozen]

    /// The document for `problem` with the site's `weights`; refused when operations need crews (not in format 1).
    public init(_ problem: PlantProblem, weights: ScheduleWeights) throws(SchedulingError) {
        guard problem.tasks.allSatisfy(\.crew.isEmpty) else {
            throw .invalidPlant(
                "the plan assigns people to operations, which format 1 of the problem document does not describe")
        }
        format = Self.formatName
        origin = problem.origin
        horizon = problem.horizon
        self.weights = Weights(tardiness: weights.tardiness, changeover: weights.changeover, makespan: weights.makespan)
        products = problem.products.map(\.id)
        lanes = problem.lanes.map { lane in
            Lane(
                name: lane.name, workCentre: lane.workCentre, available: lane.available.map { [$0.start, $0.end] },
                splits: lane.splits,
                maximumRun: lane.maximumRun.map { .init(seconds: $0.maximum.seconds, clean: $0.taskDuration.seconds) })
        }
        jobs = problem.jobs.map {
            Job(order: $0.order.id, release: $0.release, due: $0.due, weight: $0.weight, tasks: $0.tasks)
        }
        tasks = problem.tasks.map { task in
            Task(
                job: task.job, operation: task.operation.id, product: task.product, predecessors: task.predecessors,
                options: task.options.map { Option(lane: $0.lane, duration: $0.duration) }, deadline: task.deadline)
        }
        var changeovers: [Changeover] = []
        let count = problem.products.count
        for (centre, matrix) in problem.changeovers.sorted(by: { $0.key < $1.key }) {
            for (index, entry) in matrix.enumerated() {
                switch entry {
                case .required(let duration, _, _)?:
                    changeovers.append(
                        .init(
                            workCentre: centre, from: index / count, to: index % count, seconds: duration.seconds,
                            forbidden: false))
                case .forbidden?:
                    changeovers.append(
                        .init(workCentre: centre, from: index / count, to: index % count, seconds: nil, forbidden: true)
                    )
                case nil: break
                }
            }
        }
        self.changeovers = changeovers
        frozen = problem.frozen.sorted { $0.key < $1.key }.map {
            Frozen(task: $0.key, lane: $0.value.lane, start: $0.value.start, end: $0.value.end)
        }
    }

    /// Reads a document, refusing another format.
    public static func read(_ data: Data) throws -> PlantProblemDocument {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let document = try decoder.decode(PlantProblemDocument.self, from: data)
        guard document.format == formatName else {
            throw SchedulingError.invalidPlant("format '\(document.format)': this Takt reads \(formatName)")
        }
        return document
    }

    /// The document as JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

/// A solution to a `PlantProblemDocument`: each task's lane, start and end, and its working pieces when it is split
/// across breaks (one piece `[start, end]` when absent). Any solver may write one; `PlantSolutionChecker` checks it.
public struct PlantSolutionDocument: Codable, Sendable {
    public static let formatName = "takt-plant-solution/1"

    public struct Assignment: Codable, Sendable {
        public var task: Int
        public var lane: Int
        public var start: Int
        public var end: Int
        public var pieces: [[Int]]?
    }

    public var format: String
    public var solver: String
    /// Seconds the solver ran, when it says.
    public var seconds: Double?
    public var tasks: [Assignment]

    public init(solver: String, seconds: Double?, tasks: [Assignment]) {
        format = Self.formatName
        self.solver = solver
        self.seconds = seconds
        self.tasks = tasks
    }

    /// Takt's schedule as a solution.
    public init(_ schedule: PlantSchedule, solver: String = "takt", seconds: Double? = nil) {
        self.init(
            solver: solver, seconds: seconds,
            tasks: schedule.slots.map { slot in
                Assignment(
                    task: slot.task, lane: slot.lane, start: slot.start, end: slot.end,
                    pieces: slot.pieces.count > 1 ? slot.pieces.map { [$0.lowerBound, $0.upperBound] } : nil)
            })
    }

    public static func read(_ data: Data) throws -> PlantSolutionDocument {
        let document = try JSONDecoder().decode(PlantSolutionDocument.self, from: data)
        guard document.format == formatName else {
            throw SchedulingError.invalidPlant("format '\(document.format)': this Takt reads \(formatName)")
        }
        return document
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
