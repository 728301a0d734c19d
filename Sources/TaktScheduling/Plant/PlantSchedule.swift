import Foundation
import TaktCore

/// A schedule of a `PlantProblem`: for each task its lane and times, with the changeover or clean before it.
public struct PlantSchedule: Sendable {
    /// The changeover or clean a lane does before a task.
    public struct Setup: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable, Codable {
            case changeover, clean
        }
        public var kind: Kind
        public var start: Int
        public var end: Int
        /// Seconds of work in it (it may be split across breaks).
        public var work: Int
        public var task: String
        public var rule: RuleID?
    }

    public struct Slot: Hashable, Sendable {
        public var task: Int
        public var lane: Int
        public var start: Int
        public var end: Int
        /// The working pieces when the task is split across breaks; one piece otherwise.
        public var pieces: [ClosedRange<Int>]
        /// Setups done on the lane right before it (a clean, then a changeover).
        public var setups: [Setup]
        /// When the task could have started: its job's release and its predecessors' ends.
        public var ready: Int
        /// When its lane was free of the previous task.
        public var laneFree: Int
        public var frozen: Bool
        /// The people on each piece (person indexes), for a task with a crew.
        public var crews: [[Int]] = []
        /// How long it waited for people after its work centre could have run it, and which skill was short then.
        public var peopleWait: Int = 0
        public var peopleShort: String?
        public var peopleShortAt: Int = 0
    }

    public var slots: [Slot]
    /// Task indexes per lane, in run order.
    public var lanes: [[Int]]
    public var jobEnd: [Int]
    public var weightedTardiness: Int
    public var changeoverSeconds: Int
    public var makespan: Int

    /// The late jobs, by how late.
    public func lateJobs(in problem: PlantProblem) -> [(job: Int, lateness: Int)] {
        problem.jobs.indices.compactMap { job in
            let late = jobEnd[job] - problem.jobs[job].due
            return late > 0 ? (job, late) : nil
        }.sorted { $0.lateness > $1.lateness }
    }
}
