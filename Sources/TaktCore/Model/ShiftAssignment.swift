import Foundation

/// One person rostered to work from `start` to `end`, with the break they take in it.
public struct ShiftAssignment: Hashable, Sendable, Codable {
    public var staff: String
    public var start: Date
    public var end: Date
    /// Unpaid break taken within the shift.
    public var breakTime: TimeSpan
    public var workCentre: String?

    public init(
        staff: String, start: Date, end: Date, breakTime: TimeSpan = TimeSpan(seconds: 0), workCentre: String? = nil
    ) {
        self.staff = staff
        self.start = start
        self.end = end
        self.breakTime = breakTime
        self.workCentre = workCentre
    }

    /// Time at work, without the break, in hours.
    public var workedHours: Double { max(0, end.timeIntervalSince(start) - Double(breakTime.seconds)) / 3600 }
    /// Time from start to end, in hours.
    public var spanHours: Double { end.timeIntervalSince(start) / 3600 }
}

/// A lot taken from stock for use or dispatch.
public struct LotIssue: Hashable, Sendable, Codable {
    public var lot: String
    public var by: String?
    public var at: Date

    public init(lot: String, by: String? = nil, at: Date) {
        self.lot = lot
        self.by = by
        self.at = at
    }
}
