import Foundation
import TaktCore

/// One site's KPIs for one day of its own calendar, kept by central at ingest (see `Rollup`). Everything but the
/// last plan of the day is a sum, so what a batch adds is added to what is stored, and a day's figures for any
/// period are the sums of its days: OEE over a quarter is computed from the quarter's summed times and counts,
/// not averaged from daily percentages.
///
/// The definitions are `SiteState`'s: OEE from production reports by the day their period ends; findings by the
/// day they were raised, once each, by severity; checks recorded by the day they were recorded, checks missed
/// (an overdue finding raised) by that day; lots put on hold, once per lot and day; incidents by the day they
/// happened, once each; costs by the day they were incurred; schedule adherence (`DayAdherence`: on time ÷ due
/// that day) as the site last judged the day, and, from sites built before it did, the adherence of the day's last
/// plan.
public struct DailyKPIs: Hashable, Sendable, Codable {
    public var day: LocalDate
    public var plannedSeconds = 0.0
    public var runSeconds = 0.0
    public var idealSeconds = 0.0
    public var made = 0.0
    public var good = 0.0
    public var productionReports = 0
    public var findingsCritical = 0
    public var findingsMajor = 0
    public var findingsMinor = 0
    public var findingsInfo = 0
    public var checksRecorded = 0
    public var checksMissed = 0
    public var lotsHeld = 0
    public var incidents = 0
    /// Incidents of major severity or worse.
    public var incidentsMajor = 0
    /// Costs in the site's currency.
    public var cost = 0.0
    /// Costs in the region's currency, where the site converted them.
    public var costRegion = 0.0
    /// When the day's last plan was made (seconds since 1970), its adherence and late orders.
    public var scheduleAt: Double?
    public var onTimeShare: Double?
    public var lateOrders: Int?
    /// When the site last judged the day's adherence (seconds since 1970), the orders due that day and how many of
    /// them were on time (`DayAdherence`). Over a period these are summed, so its adherence is its orders on time
    /// ÷ its orders due, not a mean of daily percentages.
    public var adherenceAt: Double?
    public var ordersDue: Int?
    public var ordersOnTime: Int?
    /// When the site last judged the day's training (seconds since 1970), the certificates its people needed for
    /// their work and how many were valid (`DayTraining`); summed over a period like orders.
    public var trainingAt: Double?
    public var certificatesNeeded: Int?
    public var certificatesValid: Int?

    public init(day: LocalDate) { self.day = day }

    /// Training compliance: needed certificates valid ÷ needed (nil when none were needed or none judged).
    public var trainingCompliance: Double? {
        guard let needed = certificatesNeeded, needed > 0 else { return nil }
        return Double(certificatesValid ?? 0) / Double(needed)
    }

    /// Schedule adherence: orders on time ÷ orders due (nil when none were due); for a day from a site that does
    /// not judge adherence yet, its last plan's share.
    public var adherence: Double? {
        guard let due = ordersDue else { return onTimeShare }
        return due == 0 ? nil : Double(ordersOnTime ?? 0) / Double(due)
    }

    public var findingsRaised: Int { findingsCritical + findingsMajor + findingsMinor + findingsInfo }

    /// OEE from the day's (or period's) summed production, nil without planned time or output.
    public var oee: OEE? { OEE(planned: plannedSeconds, run: runSeconds, ideal: idealSeconds, made: made, good: good) }

    /// Share of due checks recorded rather than missed; nil when none were due.
    public var checksOnTimeShare: Double? {
        checksRecorded + checksMissed == 0 ? nil : Double(checksRecorded) / Double(checksRecorded + checksMissed)
    }

    /// Adds another contribution or day: sums add; the later plan wins.
    public mutating func add(_ other: DailyKPIs) {
        plannedSeconds += other.plannedSeconds
        runSeconds += other.runSeconds
        idealSeconds += other.idealSeconds
        made += other.made
        good += other.good
        productionReports += other.productionReports
        findingsCritical += other.findingsCritical
        findingsMajor += other.findingsMajor
        findingsMinor += other.findingsMinor
        findingsInfo += other.findingsInfo
        checksRecorded += other.checksRecorded
        checksMissed += other.checksMissed
        lotsHeld += other.lotsHeld
        incidents += other.incidents
        incidentsMajor += other.incidentsMajor
        cost += other.cost
        costRegion += other.costRegion
        if let at = other.scheduleAt, at >= (scheduleAt ?? -.infinity) {
            scheduleAt = at
            onTimeShare = other.onTimeShare
            lateOrders = other.lateOrders
        }
        if let at = other.adherenceAt, at >= (adherenceAt ?? -.infinity) {
            adherenceAt = at
            ordersDue = other.ordersDue
            ordersOnTime = other.ordersOnTime
        }
        if let at = other.trainingAt, at >= (trainingAt ?? -.infinity) {
            trainingAt = at
            certificatesNeeded = other.certificatesNeeded
            certificatesValid = other.certificatesValid
        }
    }

