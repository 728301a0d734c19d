import Foundation
import TaktCore
import TaktHost

/// The demo simulates today at every site. On a site's day off (a Sunday, a holiday) its calendars have no shift,
/// nothing could be produced and the demo would show only late orders; so the demo calls the site in for overtime,
/// as a plant does for a rush: each closed calendar gets today's `overtime` with the hours of its usual working
/// day, written into the demo's copy of `site.yaml` where a production manager can read it.
enum DemoWorkingDay {
    /// `text` (a `site.yaml` whose site is `site`) with overtime today for each calendar that has no shift
    /// starting today, and a line per calendar saying what was added; `text` unchanged on a working day.
    static func callIn(_ text: String, site: SiteDefinition, now: Date) -> (text: String, added: [String]) {
        let zone = site.timeZone
        let today = LocalDate(now, in: zone)
        var text = text
        var added: [String] = []
        for calendar in site.calendars.values.sorted(by: { $0.id < $1.id }) {
            let weekday = Weekday(today, in: zone)
            let working = !calendar.holidays.contains(today) && calendar.shifts.contains { $0.days.contains(weekday) }
            guard !working, let usual = usualDay(calendar) else { continue }
            let shifts = calendar.shifts.filter { $0.days.contains(usual) }
            let periods = shifts.map { shift in
                let end = shift.end > shift.start ? today : today.next(in: zone)
                return "{from: \(today)T\(shift.start), to: \(end)T\(shift.end), reason: demo overtime}"
            }
            guard let inserted = insert(periods, calendar: calendar.id, into: text) else { continue }
            text = inserted
            added.append(
                "calendar \(calendar.id): \(today) is a day off; called in for overtime "
                    + shifts.map { "\($0.start)–\($0.end)" }.joined(separator: ", ")
                    + " (the hours of a \(usual.rawValue))")
        }
        return (text, added)
    }

    /// The weekday with the most shifts, the earliest in the week on a tie: the calendar's ordinary working day.
    static func usualDay(_ calendar: ShiftCalendar) -> Weekday? {
        let days = [Weekday.mon, .tue, .wed, .thu, .fri, .sat, .sun]
        let counts = days.map { day in calendar.shifts.filter { $0.days.contains(day) }.count }
        guard let most = counts.max(), most > 0, let index = counts.firstIndex(of: most) else { return nil }
        return days[index]
    }

    /// `text` with an `overtime:` list under the calendar item `- id: <calendar>`, indented as its other keys;
    /// nil when that item is not written so (the demo then leaves the calendar as it is).
    static func insert(_ periods: [String], calendar: String, into text: String) -> String? {
        var lines = text.components(separatedBy: "\n")
        guard let calendars = lines.firstIndex(where: { $0.hasPrefix("calendars:") }) else { return nil }
        for index in lines.indices.dropFirst(calendars + 1) {
            let line = lines[index]
            if let first = line.first, first != " ", first != "#" { break }  // the next top-level section
            let trimmed = line.drop(while: { $0 == " " })
            guard trimmed.hasPrefix("- id:"),
                trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces) == calendar
            else { continue }
            let indent = String(repeating: " ", count: line.count - trimmed.count + 2)
            lines.insert(
                contentsOf: ["\(indent)overtime:"] + periods.map { "\(indent)  - \($0)" }, at: index + 1)
            return lines.joined(separator: "\n")
        }
        return nil
    }
}
