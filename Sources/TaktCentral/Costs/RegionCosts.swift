import Foundation
import TaktCore

/// A region's costs for a month in its own currency: each site's costs as its sweep sent them (`cost_status`),
/// each day's converted at the exchange rate in force that day; budget, forecast and variance at the month's
/// rate (the latest on or before its last day, or today for the current month). A missing rate is named, never
/// taken as 1:1, and leaves that figure out of the region's total.
public struct RegionCosts: Hashable, Sendable, Codable {
    public struct Site: Hashable, Sendable, Codable {
        public var site: String
        public var name: String
        /// The site's currency; nil when it has sent no cost status for the month.
        public var currency: String?
        /// In the site's currency.
        public var actual: Double?
        public var budget: Double?
        public var forecast: Double?
        /// In the region's currency; nil where a rate is missing.
        public var actualRegion: Double?
        public var budgetRegion: Double?
        public var forecastRegion: Double?
        public var varianceRegion: OrderCost.Variance?
        public var orders: Int
        /// Why a figure is missing: no cost status, or the exchange rates not there, by currency and day.
        public var problems: [String]
    }

    public var region: String
    public var name: String
    public var currency: String
    public var month: CostMonth
    public var sites: [Site]

    /// The region's totals in its currency, over the sites whose figures converted.
    public var actual: Double { sites.compactMap(\.actualRegion).reduce(0, +) }
    public var budget: Double { sites.compactMap(\.budgetRegion).reduce(0, +) }
    public var forecast: Double { sites.compactMap(\.forecastRegion).reduce(0, +) }
    public var variance: OrderCost.Variance { sites.compactMap(\.varianceRegion).reduce(OrderCost.Variance(), +) }
    /// True when every site's figures are in the totals.
    public var complete: Bool { sites.allSatisfy { $0.actualRegion != nil } }

    /// Converts each site's status; `rateDay` is the day budget, forecast and variance convert at.
    public static func build(
        region: String, name: String, currency: String, month: CostMonth, rateDay: LocalDate,
        sites: [(site: String, name: String, status: CostStatus?)], rates: ExchangeRates
    ) -> RegionCosts {
        var result: [Site] = []
        for (id, siteName, status) in sites {
            guard let status else {
                result.append(
                    Site(
                        site: id, name: siteName, orders: 0,
                        problems: ["no cost status for \(month) from this site yet"]))
                continue
            }
            var problems: [String] = []
            var converted = 0.0
            var missingDays: [LocalDate] = []
            for day in status.days {
                if let rate = rates.rate(status.currency, into: currency, on: day.day) {
                    converted += day.amount * rate
                } else {
                    missingDays.append(day.day)
                }
            }
            if let first = missingDays.first {
                problems.append(
                    "no exchange rate from \(status.currency) into \(currency) on or before \(first)"
                        + (missingDays.count > 1 ? " (and \(missingDays.count - 1) more days)" : ""))
            }
            let monthRate = rates.rate(status.currency, into: currency, on: rateDay)
            if monthRate == nil, missingDays.isEmpty {
                problems.append("no exchange rate from \(status.currency) into \(currency) on or before \(rateDay)")
            }
            result.append(
                Site(
                    site: id, name: siteName, currency: status.currency, actual: status.budget.actual,
                    budget: status.budget.budget, forecast: status.budget.forecast,
                    actualRegion: missingDays.isEmpty ? CostParts.cents(converted) : nil,
                    budgetRegion: monthRate.map { CostParts.cents(status.budget.budget * $0) },
                    forecastRegion: monthRate.map { CostParts.cents(status.budget.forecast * $0) },
                    varianceRegion: monthRate.map { status.variance.scaled(by: $0) }, orders: status.orders,
                    problems: problems))
        }
        return RegionCosts(region: region, name: name, currency: currency, month: month, sites: result)
    }
}
