import Foundation

/// What an hour costs at each work centre, and the overhead every cost carries: the site's `costs:` block.
///
/// Rates are in the site's currency. A work centre's hour is its machine rate plus its labour rate for each
/// person on it: the operation's crew, or one operator when the routing plans no crew. A shift may pay more
/// (`shift_labour: {night: 24}`, by the name the work centre's calendar gives the shift).
public struct CostRates: Hashable, Sendable, Codable {
    /// The rates of one work centre, per hour.
    public struct WorkCentre: Hashable, Sendable, Codable {
        /// What the machine costs per hour it is occupied (depreciation, energy, upkeep).
        public var machine: Double
        /// What one person costs per hour worked there.
        public var labour: Double
        /// One person's hourly rate on a named shift, where it differs (nights, weekends).
        public var shiftLabour: [String: Double]
        /// One person's hourly rate for work outside the calendar's shifts (overtime); the plain rate when nil.
        public var overtime: Double?

        public init(
            machine: Double = 0, labour: Double = 0, shiftLabour: [String: Double] = [:], overtime: Double? = nil
        ) {
            self.machine = machine
            self.labour = labour
            self.shiftLabour = shiftLabour
            self.overtime = overtime
        }

        /// One person's hourly rate outside the calendar's shifts.
        public var overtimeLabour: Double { overtime ?? labour }

        /// One person's hourly rate on `shift` (nil: the plain rate).
        public func labour(on shift: String?) -> Double { shift.flatMap { shiftLabour[$0] } ?? labour }
    }

    public var workCentres: [String: WorkCentre]
    /// Overhead as a share of direct cost (0.15: 15 % on materials, labour and machine time).
    public var overhead: Double

    public init(workCentres: [String: WorkCentre] = [:], overhead: Double = 0) {
        self.workCentres = workCentres
        self.overhead = overhead
    }

    /// True when the site set no rates at all: costs then come from recorded entries only.
    public var isEmpty: Bool { workCentres.isEmpty && overhead == 0 }
}

/// A calendar month, `YYYY-MM`: what budgets and monthly reports are kept by.
public struct CostMonth: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The month `date` falls in.
    public init(_ date: LocalDate) { self.init(year: date.year, month: date.month) }

    /// Parses `YYYY-MM`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]), (1...12).contains(month), year >= 1970
        else { return nil }
        self.init(year: year, month: month)
    }

    public var first: LocalDate { LocalDate(year: year, month: month, day: 1) }
    public var last: LocalDate { LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year)) }
    public var next: CostMonth {
        month == 12 ? CostMonth(year: year + 1, month: 1) : CostMonth(year: year, month: month + 1)
    }
    public var previous: CostMonth {
        month == 1 ? CostMonth(year: year - 1, month: 12) : CostMonth(year: year, month: month - 1)
    }

    /// The month from its first local midnight to the next month's, in `timeZone`.
    public func window(in timeZone: TimeZone) -> DateInterval {
        DateInterval(start: first.instant(in: timeZone), end: next.first.instant(in: timeZone))
    }

    public var description: String { String(format: "%04d-%02d", year, month) }

    public static func < (a: CostMonth, b: CostMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let month = CostMonth(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a month; write it as YYYY-MM")
        }
        self = month
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The amount agreed for one category of cost in one month, in the site's currency.
public struct BudgetLine: Hashable, Sendable, Codable {
    public var month: CostMonth
    /// `material`, `labour`, `machine`, `overhead`, or a category of recorded costs (`freight`, `repair`).
    public var category: String
    public var amount: Double
    public var currency: String
    public var setBy: String?
    public var setAt: Date

    public init(
        month: CostMonth, category: String, amount: Double, currency: String, setBy: String? = nil, setAt: Date
    ) {
        self.month = month
        self.category = category
        self.amount = amount
        self.currency = currency
        self.setBy = setBy
        self.setAt = setAt
    }
}
