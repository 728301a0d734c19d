import Foundation
import TaktCore

/// Judges one new or changed shift against the person's other shifts, limit by limit; each problem names the
/// number it broke and the law it comes from, in force on the shift's local date.
struct WorkingTimeJudge {
    typealias L = WorkingTimeLaw

    let rule: WorkingTimeRule
    let shift: ShiftAssignment
    /// The person's shifts, this one included, by start.
    let all: [ShiftAssignment]
    let zone: TimeZone
    let staff: Staff?

    var day: LocalDate { LocalDate(shift.start, in: zone) }

    /// The number `id` in force on the shift's date, or nil when the law there has none.
    func law(_ id: String) -> LegalLimit? { rule.law(id, on: day) }

    func problem(_ limit: WorkingTimeRule.Limit) -> String? {
        switch limit {
        case .averageWeek(let weeks): return averageWeek(weeks: weeks)
        case .dailyRest: return dailyRest(L.dailyRest)
        case .weeklyRest: return weeklyRest()
        case .workingDay:
            guard let most = law(L.workingDay), shift.spanHours > most.value else { return nil }
            return "a \(hours(shift.spanHours)) h working day cannot leave the 11 h of daily rest: at most "
                + "\(hours(most.value)) h (\(most.citation))"
        case .breaks(let pause): return breaks(required: pause, after: law(L.breakAfter))
        case .ieBreaks:
            let needed: TimeSpan? = shift.spanHours > 6 ? .minutes(30) : shift.spanHours > 4.5 ? .minutes(15) : nil
            guard let needed, shift.breakTime < needed else { return nil }
            return "a \(hours(shift.spanHours)) h shift needs a break of at least \(needed) (Organisation of Working "
                + "Time Act 1997, s. 12); \(shift.breakTime) is rostered"
        case .youngWorkers: return youngWorkers()
        case .nightWork(let weeks): return nightWork(weeks: weeks)
        case .mxDailyOvertime:
            guard let most = law(L.overtimeDay) else { return nil }
            let (kind, ordinary) = Self.mexicanShift(shift, zone: zone)
            let overtime = shift.spanHours - ordinary
            return overtime > most.value
                ? "a \(hours(shift.spanHours)) h \(kind) shift is \(hours(overtime)) h over the \(hours(ordinary)) h "
                    + "day; at most \(hours(most.value)) h of overtime (\(most.citation))" : nil
        case .mxOvertimeDaysPerWeek:
            guard let most = law(L.overtimeDays), Self.mexicanOvertime(shift, zone: zone) > 0 else { return nil }
            let week = Self.weekStart(of: shift.start, zone: zone)
            let dates = Set(
                inWeek(week).filter { Self.mexicanOvertime($0, zone: zone) > 0 }.map { LocalDate($0.start, in: zone) })
            return Double(dates.count) > most.value
                ? "overtime on \(dates.count) days in the week of \(week); at most \(Int(most.value)) (\(most.citation))"
                : nil
        case .mxWeek: return mexicanWeek()
        case .mxBreak, .myBreak:
            guard let pause = law(L.breakLength) else { return nil }
            let after = law(L.breakAfter)
            if let after, shift.workedHours <= after.value { return nil }
            guard shift.breakTime.seconds < Int(pause.value * 60) else { return nil }
            return "a \(hours(shift.spanHours)) h shift needs a break of at least \(Int(pause.value)) min"
                + (after.map { " after \(hours($0.value)) h of work" } ?? "") + " (\(pause.citation)); "
                + "\(shift.breakTime) is rostered"
        case .restDay: return restDay()
        case .myWorkingDay:
            if let most = law(L.workDay12), shift.workedHours > most.value {
                return "\(hours(shift.workedHours)) h of work in a day; at most \(hours(most.value)) h, overtime "
                    + "included (\(most.citation))"
            }
            if let spread = law(L.spreadOver), let normal = law(L.normalDay), shift.workedHours <= normal.value,
                shift.spanHours > spread.value
            {
                return
                    "a day without overtime spread over \(hours(shift.spanHours)) h; at most \(hours(spread.value)) h "
                    + "(\(spread.citation))"
            }
            return nil
        case .myMonthlyOvertime: return malaysianMonth()
        }
    }

