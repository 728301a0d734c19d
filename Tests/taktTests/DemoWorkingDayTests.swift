import BuiltinModules
import Foundation
import TaktCore
import TaktHost
import Testing

@testable import TaktCLI

/// The demo on a site's day off calls the site in for overtime, so the simulated day produces whatever the weekday.
@Suite struct DemoWorkingDayTests {
    let file = CLITests.root.appendingPathComponent("sites/leeds-bakery/site.yaml")

    func leeds(_ text: String) throws -> SiteDefinition {
        try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: file.path)
    }

    @Test func aSundayGetsTheHoursOfAWeekdayAsOvertimeAndAMondayIsLeftAlone() throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        let site = try leeds(text)
        let sunday = Instant.parse("2026-12-06T04:00", in: site.timeZone)!
        let result = DemoWorkingDay.callIn(text, site: site, now: sunday)
        #expect(result.added.count == 1)
        #expect(result.added.first?.contains("calendar two-shifts: 2026-12-06 is a day off") == true)
        // The changed file still loads, and its calendar is open from 05:00 to 21:00 that Sunday.
        let changed = try leeds(result.text)
        let day = DateInterval(start: sunday, end: sunday.addingTimeInterval(86_400))
        let open = changed.calendars["two-shifts"]?.availability(in: day, timeZone: site.timeZone)
        #expect(
            open == [
                DateInterval(
                    start: Instant.parse("2026-12-06T05:00", in: site.timeZone)!,
                    end: Instant.parse("2026-12-06T21:00", in: site.timeZone)!)
            ])
        let monday = Instant.parse("2026-12-07T04:00", in: site.timeZone)!
        #expect(DemoWorkingDay.callIn(text, site: site, now: monday).added.isEmpty)
        // Christmas is a holiday in the calendar: called in too.
        let christmas = Instant.parse("2026-12-25T04:00", in: site.timeZone)!
        #expect(DemoWorkingDay.callIn(text, site: site, now: christmas).added.count == 1)
    }

    @Test func theUsualDayIsTheOneWithTheMostShifts() {
        let calendar = ShiftCalendar(
            id: "c",
            shifts: [
                .init(days: [.sat], start: .init(hour: 6, minute: 0), end: .init(hour: 12, minute: 0)),
                .init(days: [.tue, .sat], start: .init(hour: 12, minute: 0), end: .init(hour: 18, minute: 0)),
            ])
        #expect(DemoWorkingDay.usualDay(calendar) == .sat)
        #expect(DemoWorkingDay.usualDay(ShiftCalendar(id: "none", shifts: [])) == nil)
    }
}
