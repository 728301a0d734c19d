import Foundation
import TaktCore

extension Dashboard {
    /// Per region, each site's month in the region's currency: actual, budget, forecast and variance against
    /// standard with its parts; the rates in use; the regional report's links; the rates form for those who may.
    static func costs(
        _ regions: [RegionCosts], month: CostMonth, rates: [ExchangeRate], csrf: String, canSetRates: Bool
    ) -> String {
        var html =
            "<h1>Costs</h1><p>Each site's costs for the month as its sweep last sent them, converted into the region's "
            + "currency: each day's cost at the exchange rate in force that day; budget, forecast and variance at the "
            + "month's rate. A missing rate is named, never taken as 1:1. Variance is actual against standard for the "
            + "orders produced (+ is over standard).</p>"
        html +=
            "<form method=\"get\" action=\"/costs\" class=\"inline\"><label>Month <input name=\"month\" "
            + "value=\"\(escape(month.description))\" pattern=\"[0-9]{4}-[0-9]{2}\" size=\"8\"></label>"
            + "<button>Show</button></form>"
        func money(_ amount: Double?, _ currency: String) -> String {
            amount.map { escape(String(format: "%.2f %@", CostParts.cents($0), currency)) } ?? "n/a"
        }
        for region in regions {
            let currency = region.currency
            html +=
                "<h2>\(escape(region.name)) (\(escape(currency)))</h2><p>Regional report: "
                + "<a href=\"/reports/\(escape(region.region))/\(month)\">printable</a> · "
                + "<a href=\"/reports/\(escape(region.region))/\(month)?format=csv\">CSV</a></p>"
            html += """
                <table><thead><tr><th scope="col">Site</th><th scope="col">Currency</th><th scope="col">Actual</th>\
                <th scope="col">Budget</th><th scope="col">Forecast</th><th scope="col">Variance</th>\
                <th scope="col">Material price</th><th scope="col">Material usage</th><th scope="col">Efficiency</th>\
                <th scope="col">Scrap</th><th scope="col">Changeover</th><th scope="col">Orders</th></tr></thead><tbody>
                """
            for site in region.sites {
                let over = (site.forecastRegion ?? 0) > (site.budgetRegion ?? .infinity) + 0.005
                let variance = site.varianceRegion
                html +=
                    "<tr><td><a href=\"/sites/\(escape(site.site))\">\(escape(site.name))</a></td>"
                    + "<td>\(escape(site.currency ?? "n/a"))</td><td>\(money(site.actualRegion, currency))</td>"
                    + "<td>\(money(site.budgetRegion, currency))</td>"
                    + "<td>\(over ? "<span class=\"badge major\">" : "")\(money(site.forecastRegion, currency))"
                    + "\(over ? "</span>" : "")</td><td>\(money(variance?.total, currency))</td>"
                    + "<td>\(money(variance?.materialPrice, currency))</td>"
                    + "<td>\(money(variance?.materialUsage, currency))</td>"
                    + "<td>\(money(variance?.efficiency, currency))</td><td>\(money(variance?.scrap, currency))</td>"
                    + "<td>\(money(variance?.changeover, currency))</td><td>\(site.orders)</td></tr>"
            }
            html +=
                "<tr><th scope=\"row\">Region\(region.complete ? "" : " (incomplete)")</th><td>\(escape(currency))</td>"
                + "<td>\(money(region.actual, currency))</td><td>\(money(region.budget, currency))</td>"
                + "<td>\(money(region.forecast, currency))</td><td>\(money(region.variance.total, currency))</td>"
                + "<td colspan=\"6\"></td></tr></tbody></table>"
            let problems = region.sites.flatMap { site in site.problems.map { (site.name, $0) } }
            if !problems.isEmpty {
                html += "<ul class=\"problems\">"
                for (name, problem) in problems.prefix(100) { html += "<li>\(escape(name)): \(escape(problem))</li>" }
                html += "</ul>"
            }
        }
        html += "<h2>Exchange rates</h2>"
        if rates.isEmpty {
            html += "<p>No exchange rates yet.</p>"
        } else {
            html +=
                "<table><thead><tr><th scope=\"col\">From</th><th scope=\"col\">Into</th><th scope=\"col\">From day"
                + "</th><th scope=\"col\">Rate</th></tr></thead><tbody>"
            for rate in rates.suffix(200).reversed() {
                html +=
                    "<tr><td>\(escape(rate.currency))</td><td>\(escape(rate.into))</td><td>\(rate.day)</td>"
                    + "<td>\(String(format: "%g", rate.rate))</td></tr>"
            }
            html += "</tbody></table>"
        }
        if canSetRates {
            html +=
                "<form method=\"post\" action=\"/costs/rates\" class=\"stack\"><input type=\"hidden\" name=\"csrf\" "
                + "value=\"\(escape(csrf))\"><label>Add rates, one per line: currency,into,day,rate (MYR,GBP,2026-11-01,"
                + "0.17)<textarea name=\"rates\" rows=\"6\" cols=\"50\" required></textarea></label>"
                + "<button>Store the rates</button></form>"
        }
        return html
    }
}