    // MARK: averages and rest

    /// The 48-hour average over every rolling reference period that holds the shift: worked time counted in
    /// proportion where a shift crosses the period's edge. A UK worker who signed an opt-out before the shift is
    /// not held to it.
    func averageWeek(weeks: Int) -> String? {
        guard let most = law(L.averageWeek) else { return nil }
        if let optOut = staff?.workingTimeOptOut, optOut <= day, rule.jurisdiction == "GB" { return nil }
        let span = Double(weeks) * 7 * 86_400
        guard span >= shift.end.timeIntervalSince(shift.start) else { return nil }
        var worst: (hours: Double, from: Date)?
        for start in periodStarts(span: span) {
            let total = worked(in: DateInterval(start: start, duration: span))
            if total > (worst?.hours ?? -1) { worst = (total, start) }
        }
        guard let worst else { return nil }
        let average = worst.hours / Double(weeks)
        guard average > most.value else { return nil }
        return "\(hours(average)) h a week on average over the \(weeks) week(s) from "
            + "\(Instant.format(worst.from, in: zone)); at most \(hours(most.value)) h (\(most.citation))"
    }

    /// Where the reference periods of `span` holding the shift begin: the fullest one starts at a shift's start
    /// or ends at a shift's end, so those are the periods worth judging.
    func periodStarts(span: TimeInterval) -> [Date] {
        all.map(\.start).filter { $0 >= shift.end.addingTimeInterval(-span) && $0 <= shift.start }
            + all.map(\.end).filter { $0 >= shift.end && $0 <= shift.start.addingTimeInterval(span) }.map {
                $0.addingTimeInterval(-span)
            }
    }

    /// Hours worked inside `window`, every shift counted in proportion to the part of it the window holds.
    func worked(in window: DateInterval) -> Double { all.map { worked($0, in: window) }.reduce(0, +) }

    /// Hours worked of `other` inside `window`, in proportion to the part of the shift it holds.
    func worked(_ other: ShiftAssignment, in window: DateInterval) -> Double {
        let overlap = min(other.end, window.end).timeIntervalSince(max(other.start, window.start))
        guard overlap > 0, other.spanHours > 0 else { return 0 }
        return other.workedHours * overlap / (other.spanHours * 3600)
    }

    func dailyRest(_ id: String) -> String? {
        guard let least = law(id) else { return nil }
        let before = all.last { $0.end <= shift.start && $0 != shift }
        let after = all.first { $0.start >= shift.end && $0 != shift }
        if let before, shift.start.timeIntervalSince(before.end) < least.value * 3600 {
            return "only \(hours(shift.start.timeIntervalSince(before.end) / 3600)) h of rest after the shift ending "
                + "\(Instant.format(before.end, in: zone)); at least \(hours(least.value)) h (\(least.citation))"
        }
        if let after, after.start.timeIntervalSince(shift.end) < least.value * 3600 {
            return "only \(hours(after.start.timeIntervalSince(shift.end) / 3600)) h of rest before the shift starting "
                + "\(Instant.format(after.start, in: zone)); at least \(hours(least.value)) h (\(least.citation))"
        }
        return nil
    }

    /// 35 h of uninterrupted rest in every 7 days around the shift; where one week falls short, two rests of
    /// 24 h (or one of 48 h) in every 14 days around it.
    func weeklyRest() -> String? {
        guard let least = law(L.weeklyRest) else { return nil }
        let week: TimeInterval = 7 * 86_400
        guard let short = windows(of: week).first(where: { longestRest(in: $0) < least.value * 3600 }) else {
            return nil
        }
        if let fortnight = law(L.fortnightRest) {
            let lawful = windows(of: 2 * week).allSatisfy { window in
                let rests = rests(in: window)
                return rests.filter { $0 >= fortnight.value * 3600 }.count >= 2
                    || rests.contains { $0 >= 2 * fortnight.value * 3600 }
            }
            if lawful { return nil }
        }
        return
            "no \(hours(least.value)) h of uninterrupted rest in the 7 days from \(Instant.format(short.start, in: zone)) "
            + "(\(least.citation)), nor two of 24 h in 14 days"
    }

