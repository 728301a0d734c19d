import Foundation
import TaktCore

/// The working-time law of one country, as rules that judge a roster entry against the same person's others.
public struct WorkingTimeProfile: Sendable {
    /// The countries Takt knows the law of.
    public enum Country: String, Codable, Sendable, CaseIterable {
        /// Working Time Directive 2003/88/EC.
        case eu
        /// Ley Federal del Trabajo.
        case mexico
        /// Employment Act 1955, as amended in 2022.
        case malaysia
        /// Organisation of Working Time Act 1997 (the directive as Ireland enacts it).
        case ireland

        /// The law that applies where the site is, from its ISO 3166 code, when the site does not name one.
        static func forCountry(_ code: String?) -> Country? {
            guard let code = code?.split(separator: "-").first.map(String.init) else { return nil }
            switch code {
            case "IE": return .ireland
            case "MX": return .mexico
            case "MY": return .malaysia
            case "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IT", "LV", "LT", "LU",
                "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE":
                return .eu
            default: return nil
            }
        }
    }

    public var country: Country
    public var referenceWeeks: Int
    public var minimumBreak: TimeSpan

    /// One rule per limit, each named so that a refusal says which.
    func rules() -> [WorkingTimeRule] {
        let limits: [WorkingTimeRule.Limit]
        switch country {
        case .eu:
            limits = [
                .euAverageWeek(referenceWeeks: referenceWeeks), .euDailyRest, .euWeeklyRest, .euBreak(minimumBreak),
            ]
        case .mexico:
            limits = [.mxDailyOvertime, .mxOvertimeDaysPerWeek, .mxRestDay]
        case .malaysia:
            limits = [.myMonthlyOvertime]
        case .ireland:
            limits = [
                .euAverageWeek(referenceWeeks: referenceWeeks), .euDailyRest, .euWeeklyRest, .ieBreaks,
            ]
        }
        return limits.map(WorkingTimeRule.init)
    }
}

/// One working-time limit; it judges `.assignment` events with the person's other roster entries.
struct WorkingTimeRule: EventRule {
    enum Limit: Sendable {
        case euAverageWeek(referenceWeeks: Int)
        case euDailyRest
        case euWeeklyRest
        case euBreak(TimeSpan)
        /// 15 minutes after 4 h 30 of work, 30 minutes after 6 h (Organisation of Working Time Act 1997, s. 12).
        case ieBreaks
        case mxDailyOvertime
        case mxOvertimeDaysPerWeek
        case mxRestDay
        case myMonthlyOvertime
    }

    let limit: Limit

    init(_ limit: Limit) { self.limit = limit }

    var id: RuleID {
        switch limit {
        case .euAverageWeek: return "overseas_plant.eu.average_week"
        case .euDailyRest: return "overseas_plant.eu.daily_rest"
        case .euWeeklyRest: return "overseas_plant.eu.weekly_rest"
        case .euBreak: return "overseas_plant.eu.break"
        case .ieBreaks: return "overseas_plant.ie.breaks"
        case .mxDailyOvertime: return "overseas_plant.mx.daily_overtime"
        case .mxOvertimeDaysPerWeek: return "overseas_plant.mx.overtime_days"
        case .mxRestDay: return "overseas_plant.mx.rest_day"
        case .myMonthlyOvertime: return "overseas_plant.my.monthly_overtime"
        }
    }

