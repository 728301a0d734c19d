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

    var oee: Double? { total.oee?.value }

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
            adherence: total.ordersDue == nil ? DailyKPIs.meanAdherence(days) : total.adherence)
    }

    /// The last `count` site-local days up to and including today.
    static func period(days count: Int, now: Date, zone: TimeZone) -> [LocalDate] {
        let today = LocalDate(now, in: zone)
        return (0..<max(1, count)).reversed().map { today.adding(days: -$0) }
    }
}