    /// The sum of several days: a period's figures, its orders due and on time summed over its days.
    public static func total(_ days: some Sequence<DailyKPIs>, as day: LocalDate) -> DailyKPIs {
        var total = DailyKPIs(day: day)
        var due: Int?
        var onTime: Int?
        var needed: Int?
        var valid: Int?
        for each in days {
            total.add(each)
            if let judged = each.ordersDue {
                due = (due ?? 0) + judged
                onTime = (onTime ?? 0) + (each.ordersOnTime ?? 0)
            }
            if let judged = each.certificatesNeeded {
                needed = (needed ?? 0) + judged
                valid = (valid ?? 0) + (each.certificatesValid ?? 0)
            }
        }
        total.ordersDue = due
        total.ordersOnTime = onTime
        total.certificatesNeeded = needed
        total.certificatesValid = valid
        return total
    }

    /// The mean adherence of the days that had a plan (sites that do not judge adherence yet).
    public static func meanAdherence(_ days: [DailyKPIs]) -> Double? {
        let known = days.compactMap(\.onTimeShare)
        return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
    }
}

extension DailyKPIs {
    /// The summed columns of `daily_kpis`, in the order every statement binds them.
    static var sumColumns: [(name: String, value: WritableKeyPath<DailyKPIs, Double>)] {
        [
            ("planned_seconds", \.plannedSeconds), ("run_seconds", \.runSeconds), ("ideal_seconds", \.idealSeconds),
            ("made", \.made), ("good", \.good), ("cost", \.cost), ("cost_region", \.costRegion),
        ]
    }
    static var countColumns: [(name: String, value: WritableKeyPath<DailyKPIs, Int>)] {
        [
            ("production_reports", \.productionReports), ("findings_critical", \.findingsCritical),
            ("findings_major", \.findingsMajor), ("findings_minor", \.findingsMinor), ("findings_info", \.findingsInfo),
            ("checks_recorded", \.checksRecorded), ("checks_missed", \.checksMissed), ("lots_held", \.lotsHeld),
            ("incidents", \.incidents), ("incidents_major", \.incidentsMajor),
        ]
    }

    /// The columns where the newest contribution of a day wins, each group led by the time that decides it.
    static let latestColumns = [
        ["schedule_at", "on_time_share", "late_orders"], ["adherence_at", "orders_due", "orders_on_time"],
        ["training_at", "certificates_needed", "certificates_valid"],
    ]

    /// Adds one day's contribution to its stored row (`placeholder(n)` writes the n-th parameter, from 1): site,
    /// day, the sums, the counts, then the latest-wins columns (`latestColumns`).
    static func upsertSQL(placeholder: (Int) -> String) -> String {
        let names = sumColumns.map(\.name) + countColumns.map(\.name)
        let all = ["site", "day"] + names + latestColumns.flatMap { $0 }
        let latest = latestColumns.flatMap { group in
            let at = group[0]
            let newer =
                "excluded.\(at) IS NOT NULL AND (daily_kpis.\(at) IS NULL OR excluded.\(at) >= daily_kpis.\(at))"
            return group.map { "\($0) = CASE WHEN \(newer) THEN excluded.\($0) ELSE daily_kpis.\($0) END" }
        }
        return """
            INSERT INTO daily_kpis (\(all.joined(separator: ", ")))
            VALUES (\((1...all.count).map(placeholder).joined(separator: ", ")))
            ON CONFLICT (site, day) DO UPDATE SET \((names.map { "\($0) = daily_kpis.\($0) + excluded.\($0)" } + latest).joined(separator: ", "))
            """
    }

    static var selectColumns: String {
        (["day"] + sumColumns.map(\.name) + countColumns.map(\.name) + latestColumns.flatMap { $0 })
            .joined(separator: ", ")
    }
}
