import Foundation
import Testing

@testable import TaktCore

/// Schedule adherence is defined once (`DayAdherence`): orders due that site-local day finished on time ÷ due.
@Suite struct DayAdherenceTests {
    static let zone = TimeZone(identifier: "Europe/London")!
    static let day = LocalDate(year: 2026, month: 12, day: 3)
    static func at(_ hour: Int, _ minute: Int = 0, day: LocalDate = day) -> Date {
        day.instant(at: LocalTime(hour: hour, minute: minute), in: zone)
    }

    @Test func oneLateOrderOfSevenIsSixSevenths() {
        var orders = (0..<6).map {
            DayAdherence.Outcome(order: "ok\($0)", due: Self.at(10 + $0), completedAt: Self.at(9 + $0))
        }
        orders.append(.init(order: "slow", due: Self.at(12), completedAt: Self.at(12, 1)))
        let result = DayAdherence.judge(
            day: Self.day, orders: orders, plannedFinish: [:], now: Self.at(23, 59), zone: Self.zone)
        #expect(result.due == 7 && result.onTime == 6 && result.late.map(\.order) == ["slow"])
        #expect(abs((result.share ?? 0) - 6.0 / 7) < 1e-12)
        #expect(result.late.first?.lateSeconds(now: Self.at(23, 59)) == 60, "finished: late by finish − due")
    }

    @Test func openOrdersAreJudgedByThePlanUntilTheirDueTimePasses() {
        let orders = [
            DayAdherence.Outcome(order: "planned-in-time", due: Self.at(16)),
            DayAdherence.Outcome(order: "planned-late", due: Self.at(16)),
            DayAdherence.Outcome(order: "not-planned", due: Self.at(16)),
            DayAdherence.Outcome(order: "past-due", due: Self.at(9)),
        ]
        let plan = ["planned-in-time": Self.at(15), "planned-late": Self.at(17), "past-due": Self.at(8)]
        let morning = DayAdherence.judge(
            day: Self.day, orders: orders, plannedFinish: plan, now: Self.at(10), zone: Self.zone)
        #expect(morning.onTime == 1)
        #expect(
            morning.late.map(\.order) == ["past-due", "not-planned", "planned-late"], "late orders by due time, then id"
        )
        let evening = DayAdherence.judge(
            day: Self.day, orders: orders, plannedFinish: plan, now: Self.at(18), zone: Self.zone)
        #expect(evening.onTime == 0, "an order still open after its due time is late whatever the plan says")
        let late = Dictionary(uniqueKeysWithValues: evening.late.map { ($0.order, $0) })
        #expect(late["planned-in-time"]?.lateSeconds(now: Self.at(18)) == 2 * 3600, "open: late by now − due")
        #expect(late["past-due"]?.lateSeconds(now: Self.at(18)) == 9 * 3600)
    }

    @Test func onlyTheDaysOrdersCountAndCancelledOnesNot() {
        let orders = [
            DayAdherence.Outcome(order: "today", due: Self.at(0, 30), completedAt: Self.at(0, 10)),
            DayAdherence.Outcome(order: "yesterday", due: Self.at(23, 30, day: Self.day.adding(days: -1))),
            DayAdherence.Outcome(order: "by-yesterday's-end", due: Self.at(0, 0)),
            DayAdherence.Outcome(order: "by-today's-end", due: Self.at(0, 0, day: Self.day.adding(days: 1))),
            DayAdherence.Outcome(order: "tomorrow", due: Self.at(0, 1, day: Self.day.adding(days: 1))),
            DayAdherence.Outcome(order: "cancelled", due: Self.at(12), cancelled: true),
        ]
        let result = DayAdherence.judge(
            day: Self.day, orders: orders, plannedFinish: [:], now: Self.at(20), zone: Self.zone)
        #expect(result.due == 2 && result.onTime == 1 && result.late.map(\.order) == ["by-today's-end"])
        let none = DayAdherence.judge(
            day: Self.day.adding(days: 5), orders: orders, plannedFinish: [:], now: Self.at(20), zone: Self.zone)
        #expect(none.due == 0 && none.share == nil, "a day with nothing due has no adherence, not 100 %")
    }

    @Test func aLongLateListIsCappedButCounted() {
        let orders = (0..<300).map { DayAdherence.Outcome(order: String(format: "o%03d", $0), due: Self.at(6)) }
        let result = DayAdherence.judge(
            day: Self.day, orders: orders, plannedFinish: [:], now: Self.at(7), zone: Self.zone)
        #expect(result.lateCount == 300 && result.late.count == DayAdherence.lateListLimit)
    }
}
