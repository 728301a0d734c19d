import Foundation
import Testing

@testable import TaktCore

@Suite struct ShiftCalendarTests {
    let london = TimeZone(identifier: "Europe/London")!

    func instant(_ text: String) -> Date { Instant.parse(text, in: london)! }

    @Test func weekdayShiftsSkipWeekendsAndHolidays() {
        let calendar = ShiftCalendar(
            id: "days",
            shifts: [
                .init(
                    days: [.mon, .tue, .wed, .thu, .fri], start: .init(hour: 6, minute: 0),
                    end: .init(hour: 14, minute: 0))
            ],
            holidays: [LocalDate(year: 2026, month: 12, day: 25)])
        // Thu 24 Dec to Mon 28 Dec: Thursday and Monday only (Friday is Christmas).
        let window = DateInterval(start: instant("2026-12-24T00:00"), end: instant("2026-12-29T00:00"))
        let periods = calendar.availability(in: window, timeZone: london)
        #expect(periods.map(\.start) == [instant("2026-12-24T06:00"), instant("2026-12-28T06:00")])
        #expect(periods.allSatisfy { $0.duration == 8 * 3600 })
    }

    @Test func nightShiftAcrossTheSpringClockChangeIsAnHourShorter() {
        let calendar = ShiftCalendar(
            id: "nights",
            shifts: [.init(days: [.sat], start: .init(hour: 22, minute: 0), end: .init(hour: 6, minute: 0))])
        // The clocks go forward at 01:00 UTC on Sunday 28 March 2027.
        let window = DateInterval(start: instant("2027-03-27T00:00"), end: instant("2027-03-29T00:00"))
        let periods = calendar.availability(in: window, timeZone: london)
        #expect(periods.count == 1)
        #expect(periods.first.map { Int($0.duration.rounded()) } == 7 * 3600)
    }

    @Test func maintenanceWindowsCutShifts() {
        let calendar = ShiftCalendar(
            id: "days",
            shifts: [.init(days: [.wed], start: .init(hour: 6, minute: 0), end: .init(hour: 14, minute: 0))],
            exceptions: [.init(from: instant("2026-12-02T09:00"), to: instant("2026-12-02T10:30"), reason: "service")])
        let window = DateInterval(start: instant("2026-12-02T00:00"), end: instant("2026-12-03T00:00"))
        let periods = calendar.availability(in: window, timeZone: london)
        #expect(
            periods == [
                DateInterval(start: instant("2026-12-02T06:00"), end: instant("2026-12-02T09:00")),
                DateInterval(start: instant("2026-12-02T10:30"), end: instant("2026-12-02T14:00")),
            ])
    }

    @Test func overtimeOpensADayOffAndAHolidayAndExceptionsStillCutIt() {
        let calendar = ShiftCalendar(
            id: "days",
            shifts: [.init(days: [.mon], start: .init(hour: 6, minute: 0), end: .init(hour: 14, minute: 0))],
            holidays: [LocalDate(year: 2026, month: 12, day: 7)],
            overtime: [
                .init(from: instant("2026-12-06T05:00"), to: instant("2026-12-06T13:00"), reason: "Sunday rush"),
                .init(from: instant("2026-12-07T08:00"), to: instant("2026-12-07T12:00"), reason: "holiday cover"),
            ],
            exceptions: [.init(from: instant("2026-12-06T09:00"), to: instant("2026-12-06T10:00"), reason: "clean")])
        let window = DateInterval(start: instant("2026-12-06T00:00"), end: instant("2026-12-08T00:00"))
        #expect(
            calendar.availability(in: window, timeZone: london) == [
                DateInterval(start: instant("2026-12-06T05:00"), end: instant("2026-12-06T09:00")),
                DateInterval(start: instant("2026-12-06T10:00"), end: instant("2026-12-06T13:00")),
                DateInterval(start: instant("2026-12-07T08:00"), end: instant("2026-12-07T12:00")),
            ])
        // Clipped to the window like the shifts.
        let morning = DateInterval(start: instant("2026-12-06T12:00"), end: instant("2026-12-06T18:00"))
        #expect(
            calendar.availability(in: morning, timeZone: london) == [
                DateInterval(start: instant("2026-12-06T12:00"), end: instant("2026-12-06T13:00"))
            ])
    }

    @Test func calendarsStoredBeforeOvertimeExistedStillDecode() throws {
        let json = #"{"id":"days","shifts":[],"holidays":[],"exceptions":[]}"#
        let calendar = try JSONDecoder().decode(ShiftCalendar.self, from: Data(json.utf8))
        #expect(calendar.overtime.isEmpty)
        let again = try JSONDecoder().decode(ShiftCalendar.self, from: JSONEncoder().encode(calendar))
        #expect(again == calendar)
    }

    @Test func instantsParseSiteLocalAndZoned() {
        #expect(Instant.parse("2026-07-01T12:00", in: london) == Instant.parse("2026-07-01T11:00:00Z", in: london))
        #expect(Instant.parse("2026-07-01 12:00", in: london) == Instant.parse("2026-07-01T12:00+01:00", in: london))
        #expect(Instant.parse("2026-02-30", in: london) == nil)
        #expect(Instant.parse("yesterday", in: london) == nil)
    }
}
