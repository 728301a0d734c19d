/// A line, machine or station that does work: the scheduler's resource.
public struct WorkCentre: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// How many operations it can run at once (1 for a single line).
    public var capacity: Int
    /// The id of its shift calendar; nil means it is always available.
    public var calendar: String?
    /// Whether an operation may be split across an unavailable period (a weekend) instead of waiting for a
    /// gap long enough to hold all of it.
    public var splitsAcrossBreaks: Bool

    public init(id: String, name: String, capacity: Int = 1, calendar: String? = nil, splitsAcrossBreaks: Bool = false)
    {
        self.id = id
        self.name = name
        self.capacity = capacity
        self.calendar = calendar
        self.splitsAcrossBreaks = splitsAcrossBreaks
    }
}
