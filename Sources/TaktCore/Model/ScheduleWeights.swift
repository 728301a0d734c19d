/// How much each part of the scheduling objective weighs, per minute (hard rules are never traded). The
/// defaults put weighted tardiness first, then changeover time, then makespan.
public struct ScheduleWeights: Hashable, Sendable, Codable {
    public var tardiness: Double
    public var changeover: Double
    public var makespan: Double
    /// Rescheduling only: cost of each task that moves.
    public var stability: Double

    public init(tardiness: Double = 100, changeover: Double = 10, makespan: Double = 1, stability: Double = 5) {
        self.tardiness = tardiness
        self.changeover = changeover
        self.makespan = makespan
        self.stability = stability
    }
}