    var summary: String {
        switch limit {
        case .euAverageWeek(let weeks): return "at most 48 h a week on average over \(weeks) weeks (2003/88/EC art. 6)"
        case .euDailyRest: return "11 consecutive hours of rest between working days (2003/88/EC art. 3)"
        case .euWeeklyRest: return "24 hours of uninterrupted rest in every 7 days (2003/88/EC art. 5)"
        case .euBreak(let pause): return "a break of at least \(pause) when the day exceeds 6 h (2003/88/EC art. 4)"
        case .ieBreaks:
            return "a break of 15 min after 4 h 30 of work and of 30 min after 6 h (Organisation of Working Time "
                + "Act 1997, s. 12)"
        case .mxDailyOvertime:
            return "day shift 8 h, night 7 h, mixed 7.5 h, plus at most 3 h overtime (LFT arts. 61, 66)"
        case .mxOvertimeDaysPerWeek: return "overtime on at most 3 days a week (LFT art. 66)"
        case .mxRestDay: return "one rest day for every six days worked (LFT art. 69)"
        case .myMonthlyOvertime:
            return "overtime beyond 8 h a day or 45 h a week at most 104 h a month (Employment Act 1955 s. 60A)"
        }
    }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .assignment(let shift) = event else { return [] }
        let others = context.assignments.filter { $0.staff == shift.staff }
        let all = (others + [shift]).sorted { $0.start < $1.start }
        guard let problem = judge(shift, all: all, zone: context.timeZone) else { return [] }
        return [
            Finding(
                rule: id, severity: .critical, subject: .init(.staff, shift.staff), message: problem,
                actions: [FindingAction(.correctiveAction, "change the roster")], raisedAt: context.now)
        ]
    }

    private func judge(_ shift: ShiftAssignment, all: [ShiftAssignment], zone: TimeZone) -> String? {
        switch limit {
        case .euAverageWeek(let weeks):
            let window = DateInterval(start: shift.end.addingTimeInterval(-Double(weeks) * 7 * 86_400), end: shift.end)
            let total = all.filter { $0.start >= window.start && $0.end <= window.end }.map(\.workedHours).reduce(0, +)
            let average = total / Double(weeks)
            return average > 48 ? "\(hours(average)) h a week on average over \(weeks) week(s) is above 48 h" : nil
        case .euDailyRest:
            let before = all.last { $0.end <= shift.start && $0 != shift }
            let after = all.first { $0.start >= shift.end && $0 != shift }
            if let before, shift.start.timeIntervalSince(before.end) < 11 * 3600 {
                return
                    "only \(hours(shift.start.timeIntervalSince(before.end) / 3600)) h of rest after the shift ending \(Instant.format(before.end, in: zone)); 11 h required"
            }
            if let after, after.start.timeIntervalSince(shift.end) < 11 * 3600 {
                return
                    "only \(hours(after.start.timeIntervalSince(shift.end) / 3600)) h of rest before the shift starting \(Instant.format(after.start, in: zone)); 11 h required"
            }
            return nil
        case .euWeeklyRest:
            let week: TimeInterval = 7 * 86_400
            let starts =
                [shift.start.addingTimeInterval(-week)]
                + all.map(\.start).filter {
                    $0 >= shift.start.addingTimeInterval(-week) && $0 <= shift.start
                }
            for start in starts {
                let window = DateInterval(start: start, duration: week)
                if longestRest(in: window, all: all) < 24 * 3600 {
                    return "no 24 h of uninterrupted rest in the 7 days from \(Instant.format(start, in: zone))"
                }
            }
            return nil
        case .euBreak(let pause):
            guard shift.spanHours > 6, shift.breakTime < pause else { return nil }
            return
                "a \(hours(shift.spanHours)) h day needs a break of at least \(pause); \(shift.breakTime) is rostered"
        case .ieBreaks:
            let needed: TimeSpan? = shift.spanHours > 6 ? .minutes(30) : shift.spanHours > 4.5 ? .minutes(15) : nil
            guard let needed, shift.breakTime < needed else { return nil }
            return "a \(hours(shift.spanHours)) h shift needs a break of at least \(needed) (Organisation of Working "
                + "Time Act 1997, s. 12); \(shift.breakTime) is rostered"
        case .mxDailyOvertime:
            let (kind, limit) = Self.mexicanShift(shift, zone: zone)
            let overtime = shift.spanHours - limit
            return overtime > 3
                ? "a \(hours(shift.spanHours)) h \(kind) shift is \(hours(overtime)) h over the \(hours(limit)) h day; at most 3 h of overtime"
                : nil
        case .mxOvertimeDaysPerWeek:
            guard Self.mexicanOvertime(shift, zone: zone) > 0 else { return nil }
            let week = Self.weekStart(of: shift.start, zone: zone)
            let days = all.filter {
                Self.weekStart(of: $0.start, zone: zone) == week && Self.mexicanOvertime($0, zone: zone) > 0
            }
            let dates = Set(days.map { LocalDate($0.start, in: zone) })
            return dates.count > 3 ? "overtime on \(dates.count) days in the week of \(week); at most 3" : nil
        case .mxRestDay:
            let dates = Set(all.map { LocalDate($0.start, in: zone) })
            var run = 1
            var day = LocalDate(shift.start, in: zone)
            while dates.contains(Self.previous(day, zone: zone)) {
                day = Self.previous(day, zone: zone)
                run += 1
            }
            day = LocalDate(shift.start, in: zone)
            while dates.contains(day.next(in: zone)) {
                day = day.next(in: zone)
                run += 1
            }
            return run > 6 ? "\(run) days in a row without a rest day; one rest day for every six worked" : nil
        case .myMonthlyOvertime:
            let month = { (date: Date) -> String in String(LocalDate(date, in: zone).description.prefix(7)) }
            let inMonth = all.filter { month($0.start) == month(shift.start) }
            var overtime = inMonth.map { max(0, $0.workedHours - 8) }.reduce(0, +)
            let weeks = Dictionary(grouping: inMonth) { Self.weekStart(of: $0.start, zone: zone) }
            for (_, shifts) in weeks {
                let normal = shifts.map { min($0.workedHours, 8) }.reduce(0, +)
                overtime += max(0, normal - 45)
            }
            return overtime > 104
                ? "\(hours(overtime)) h of overtime in \(month(shift.start)); at most 104 h a month" : nil
        }
    }

    private func longestRest(in window: DateInterval, all: [ShiftAssignment]) -> TimeInterval {
        var cursor = window.start
        var longest: TimeInterval = 0
        for shift in all where shift.end > window.start && shift.start < window.end {
            longest = max(longest, shift.start.timeIntervalSince(cursor))
            cursor = max(cursor, shift.end)
        }
        return max(longest, window.end.timeIntervalSince(cursor))
    }

    /// The kind of a Mexican shift and its ordinary length: day (06:00–20:00) 8 h, night 7 h, mixed 7.5 h; a
    /// shift with 3.5 h or more of night counts as night (LFT art. 60).
    static func mexicanShift(_ shift: ShiftAssignment, zone: TimeZone) -> (String, Double) {
        var night: TimeInterval = 0
        var day = LocalDate(shift.start.addingTimeInterval(-86_400), in: zone)
        while day.instant(in: zone) < shift.end {
            let from = day.instant(at: LocalTime(hour: 20, minute: 0), in: zone)
            let to = day.next(in: zone).instant(at: LocalTime(hour: 6, minute: 0), in: zone)
            night += max(0, min(to, shift.end).timeIntervalSince(max(from, shift.start)))
            day = day.next(in: zone)
        }
        let nightHours = night / 3600
        if nightHours == 0 { return ("day", 8) }
        if nightHours >= 3.5 || nightHours >= shift.spanHours { return ("night", 7) }
        return ("mixed", 7.5)
    }

    static func mexicanOvertime(_ shift: ShiftAssignment, zone: TimeZone) -> Double {
        max(0, shift.spanHours - mexicanShift(shift, zone: zone).1)
    }

    static func weekStart(of date: Date, zone: TimeZone) -> LocalDate {
        var day = LocalDate(date, in: zone)
        while Weekday(day, in: zone) != .mon { day = previous(day, zone: zone) }
        return day
    }

    static func previous(_ day: LocalDate, zone: TimeZone) -> LocalDate {
        LocalDate(day.instant(at: LocalTime(hour: 12, minute: 0), in: zone).addingTimeInterval(-86_400), in: zone)
    }

    private func hours(_ value: Double) -> String { CriticalLimits.format((value * 100).rounded() / 100) }
}
