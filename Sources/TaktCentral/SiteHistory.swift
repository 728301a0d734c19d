import Foundation
import TaktCentralStore
import TaktCore
import TaktStore

/// A site's KPIs day by day over a period, read from central's daily roll-ups (`DailyKPIs`, kept at ingest), with
/// the same definitions as `SiteState`. Days the site sent nothing for are there, empty.
struct SiteHistory {
    var days: [DailyKPIs]
    /// The period's sums: OEE over the whole period from its summed times and counts.
    var total: DailyKPIs
    /// The period's schedule adherence: its orders on time ÷ its orders due (`PeriodTotal.adherence`).
    var adherence: Double?
    /// The days central holds a roll-up for: a day without one has no data, which is not a day at zero.
    var reported: Set<LocalDate> = []

    var oee: Double? { total.oee?.value }

    /// The periods a trend chart offers, in days.
    static let periods = [7, 30, 90]

    /// The charts of a site's trends: OEE, adherence and checks on time against their targets, and the counts.
    func series(targets: (oee: Double, adherence: Double, checksOnTime: Double)) -> [TrendChart.Series] {
        func count(_ value: (DailyKPIs) -> Double) -> [(day: LocalDate, value: Double?)] {
            days.map { ($0.day, reported.contains($0.day) ? value($0) : nil) }
        }
        return [
            .init(
                title: "OEE", unit: "", percent: true, days: days.map { ($0.day, $0.oee?.value) },
                target: targets.oee, missing: "no production reported", period: oee),
            .init(
                title: "Schedule adherence (on time ÷ due)", unit: "", percent: true,
                days: days.map { ($0.day, reported.contains($0.day) ? $0.adherence : nil) },
                target: targets.adherence, missing: "no orders due or nothing received", period: adherence),
            .init(
                title: "Checks done on time", unit: "", percent: true,
                days: days.map { ($0.day, $0.checksOnTimeShare) },
                target: targets.checksOnTime, missing: "no checks recorded or missed", period: total.checksOnTimeShare),
            .init(
                title: "Findings raised", unit: "", percent: false, days: count { Double($0.findingsRaised) },
                target: nil, missing: "nothing received", period: Double(total.findingsRaised)),
            .init(
                title: "Lots put on hold", unit: "", percent: false, days: count { Double($0.lotsHeld) }, target: nil,
                missing: "nothing received", period: Double(total.lotsHeld)),
            .init(
                title: "Safety incidents", unit: "", percent: false, days: count { Double($0.incidents) }, target: nil,
                missing: "nothing received", period: Double(total.incidents)),
            .init(
                title: "Costs (site currency)", unit: "", percent: false, days: count(\.cost), target: nil,
                missing: "nothing received", period: total.cost),
        ]
    }

    /// No days (a page before any roll-up is read).
    static let empty = SiteHistory(days: [], total: DailyKPIs(day: LocalDate(year: 1970, month: 1, day: 1)))

    /// The `count` days up to today in `zone`.
    static func load(site: String, store: any CentralStorage, zone: TimeZone, days count: Int, now: Date) async throws
        -> SiteHistory
    {
        let dayList = period(days: count, now: now, zone: zone)
        let stored = Dictionary(
            try await store.daily(site: site, from: dayList[0], to: dayList[dayList.count - 1]).map { ($0.day, $0) },
            uniquingKeysWith: { first, _ in first })
        let days = dayList.map { stored[$0] ?? DailyKPIs(day: $0) }
        let total = DailyKPIs.total(days, as: dayList[dayList.count - 1])
        return SiteHistory(
            days: days, total: total,
            adherence: total.ordersDue == nil ? DailyKPIs.meanAdherence(days) : total.adherence,
            reported: Set(stored.keys))
    }

    /// The last `count` site-local days up to and including today.
    static func period(days count: Int, now: Date, zone: TimeZone) -> [LocalDate] {
        let today = LocalDate(now, in: zone)
        return (0..<max(1, count)).reversed().map { today.adding(days: -$0) }
    }
}
