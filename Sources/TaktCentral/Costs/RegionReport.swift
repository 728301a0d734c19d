import Foundation
import TaktCentralStore
import TaktCore

/// The regional monthly report for senior management, from central's daily roll-ups and each site's cost status.
enum RegionReport {
    static func build(
        region: String, month: CostMonth, costs: RegionCosts?, totals: [String: PeriodTotal], states: [SiteState],
        at now: Date
    ) -> ManagementReport {
        func percent(_ share: Double?) -> String { share.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a" }
        let currency = costs?.currency ?? ""
        func money(_ amount: Double?) -> String {
            amount.map { String(format: "%.2f %@", CostParts.cents($0), currency) } ?? "n/a"
        }
        let sites = states.sorted { $0.name < $1.name }
        var all = DailyKPIs(day: month.first)
        for site in sites { if let total = totals[site.site]?.total { all.add(total) } }
        var sections: [ManagementReport.Section] = []
        sections.append(
            .init(
                title: "Output, OEE and adherence",
                figures: [
                    .init("Good units", CriticalLimits.format(all.good), number: all.good),
                    .init("Scrap units", CriticalLimits.format(all.made - all.good), number: all.made - all.good),
                    .init("OEE", percent(all.oee?.value), number: all.oee?.value),
                    .init("Schedule adherence", percent(all.adherence), number: all.adherence),
                ],
                table: .init(
                    header: ["Site", "Good", "Scrap", "OEE", "Adherence", "Training compliance"],
                    rows: sites.map { site in
                        let total = totals[site.site]
                        return [
                            site.name, CriticalLimits.format(total?.total.good ?? 0),
                            CriticalLimits.format((total?.total.made ?? 0) - (total?.total.good ?? 0)),
                            percent(total?.total.oee?.value), percent(total?.adherence),
                            percent(total?.total.trainingCompliance),
                        ]
                    })))
        if let costs {
            sections.append(
                .init(
                    title: "Cost, budget and variance (\(currency), at dated exchange rates)",
                    figures: [
                        .init("Actual", money(costs.actual), number: costs.actual),
                        .init("Budget", money(costs.budget), number: costs.budget),
                        .init("Forecast to month end", money(costs.forecast), number: costs.forecast),
                        .init("Variance against standard", money(costs.variance.total), number: costs.variance.total),
                    ],
                    table: .init(
                        header: ["Site", "Currency", "Actual", "Budget", "Forecast", "Variance"],
                        rows: costs.sites.map {
                            [
                                $0.name, $0.currency ?? "n/a", money($0.actualRegion), money($0.budgetRegion),
                                money($0.forecastRegion), money($0.varianceRegion?.total),
                            ]
                        }),
                    notes: costs.sites.flatMap { site in site.problems.map { "\(site.name): \($0)" } }
                        + (costs.complete ? [] : ["The totals leave out the figures that could not be converted."])))
        }
        sections.append(
            .init(
                title: "Quality and safety",
                figures: [
                    .init("Findings raised", "\(all.findingsRaised)", number: Double(all.findingsRaised)),
                    .init("Critical findings", "\(all.findingsCritical)", number: Double(all.findingsCritical)),
                    .init("Lots held", "\(all.lotsHeld)", number: Double(all.lotsHeld)),
                    .init("Incidents", "\(all.incidents)", number: Double(all.incidents)),
                ],
                table: .init(
                    header: ["Site", "Findings", "Critical", "Lots held", "Incidents"],
                    rows: sites.map { site in
                        let total = totals[site.site]?.total
                        return [
                            site.name, "\(total?.findingsRaised ?? 0)", "\(total?.findingsCritical ?? 0)",
                            "\(total?.lotsHeld ?? 0)", "\(total?.incidents ?? 0)",
                        ]
                    })))
        sections.append(
            .init(
                title: "Open actions (now)",
                figures: [
                    .init(
                        "Open findings", "\(sites.map(\.openFindings.count).reduce(0, +))",
                        number: Double(sites.map(\.openFindings.count).reduce(0, +)))
                ],
                table: .init(
                    header: ["Site", "Open findings", "Critical open", "Lots on hold", "Overdue checks"],
                    rows: sites.map {
                        [
                            $0.name, "\($0.openFindings.count)", "\($0.criticalOpen)", "\($0.lotsOnHold.count)",
                            "\($0.overdueChecks)",
                        ]
                    })))
        return ManagementReport(
            title: "\(region): regional report \(month)",
            subtitle:
                "\(sites.count) site(s); KPIs from central's daily roll-ups, costs as each site's sweep sent them",
            generatedAt: now, sections: sections)
    }
}
