import Foundation

/// Schedule adherence of one site-local day, the one definition every site and central use:
///
/// **adherence = orders finished on time ÷ orders due that day.**
///
/// - An order is *due that day* when its due time falls on the day in the site's time zone; one due at midnight
///   is due by the end of the day before (an order imported as due on 1 December is due at the midnight that ends
///   it). A cancelled order is not counted.
/// - An order finished (reported complete) at or before its due time is *on time*; one finished after it is late.
/// - An order still open after its due time is late.
/// - An order still open before its due time is judged by the plan of record, the site's current plan: on time
///   when the plan finishes it by its due time, late when the plan finishes it later or could not plan it.
///
/// So during the day the figure says how the day is going to end by the plan; once every order due that day is
/// finished or past due it is final. A day with no orders due has no adherence (not 100 %).
public struct DayAdherence: Hashable, Sendable, Codable {
    /// One order as adherence needs it.
    public struct Outcome: Hashable, Sendable {
        public var order: String
        public var due: Date
        /// When it was reported complete; nil while open.
        public var completedAt: Date?
        public var cancelled: Bool

        public init(order: String, due: Date, completedAt: Date? = nil, cancelled: Bool = false) {
            self.order = order
            self.due = due
            self.completedAt = completedAt
            self.cancelled = cancelled
        }
    }

    /// The site-local day, `YYYY-MM-DD`.
    public var day: LocalDate
    /// Orders due that day.
    public var due: Int
    /// Of them, finished on time (or, while open before their due time, planned to).
    public var onTime: Int
    /// The late orders (finished late, open past due, or planned late), by due time; at most `lateListLimit`.
    public var late: [Late]

    /// One late order: when it was due, and when it finished (`finished`) or the plan finishes it (nil when it
    /// is open and not planned).
    public struct Late: Hashable, Sendable, Codable {
        public var order: String
        public var due: Date
        public var finish: Date?
        public var finished: Bool

        public init(order: String, due: Date, finish: Date?, finished: Bool) {
            self.order = order
            self.due = due
            self.finish = finish
            self.finished = finished
        }

        /// How late it is at `now`: finish − due, or for an open order past due, at least now − due.
        public func lateSeconds(now: Date) -> Int {
            let end = finished ? (finish ?? due) : max(finish ?? now, now)
            return max(0, Int(end.timeIntervalSince(due).rounded()))
        }
    }

    /// How many late orders a day's record names (the count is always `due - onTime`).
    public static let lateListLimit = 200

    public init(day: LocalDate, due: Int, onTime: Int, late: [Late]) {
        self.day = day
        self.due = due
        self.onTime = onTime
        self.late = late
    }

    /// On time ÷ due; nil when nothing was due.
    public var share: Double? { due == 0 ? nil : Double(onTime) / Double(due) }

    /// Orders late that day.
    public var lateCount: Int { due - onTime }

    /// The day an order due at `due` counts on: midnight belongs to the day it ends.
    public static func day(of due: Date, in zone: TimeZone) -> LocalDate {
        LocalDate(due.addingTimeInterval(-0.001), in: zone)
    }

    /// The due times that count on `day`: after its first midnight, up to and including its last.
    public static func window(of day: LocalDate, in zone: TimeZone) -> DateInterval {
        DateInterval(start: day.instant(in: zone), end: day.adding(days: 1).instant(in: zone))
    }

    /// Judges `day` at `now` from every order due in it (others are ignored) and the plan of record's finish
    /// per open order (`plannedFinish`; an open order missing from it is not planned).
    public static func judge(
        day: LocalDate, orders: [Outcome], plannedFinish: [String: Date], now: Date, zone: TimeZone
    ) -> DayAdherence {
        let ofDay = orders.filter { !$0.cancelled && Self.day(of: $0.due, in: zone) == day }
            .sorted { ($0.due, $0.order) < ($1.due, $1.order) }
        var late: [Late] = []
        for order in ofDay {
            let onTime: Bool
            let finish = order.completedAt ?? plannedFinish[order.order]
            if let completed = order.completedAt {
                onTime = completed <= order.due
            } else if now > order.due {
                onTime = false
            } else {
                onTime = finish.map { $0 <= order.due } ?? false
            }
            if !onTime {
                late.append(
                    Late(order: order.order, due: order.due, finish: finish, finished: order.completedAt != nil))
            }
        }
        return DayAdherence(
            day: day, due: ofDay.count, onTime: ofDay.count - late.count,
            late: Array(late.prefix(lateListLimit)))
    }
}
