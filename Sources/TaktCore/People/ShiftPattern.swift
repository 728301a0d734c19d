import Foundation

/// A rotating shift pattern: a cycle of days, each either off or a named shift, worked by teams that start the
/// cycle a fixed number of days apart, so every day is covered.
///
/// `2-2-3` (Panama), `4-on-4-off` and `continental` are built in; a site may give its own cycle.
public struct ShiftPattern: Hashable, Sendable, Codable {
    /// One shift of the pattern: a letter in the cycle and its local start and end (an end not after the start
    /// runs past midnight).
    public struct Shift: Hashable, Sendable, Codable {
        public var code: Character
        public var start: LocalTime
        public var end: LocalTime
        /// Unpaid break taken in it.
        public var breakTime: TimeSpan

        public init(code: Character, start: LocalTime, end: LocalTime, breakTime: TimeSpan = .minutes(30)) {
            self.code = code
            self.start = start
            self.end = end
            self.breakTime = breakTime
        }

        enum CodingKeys: String, CodingKey { case code, start, end, breakTime = "break_time" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let text = try container.decode(String.self, forKey: .code)
            guard text.count == 1, let code = text.first else {
                throw DecodingError.dataCorruptedError(
                    forKey: .code, in: container, debugDescription: "a shift's code is one letter")
            }
            self.code = code
            start = try container.decode(LocalTime.self, forKey: .start)
            end = try container.decode(LocalTime.self, forKey: .end)
            breakTime = try container.decodeIfPresent(TimeSpan.self, forKey: .breakTime) ?? .minutes(30)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(String(code), forKey: .code)
            try container.encode(start, forKey: .start)
            try container.encode(end, forKey: .end)
            try container.encode(breakTime, forKey: .breakTime)
        }
    }

    public var id: String
    /// One letter per day: a shift's code, or `-` for a day off.
    public var cycle: String
    public var shifts: [Shift]
    /// How many teams work it; team k starts the cycle `offset × k` days in.
    public var teams: Int
    public var offset: Int

    public init(id: String, cycle: String, shifts: [Shift], teams: Int, offset: Int) {
        self.id = id
        self.cycle = cycle
        self.shifts = shifts
        self.teams = teams
        self.offset = offset
    }

    /// The built-in patterns, by id.
    public static let builtIn: [String: ShiftPattern] = {
        let day = Shift(code: "D", start: LocalTime(hour: 7, minute: 0), end: LocalTime(hour: 19, minute: 0))
        let night = Shift(code: "N", start: LocalTime(hour: 19, minute: 0), end: LocalTime(hour: 7, minute: 0))
        let morning = Shift(code: "M", start: LocalTime(hour: 6, minute: 0), end: LocalTime(hour: 14, minute: 0))
        let afternoon = Shift(code: "A", start: LocalTime(hour: 14, minute: 0), end: LocalTime(hour: 22, minute: 0))
        let lateNight = Shift(code: "N", start: LocalTime(hour: 22, minute: 0), end: LocalTime(hour: 6, minute: 0))
        return [
            // Panama: 12-hour shifts, two teams on days and two on nights, 2 on, 2 off, 3 on, 2 off, 2 on, 3 off.
            "2-2-3": ShiftPattern(
                id: "2-2-3", cycle: "DD--DDD--DD---NN--NNN--NN---", shifts: [day, night], teams: 4, offset: 7),
            // Four 12-hour days, four off, four nights, four off.
            "4-on-4-off": ShiftPattern(
                id: "4-on-4-off", cycle: "DDDD----NNNN----", shifts: [day, night], teams: 4, offset: 4),
            // Continental: 8-hour shifts rotating forward (mornings, afternoons, nights) on a 28-day cycle.
            "continental": ShiftPattern(
                id: "continental", cycle: "MMAANNN--MMAAAAANN---NN--MMM", shifts: [morning, afternoon, lateNight],
                teams: 4, offset: 7),
        ]
    }()

    /// What is wrong with the pattern, empty when nothing: unknown letters, a cycle without work, teams that do
    /// not fit the cycle.
    public var problems: [String] {
        var found: [String] = []
        let codes = Set(shifts.map(\.code))
        if cycle.isEmpty { found.append("the cycle is empty") }
        for letter in Set(cycle) where letter != "-" && !codes.contains(letter) {
            found.append(
                "the cycle uses '\(letter)', which is not one of its shifts (\(codes.map(String.init).sorted().joined(separator: ", ")))"
            )
        }
        if !cycle.isEmpty, cycle.allSatisfy({ $0 == "-" }) { found.append("the cycle has no working day") }
        if cycle.count > 366 { found.append("a cycle is at most 366 days, not \(cycle.count)") }
        if !(1...52).contains(teams) { found.append("a pattern has 1 to 52 teams, not \(teams)") }
        if !(0...366).contains(offset) { found.append("the offset between teams is 0 to 366 days, not \(offset)") }
        return found
    }

    /// The shifts `teams` (each a list of staff ids) work from `from` for `days` days, in the site's time zone.
    public func assignments(teams members: [[String]], from: LocalDate, days: Int, timeZone: TimeZone)
        -> [ShiftAssignment]
    {
        let letters = Array(cycle)
        guard !letters.isEmpty else { return [] }
        var result: [ShiftAssignment] = []
        for (team, people) in members.enumerated() {
            for index in 0..<max(0, days) {
                let position = ((index + team * offset) % letters.count + letters.count) % letters.count
                guard let shift = shifts.first(where: { $0.code == letters[position] }) else { continue }
                let day = from.adding(days: index)
                let start = day.instant(at: shift.start, in: timeZone)
                let end = (shift.end > shift.start ? day : day.adding(days: 1)).instant(at: shift.end, in: timeZone)
                for person in people {
                    result.append(ShiftAssignment(staff: person, start: start, end: end, breakTime: shift.breakTime))
                }
            }
        }
        return result.sorted { ($0.start, $0.staff) < ($1.start, $1.staff) }
    }
}
