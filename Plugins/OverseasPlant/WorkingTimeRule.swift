import Foundation
import TaktCore

/// One working-time limit; it judges `.assignment` events with the person's other roster entries, by the law in
/// force on the shift's local date (`WorkingTimeLaw.table`), and says the number and where it comes from.
struct WorkingTimeRule: EventRule {
    enum Limit: Sendable {
        case averageWeek(referenceWeeks: Int)
        case dailyRest
        case weeklyRest
        /// 24 h less the 11 h of daily rest: a longer working day cannot be lawful.
        case workingDay
        case breaks(TimeSpan)
        /// 15 minutes after 4 h 30 of work, 30 minutes after 6 h (Organisation of Working Time Act 1997, s. 12).
        case ieBreaks
        /// Workers under 18: 8 h a day, 40 h a week, 12 h daily rest, 48 h in 7 days, 30 min after 4 h 30.
        case youngWorkers
        /// A night worker's normal hours: at most 8 on average per 24 h over the reference period (no opt-out).
        case nightWork(referenceWeeks: Int)
        case mxDailyOvertime
        case mxOvertimeDaysPerWeek
        /// Overtime in the week (beyond the ordinary day or the ordinary week in force).
        case mxWeek
        case mxBreak
        /// One rest day after at most six days worked.
        case restDay
        /// 12 h of work a day with overtime; a 10 h spread-over for a day without.
        case myWorkingDay
        case myBreak
        case myMonthlyOvertime
    }

    let limit: Limit
    let prefix: String
    let jurisdiction: String

    init(_ limit: Limit, prefix: String, jurisdiction: String) {
        self.limit = limit
        self.prefix = prefix
        self.jurisdiction = jurisdiction
    }

    var id: RuleID {
        let name: String
        switch limit {
        case .averageWeek: name = "average_week"
        case .dailyRest: name = "daily_rest"
        case .weeklyRest: name = "weekly_rest"
        case .workingDay: name = "working_day"
        case .breaks: name = "break"
        case .ieBreaks: return "overseas_plant.ie.breaks"
        case .youngWorkers: name = "young_workers"
        case .nightWork: name = "night_work"
        case .mxDailyOvertime: name = "daily_overtime"
        case .mxOvertimeDaysPerWeek: name = "overtime_days"
        case .mxWeek: name = "week"
        case .mxBreak, .myBreak: name = "break"
        case .restDay: name = "rest_day"
        case .myWorkingDay: name = "working_day"
        case .myMonthlyOvertime: name = "monthly_overtime"
        }
        return RuleID(stringLiteral: "overseas_plant.\(prefix).\(name)")
    }

    /// The number `id` in force here on `day`.
    func law(_ id: String, on day: LocalDate) -> LegalLimit? {
        WorkingTimeLaw.table.limit(id, in: jurisdiction, on: day)
    }

    /// The number `id` in force today-or-always, for the summary `takt site show` prints.
    func current(_ id: String) -> String {
        guard
            let row = WorkingTimeLaw.table.rows.first(where: {
                $0.id == id && $0.jurisdiction == jurisdiction && $0.until == nil
            })
        else { return "?" }
        return "\(CriticalLimits.format(row.value)) \(row.unit) (\(row.citation))"
    }

    var summary: String {
        typealias L = WorkingTimeLaw
        switch limit {
        case .averageWeek(let weeks):
            return "at most \(current(L.averageWeek)) on average over every \(weeks)-week period"
        case .dailyRest: return "at least \(current(L.dailyRest)) of rest between working days"
        case .weeklyRest:
            return "at least \(current(L.weeklyRest)) of uninterrupted rest in every 7 days, or two of "
                + current(L.fortnightRest) + " in every 14"
        case .workingDay: return "a working day of at most \(current(L.workingDay))"
        case .breaks(let pause):
            return "a break of at least \(pause) when the day exceeds \(current(L.breakAfter))"
        case .ieBreaks:
            return "a break of 15 min after 4 h 30 of work and of 30 min after 6 h (Organisation of Working Time "
                + "Act 1997, s. 12)"
        case .nightWork(let weeks):
            return "a night worker (\(current(L.nightHours)) of night time in the day) averages at most "
                + "\(current(L.nightAverage)) of work per 24 h over \(weeks) weeks"
        case .youngWorkers:
            return "under 18: at most \(current(L.youngDay)) a day and \(current(L.youngWeek)) a week, "
                + "\(current(L.youngDailyRest)) of daily rest, \(current(L.youngWeeklyRest)) in every 7 days"
        case .mxDailyOvertime:
            return "day shift 8 h, night 7 h, mixed 7.5 h (LFT arts. 60, 61), plus at most \(current(L.overtimeDay)) "
                + "of overtime"
        case .mxOvertimeDaysPerWeek: return "overtime on at most \(current(L.overtimeDays)) a week"
        case .mxWeek:
            return "the ordinary week (\(current(L.ordinaryWeek)), falling to 40 h by 2030) plus at most "
                + current(L.overtimeWeek) + " of overtime"
        case .mxBreak: return "a rest of at least \(current(L.breakLength)) in a continuous working day"
        case .restDay: return "a rest day after at most \(current(L.daysWithoutRest)) worked"
        case .myWorkingDay:
            return "at most \(current(L.workDay12)) of work a day; a day without overtime within a spread-over of "
                + current(L.spreadOver)
        case .myBreak: return "a break of \(current(L.breakLength)) after at most \(current(L.breakAfter)) of work"
        case .myMonthlyOvertime:
            return "overtime beyond 8 h a day or \(current(L.normalWeek)) at most \(current(L.overtimeMonth)) a month"
        }
    }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .assignment(let shift) = event else { return [] }
        let others = context.assignments.filter { $0.staff == shift.staff && $0 != shift }
        let all = (others + [shift]).sorted { $0.start < $1.start }
        let judge = WorkingTimeJudge(
            rule: self, shift: shift, all: all, zone: context.timeZone, staff: context.staff[shift.staff])
        guard let problem = judge.problem(limit) else { return [] }
        return [
            Finding(
                rule: id, severity: .critical, subject: .init(.staff, shift.staff), message: problem,
                actions: [FindingAction(.correctiveAction, "change the roster")], raisedAt: context.now)
        ]
    }
}