    /// The rolling periods of `length` that hold the shift, from the one ending as it ends to the one starting as
    /// it starts, at every shift edge between.
    func windows(of length: TimeInterval) -> [DateInterval] {
        var starts = [shift.end.addingTimeInterval(-length), shift.start]
        starts += all.map(\.end).filter { $0 > shift.end.addingTimeInterval(-length) && $0 < shift.start }
        starts += all.map(\.start).filter { $0 > shift.end && $0 < shift.start.addingTimeInterval(length) }.map {
            $0.addingTimeInterval(-length)
        }
        return starts.filter { $0.addingTimeInterval(length) >= shift.end }.map {
            DateInterval(start: $0, duration: length)
        }
    }

    /// The gaps between shifts inside `window`, its edges included.
    func rests(in window: DateInterval) -> [TimeInterval] {
        var cursor = window.start
        var gaps: [TimeInterval] = []
        for other in all where other.end > window.start && other.start < window.end {
            gaps.append(other.start.timeIntervalSince(cursor))
            cursor = max(cursor, other.end)
        }
        gaps.append(window.end.timeIntervalSince(cursor))
        return gaps.filter { $0 > 0 }
    }

    func longestRest(in window: DateInterval) -> TimeInterval { rests(in: window).max() ?? 0 }

    func breaks(required pause: TimeSpan, after: LegalLimit?) -> String? {
        guard let after, shift.spanHours > after.value, shift.breakTime < pause else { return nil }
        return "a \(hours(shift.spanHours)) h day needs a break of at least \(pause) (\(after.citation)); "
            + "\(shift.breakTime) is rostered"
    }

    // MARK: night work

    /// Hours of `other` inside night time (23:00–06:00 local; midnight–07:00 in Ireland).
    func nightHours(_ other: ShiftAssignment) -> Double {
        let (from, to) = rule.jurisdiction == "IE" ? (0, 7) : (23, 6)
        var total: TimeInterval = 0
        var day = LocalDate(other.start.addingTimeInterval(-86_400), in: zone)
        while day.instant(in: zone) < other.end {
            let start =
                from == 0
                ? day.next(in: zone).instant(in: zone) : day.instant(at: LocalTime(hour: from, minute: 0), in: zone)
            let end = day.next(in: zone).instant(at: LocalTime(hour: to, minute: 0), in: zone)
            total += max(0, min(end, other.end).timeIntervalSince(max(start, other.start)))
            day = day.next(in: zone)
        }
        return total / 3600
    }

    /// A shift with at least 3 h of night time makes its worker a night worker for it: their worked hours over
    /// the reference period, divided by its days less one weekly rest day a week (UK reg. 6(5)), average at most
    /// 8. Every period holding the shift is judged, as for the 48-hour average; an opt-out does not apply.
    func nightWork(weeks: Int) -> String? {
        guard let most = law(L.nightAverage), let worker = law(L.nightHours), nightHours(shift) >= worker.value
        else { return nil }
        let span = Double(weeks) * 7 * 86_400
        let days = Double(weeks * 7 - weeks)
        for start in periodStarts(span: span) {
            let average = worked(in: DateInterval(start: start, duration: span)) / days
            if average > most.value {
                return "a night worker's \(hours(average)) h a day on average over the \(weeks) week(s) from "
                    + "\(Instant.format(start, in: zone)) (\(weeks * 7) days less \(weeks) of weekly rest); at most "
                    + "\(hours(most.value)) h (\(most.citation))"
            }
        }
        return nil
    }

    // MARK: young workers

