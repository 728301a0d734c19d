import Foundation
import TaktCore

/// Capable-to-promise: the earliest a new order can finish on the current plan without making any committed
/// order later than it already is, and, for a date the customer asks for, what meeting it would cost the others.
///
/// The plan's job sequence is decoded with the new order last (nothing moves: the baseline). Each committed
/// order's promise is then its due date, or its baseline end where that is later. The new order is inserted at
/// every position the search visits (a binary search for the earliest position where every promise holds, a scan
/// around it, and the first position), each decoded by the same decoder the scheduler uses, so calendars,
/// changeovers, maximum runs, crews, started work and material readiness all count. Inserting earlier mostly
/// pushes others later, so the answer is close to the earliest the sequence allows; it is a heuristic on the whole
/// problem, not a proof, but whatever it answers keeps every promise (each candidate is checked in full).
public enum CapableToPromise {
    /// What the search found.
    public struct Answer: Sendable {
        /// The plan with the new order in it.
        public var schedule: PlantSchedule
        /// Where in the sequence the new order went.
        public var position: Int
        /// The new order's end, in seconds from the origin.
        public var end: Int
        /// Committed orders that would finish later than their promise, with their end before and after.
        public var slips: [(job: Int, promise: Int, end: Int)]
    }

    /// Why no answer could be found.
    public enum Failure: Error, Sendable {
        /// Even last in the sequence the new order does not fit the horizon (or its work centres forbid it).
        case doesNotFit
        /// The plan's own sequence no longer decodes (a work centre blocked since): plan again first.
        case planNoLongerFits
    }

    /// The earliest end for `newJob` that keeps every other job within its promise, with the baseline and the
    /// sequence the search used (the plan's, or the construction's when the plan's no longer decodes).
    ///
    /// - Parameters:
    ///   - sequence: the committed jobs in the plan's order (every job but `newJob`, each once).
    ///   - window: how many positions either side of the binary search's answer are also tried.
    public static func earliest(
        _ problem: PlantProblem, newJob: Int, sequence: [Int], window: Int = 12
    ) -> Result<(answer: Answer, baseline: PlantSchedule, sequence: [Int]), Failure> {
        var decoder = PlantDecoder(problem: problem)
        // Every decode holds every job (the decoder fills a slot for each task): the new order goes last.
        var sequence = sequence
        let baseline: PlantSchedule
        switch decoder.decode(sequence + [newJob]) {
        case .success(let schedule): baseline = schedule
        case .failure(.forbidden(let job, _)), .failure(.beyondHorizon(let job, _)):
            if job == newJob { return .failure(.doesNotFit) }
            // The plan's own order no longer decodes (a block or a lapse since): the construction's order instead.
            sequence = PlantScheduler.constructionOrder(problem).filter { $0 != newJob }
            guard case .success(let schedule) = decoder.decode(sequence + [newJob]) else {
                return .failure(.planNoLongerFits)
            }
            baseline = schedule
        }
        var insertion = Insertion(decoder: decoder, sequence: sequence, newJob: newJob, baseline: baseline)
        var low = 0
        var high = sequence.count
        while low < high {
            let middle = (low + high) / 2
            if let answer = insertion.attempt(middle), answer.slips.isEmpty { high = middle } else { low = middle + 1 }
        }
        var best = Answer(schedule: baseline, position: sequence.count, end: baseline.jobEnd[newJob], slips: [])
        // Around the search's answer, and first in line (the earliest any position can give).
        for position in [0] + Array(max(1, low - window)...max(1, min(sequence.count, low + window)))
        where position <= sequence.count {
            guard let answer = insertion.attempt(position), answer.slips.isEmpty else { continue }
            if answer.end < best.end || (answer.end == best.end && answer.position > best.position) { best = answer }
        }
        return .success((best, baseline, sequence))
    }

    /// The latest position at which `newJob` ends by `target`, whatever it does to the others; nil when even first
    /// in the sequence it ends later (the answer then is that first position, with `end` past the target).
    public static func meeting(
        _ target: Int, _ problem: PlantProblem, newJob: Int, sequence: [Int], baseline: PlantSchedule
    ) -> Answer? {
        var insertion = Insertion(
            decoder: PlantDecoder(problem: problem), sequence: sequence, newJob: newJob, baseline: baseline)
        guard let front = insertion.attempt(0) else { return nil }
        guard front.end <= target else { return front }
        // Latest position still meeting the target: ends grow as the order moves back in the sequence.
        var low = 0
        var high = sequence.count
        var found = front
        while low < high {
            let middle = (low + high + 1) / 2
            if let answer = insertion.attempt(middle), answer.end <= target {
                found = answer
                low = middle
            } else {
                high = middle - 1
            }
        }
        return found
    }

    /// The new order tried at a place in the committed sequence, judged against every other order's promise (its due
    /// date, or its end in the baseline where that is later).
    struct Insertion {
        var decoder: PlantDecoder
        let sequence: [Int]
        let newJob: Int
        let promise: [Int]

        init(decoder: PlantDecoder, sequence: [Int], newJob: Int, baseline: PlantSchedule) {
            let problem = decoder.problem
            self.decoder = decoder
            self.sequence = sequence
            self.newJob = newJob
            promise = problem.jobs.indices.map { max(problem.jobs[$0].due, baseline.jobEnd[$0]) }
        }

        /// The plan with the new order at `position`; nil when that does not decode.
        mutating func attempt(_ position: Int) -> Answer? {
            var candidate = sequence
            candidate.insert(newJob, at: position)
            guard case .success(let schedule) = decoder.decode(candidate) else { return nil }
            let slips = promise.indices.filter { $0 != newJob && schedule.jobEnd[$0] > promise[$0] }
                .map { (job: $0, promise: promise[$0], end: schedule.jobEnd[$0]) }
            return Answer(schedule: schedule, position: position, end: schedule.jobEnd[newJob], slips: slips)
        }
    }

    /// Why the new order ends when it does: where its time went from the origin, most first.
    public static func reasons(_ problem: PlantProblem, _ schedule: PlantSchedule, job: Int) -> [String] {
        var asked = problem
        asked.jobs[job].due = 0
        return LatenessExplainer(problem: asked, schedule: schedule).explain(job: job, lateness: schedule.jobEnd[job])
            .reasons
    }
}
