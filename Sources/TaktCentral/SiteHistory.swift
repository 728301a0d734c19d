import Foundation
import TaktCentralStore
import TaktCore
import TaktStore

/// A site's KPIs day by day, computed from every record central keeps (state records keep their history
/// there too), with the same definitions as `SiteState`.
struct SiteHistory {
    struct Day {
        var day: LocalDate
        var findingsRaised = 0
        var checksRecorded = 0
        var lotsHeld = 0
        var oee: Double?
        var adherence: Double?
    }

    var days: [Day]
    /// OEE over the whole period.
    var oee: Double?

    static func load(site: String, store: any CentralStorage, zone: TimeZone, days count: Int, now: Date) async throws
        -> SiteHistory
    {
        let since = now.addingTimeInterval(-Double(count) * 86_400)
        let decoder = SiteState.decoder
        let dayList = (0..<count).reversed().map { LocalDate(now.addingTimeInterval(-Double($0) * 86_400), in: zone) }
        var days = Dictionary(uniqueKeysWithValues: dayList.map { ($0, Day(day: $0)) })
        var raised: [LocalDate: Set<Int64>] = [:]
        for record in try await store.facts(site: site, kind: "finding", since: since) {
            guard let finding = try? decoder.decode(Finding.self, from: Data(record.payload.utf8)), let id = finding.id
            else { continue }
            raised[LocalDate(finding.raisedAt, in: zone), default: []].insert(id)
        }
        for (day, ids) in raised where days[day] != nil { days[day]?.findingsRaised = ids.count }
        for record in try await store.facts(site: site, kind: "check_reading", since: since) {
            days[LocalDate(record.createdAt, in: zone)]?.checksRecorded += 1
        }
        var held: [LocalDate: Set<String>] = [:]
        for record in try await store.facts(site: site, kind: "lot", since: since) {
            guard let lot = try? decoder.decode(Lot.self, from: Data(record.payload.utf8)), lot.status == .onHold else {
                continue
            }
            held[LocalDate(record.createdAt, in: zone), default: []].insert(lot.id)
        }
        for (day, lots) in held where days[day] != nil { days[day]?.lotsHeld = lots.count }
        let production = try await store.facts(site: site, kind: "production", since: since).compactMap {
            try? decoder.decode(ProductionReport.self, from: Data($0.payload.utf8))
        }
        for (day, reports) in Dictionary(grouping: production, by: { LocalDate($0.to, in: zone) })
        where days[day] != nil {
            days[day]?.oee = OEE(reports)?.value
        }
        // Facts come newest first: the first schedule seen for a day is its last plan.
        for record in try await store.facts(site: site, kind: "schedule", since: since) {
            let day = LocalDate(record.createdAt, in: zone)
            guard days[day]?.adherence == nil,
                let snapshot = try? decoder.decode(ScheduleSnapshot.self, from: Data(record.payload.utf8))
            else { continue }
            days[day]?.adherence = snapshot.summary.onTimeShare
        }
        return SiteHistory(days: dayList.compactMap { days[$0] }, oee: OEE(production)?.value)
    }

    /// The mean of the days that have a value.
    static func mean(_ values: [Double?]) -> Double? {
        let known = values.compactMap { $0 }
        return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
    }
}