    func youngWorkers() -> String? {
        guard let staff, staff.isYoung(on: day) else { return nil }
        if let most = law(L.youngDay), shift.workedHours > most.value {
            return "\(staff.name) is under 18: \(hours(shift.workedHours)) h of work in a day; at most "
                + "\(hours(most.value)) h (\(most.citation))"
        }
        if let most = law(L.youngWeek) {
            let week = Self.weekStart(of: shift.start, zone: zone)
            let total = inWeek(week).map(\.workedHours).reduce(0, +)
            if total > most.value {
                return "\(staff.name) is under 18: \(hours(total)) h in the week of \(week); at most "
                    + "\(hours(most.value)) h (\(most.citation))"
            }
        }
        if let problem = dailyRest(L.youngDailyRest) { return "\(staff.name) is under 18: \(problem)" }
        if let least = law(L.youngWeeklyRest),
            let short = windows(of: 7 * 86_400).first(where: { longestRest(in: $0) < least.value * 3600 })
        {
            return "\(staff.name) is under 18: no \(hours(least.value)) h of rest in the 7 days from "
                + "\(Instant.format(short.start, in: zone)) (\(least.citation))"
        }
        if let after = law(L.youngBreakAfter), let pause = law(L.youngBreak), shift.workedHours > after.value,
            shift.breakTime.seconds < Int(pause.value * 60)
        {
            return "\(staff.name) is under 18: a shift of more than \(hours(after.value)) h needs a break of "
                + "\(Int(pause.value)) min (\(pause.citation)); \(shift.breakTime) is rostered"
        }
        return nil
    }

    // MARK: Mexico and Malaysia

    func inWeek(_ week: LocalDate) -> [ShiftAssignment] {
        all.filter { Self.weekStart(of: $0.start, zone: zone) == week }
    }

    /// Overtime in the shift's week, Monday to Sunday: the hours beyond each ordinary day, or beyond the ordinary
    /// week in force, whichever is more; at most the weekly overtime in force.
    func mexicanWeek() -> String? {
        guard let ordinary = law(L.ordinaryWeek), let most = law(L.overtimeWeek) else { return nil }
        let week = Self.weekStart(of: shift.start, zone: zone)
        let shifts = inWeek(week)
        let total = shifts.map(\.spanHours).reduce(0, +)
        let daily = shifts.map { Self.mexicanOvertime($0, zone: zone) }.reduce(0, +)
        let overtime = max(daily, total - ordinary.value)
        guard overtime > most.value else { return nil }
        return "\(hours(total)) h in the week of \(week) is \(hours(overtime)) h of overtime: the ordinary week is "
            + "\(hours(ordinary.value)) h (\(ordinary.citation)) and overtime at most \(hours(most.value)) h a week "
            + "(\(most.citation))"
    }

    func restDay() -> String? {
        guard let most = law(L.daysWithoutRest) else { return nil }
        let dates = Set(all.map { LocalDate($0.start, in: zone) })
        var run = 1
        var current = day
        while dates.contains(Self.previous(current, zone: zone)) {
            current = Self.previous(current, zone: zone)
            run += 1
        }
        current = day
        while dates.contains(current.next(in: zone)) {
            current = current.next(in: zone)
            run += 1
        }
        return Double(run) > most.value
            ? "\(run) days in a row without a rest day; one rest day after at most \(Int(most.value)) (\(most.citation))"
            : nil
    }

    func malaysianMonth() -> String? {
        guard let most = law(L.overtimeMonth) else { return nil }
        let normalDay = law(L.normalDay)?.value ?? 8
        let normalWeek = law(L.normalWeek)?.value ?? 45
        let month = { (date: Date) -> String in String(LocalDate(date, in: zone).description.prefix(7)) }
        let inMonth = all.filter { month($0.start) == month(shift.start) }
        var overtime = inMonth.map { max(0, $0.workedHours - normalDay) }.reduce(0, +)
        for (_, shifts) in Dictionary(grouping: inMonth, by: { Self.weekStart(of: $0.start, zone: zone) }) {
            overtime += max(0, shifts.map { min($0.workedHours, normalDay) }.reduce(0, +) - normalWeek)
        }
        return overtime > most.value
            ? "\(hours(overtime)) h of overtime in \(month(shift.start)); at most \(hours(most.value)) h a month "
                + "(\(most.citation))" : nil
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

    func hours(_ value: Double) -> String { CriticalLimits.format((value * 100).rounded() / 100) }
}
