import Foundation

/// When a work centre can work: weekly shifts in the site's local time, minus holidays, plus dated overtime,
/// minus exceptions.
public struct ShiftCalendar: Hashable, Sendable, Codable {
    /// A shift that repeats on the given weekdays. A shift whose end is not after its start runs past
    /// midnight (a night shift 22:00–06:00 belongs to the day it starts on).
    public struct Shift: Hashable, Sendable, Codable {
        public var name: String?
        public var days: [Weekday]
        public var start: LocalTime
        public var end: LocalTime

        public init(name: String? = nil, days: [Weekday], start: LocalTime, end: LocalTime) {
            self.name = name
            self.days = days
            self.start = start
            self.end = end
        }
    }

    /// A dated period with its reason: a maintenance window the work centre is closed in (`Exception`), or work
    /// added outside the weekly shifts (`Overtime`).
    public struct Period: Hashable, Sendable, Codable {
        public var from: Date
        public var to: Date
        public var reason: String

        public init(from: Date, to: Date, reason: String) {
            self.from = from
            self.to = to
            self.reason = reason
        }
    }

    /// A period in which the work centre is not available although a shift says it would be, such as a
    /// maintenance window.
    public typealias Exception = Period
    /// A dated period of work outside the weekly shifts, such as a Saturday overtime shift or a Sunday called in
    /// for a rush; costs count its hours at the overtime rate.
    public typealias Overtime = Period

    public var id: String
    public var shifts: [Shift]
    /// Local dates on which no shift starts.
    public var holidays: [LocalDate]
    /// Dated working time added to the shifts (it counts on a holiday too).
    public var overtime: [Overtime]
    /// Periods taken away from the shifts and the overtime.
    public var exceptions: [Exception]

    public init(
        id: String, shifts: [Shift], holidays: [LocalDate] = [], overtime: [Overtime] = [],
        exceptions: [Exception] = []
    ) {
        self.id = id
        self.shifts = shifts
        self.holidays = holidays
        self.overtime = overtime
        self.exceptions = exceptions
    }

    enum CodingKeys: String, CodingKey { case id, shifts, holidays, overtime, exceptions }

    /// Reads calendars written before overtime existed (no `overtime` key) as having none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        shifts = try container.decode([Shift].self, forKey: .shifts)
        holidays = try container.decode([LocalDate].self, forKey: .holidays)
        overtime = try container.decodeIfPresent([Overtime].self, forKey: .overtime) ?? []
        exceptions = try container.decode([Exception].self, forKey: .exceptions)
    }

    /// The available periods that overlap `window`, clipped to it, sorted and merged.
    public func availability(in window: DateInterval, timeZone: TimeZone) -> [DateInterval] {
        let holidaySet = Set(holidays)
        var periods: [DateInterval] = []
        // Start a day early so that a night shift begun yesterday is included.
        var day = LocalDate(window.start.addingTimeInterval(-86_400), in: timeZone)
        let lastDay = LocalDate(window.end, in: timeZone)
        while day <= lastDay {
            if !holidaySet.contains(day) {
                let weekday = Weekday(day, in: timeZone)
                for shift in shifts where shift.days.contains(weekday) {
                    let start = day.instant(at: shift.start, in: timeZone)
                    let endDay = shift.end > shift.start ? day : day.next(in: timeZone)
                    let end = endDay.instant(at: shift.end, in: timeZone)
                    if end > start { periods.append(DateInterval(start: start, end: end)) }
                }
            }
            day = day.next(in: timeZone)
        }
        periods += overtime.filter { $0.to > $0.from }.map { DateInterval(start: $0.from, end: $0.to) }
        var available = Self.merge(periods.compactMap { $0.intersection(with: window) }.filter { $0.duration > 0 })
        for exception in exceptions where exception.to > exception.from {
            available = Self.subtract(DateInterval(start: exception.from, end: exception.to), from: available)
        }
        return available
    }

    /// Sorted, with overlapping or touching intervals joined.
    public static func merge(_ intervals: [DateInterval]) -> [DateInterval] {
        var merged: [DateInterval] = []
        for interval in intervals.sorted(by: { $0.start < $1.start }) {
            if let last = merged.last, interval.start <= last.end {
                merged[merged.count - 1] = DateInterval(start: last.start, end: max(last.end, interval.end))
            } else {
                merged.append(interval)
            }
        }
        return merged
    }

    /// `intervals` with `gap` cut out of them.
    public static func subtract(_ gap: DateInterval, from intervals: [DateInterval]) -> [DateInterval] {
        intervals.flatMap { interval -> [DateInterval] in
            guard interval.start < gap.end, gap.start < interval.end else { return [interval] }
            var pieces: [DateInterval] = []
            if interval.start < gap.start { pieces.append(DateInterval(start: interval.start, end: gap.start)) }
            if gap.end < interval.end { pieces.append(DateInterval(start: gap.end, end: interval.end)) }
            return pieces
        }
    }
}
