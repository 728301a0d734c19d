import Foundation
import TaktCore
import TaktStore

/// The monthly site report for senior management, and what the sweep sends central about costs.
extension SiteHost {
    /// A month's costs for central: budget against actual and forecast, and the variance of its orders.
    public func costStatus(of month: CostMonth, at now: Date) throws(HostError) -> CostStatus {
        let zone = definition.timeZone
        let variance = try variance(in: month.window(in: zone))
        var days: [CostStatus.DayCost] = []
        var day = month.first
        while day <= month.last, day.instant(in: zone) < now {
            let window = DateInterval(
                start: day.instant(in: zone),
                end: min(day.adding(days: 1).instant(in: zone), max(now, day.instant(in: zone))))
            let amount = try actualCosts(in: window).values.reduce(0, +)
            if amount != 0 { days.append(.init(day: day, amount: CostParts.cents(amount))) }
            day = day.adding(days: 1)
        }
        return CostStatus(
            month: month, currency: definition.site.currency, budget: try budgetStatus(of: month, at: now),
            orders: variance.orders.count, standard: CostParts.cents(variance.standard.total),
            actual: CostParts.cents(variance.actual.total), variance: variance.variance, days: days, at: now)
    }

    /// The month's report: output and OEE with its losses, schedule adherence, cost and variance against budget,
    /// quality and safety, and the actions still open.
    public func monthlyReport(of month: CostMonth, at now: Date) throws(HostError) -> ManagementReport {
        let zone = definition.timeZone
        let window = month.window(in: zone)
        let currency = definition.site.currency
        func money(_ amount: Double) -> String { String(format: "%.2f %@", CostParts.cents(amount), currency) }
        func percent(_ share: Double?) -> String { share.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a" }
        func count(_ value: Double) -> String { CriticalLimits.format(value) }
        var sections: [ManagementReport.Section] = []

        let reports = try stored { () throws(StoreError) in
            try store.productionReports(
                in: DateInterval(start: window.start.addingTimeInterval(-0.001), end: window.end))
        }
        let oee = OEE(reports)
        let good = reports.map(\.good).reduce(0, +)
        let scrap = reports.map(\.scrap).reduce(0, +)
        let losses = LossBreakdown(reports, reasons: definition.downtimeReasons)
        let byProduct = Dictionary(grouping: reports, by: \.product).sorted { $0.key < $1.key }.map {
            [$0.key, count($0.value.map(\.good).reduce(0, +)), count($0.value.map(\.scrap).reduce(0, +))]
        }
        sections.append(
            .init(
                title: "Output and OEE",
                figures: [
                    .init("Good units", count(good), number: good), .init("Scrap units", count(scrap), number: scrap),
                    .init("OEE", percent(oee?.value), number: oee?.value),
                    .init("Availability", percent(oee?.availability), number: oee?.availability),
                    .init("Performance", percent(oee?.performance), number: oee?.performance),
                    .init("Quality", percent(oee?.quality), number: oee?.quality),
                ],
                table: byProduct.isEmpty ? nil : .init(header: ["Product", "Good", "Scrap"], rows: byProduct)))
        sections.append(
            .init(
                title: "Losses (downtime by reason)",
                table: .init(
                    header: ["Reason", "Loss", "Hours", "Cumulative share"],
                    rows: losses.pareto.map {
                        [
                            $0.reason, $0.loss.rawValue, String(format: "%.1f", $0.seconds / 3600),
                            percent($0.cumulativeShare),
                        ]
                    })))

        let outcomes = try stored { () throws(StoreError) in try store.orderOutcomes(dueIn: window) }
        let judged = outcomes.filter { !$0.cancelled && ($0.completedAt != nil || $0.due <= now) }
        let onTime = judged.filter { ($0.completedAt ?? .distantFuture) <= $0.due }
        let lateRows = judged.filter { ($0.completedAt ?? .distantFuture) > $0.due }.prefix(50).map {
            [$0.order, Instant.format($0.due, in: zone), $0.completedAt.map { Instant.format($0, in: zone) } ?? "open"]
        }
        sections.append(
            .init(
                title: "Schedule adherence",
                figures: [
                    .init("Orders due", "\(judged.count)", number: Double(judged.count)),
                    .init("On time", "\(onTime.count)", number: Double(onTime.count)),
                    .init(
                        "Adherence", percent(judged.isEmpty ? nil : Double(onTime.count) / Double(judged.count)),
                        number: judged.isEmpty ? nil : Double(onTime.count) / Double(judged.count)),
                ],
                table: lateRows.isEmpty ? nil : .init(header: ["Late order", "Due", "Finished"], rows: Array(lateRows)))
        )

        let status = try costStatus(of: month, at: now)
        let varianceReport = try variance(in: window)
        sections.append(
            .init(
                title: "Cost and budget (\(currency))",
                figures: [
                    .init("Actual to date", money(status.budget.actual), number: status.budget.actual),
                    .init("Forecast to month end", money(status.budget.forecast), number: status.budget.forecast),
                    .init("Budget", money(status.budget.budget), number: status.budget.budget),
                ],
                table: .init(
                    header: ["Category", "Actual", "Forecast", "Budget"],
                    rows: status.budget.lines.map {
                        [$0.category, money($0.actual), money($0.forecast), $0.budget.map(money) ?? "none"]
                    })))
        sections.append(
            .init(
                title: "Variance against standard (\(currency), + is over)",
                figures: [
                    .init("Orders produced", "\(status.orders)", number: Double(status.orders)),
                    .init("Standard", money(status.standard), number: status.standard),
                    .init("Actual", money(status.actual), number: status.actual),
                    .init("Variance", money(status.variance.total), number: status.variance.total),
                ] + status.variance.named.map { .init($0.0.capitalized, money($0.1), number: $0.1) },
                table: varianceReport.byProduct.isEmpty
                    ? nil
                    : .init(
                        header: ["Product", "Standard", "Actual", "Variance"],
                        rows: varianceReport.byProduct.map {
                            [$0.product, money($0.standard), money($0.actual), money($0.variance.total)]
                        }),
                notes: Array(Set(varianceReport.orders.flatMap(\.notes))).sorted()
                    + varianceReport.skipped.prefix(20).map { "Not costed: \($0)" }))

        let raised = try findings(openOnly: false).filter { window.contains($0.raisedAt) && $0.raisedAt < window.end }
        let incidents = try incidents(in: window)
        let nonConformances = try nonConformances().filter {
            window.contains($0.openedAt) && $0.openedAt < window.end
        }
        sections.append(
            .init(
                title: "Quality and safety",
                figures: [
                    .init("Findings raised", "\(raised.count)", number: Double(raised.count)),
                    .init(
                        "Critical findings", "\(raised.filter { $0.severity == .critical }.count)",
                        number: Double(raised.filter { $0.severity == .critical }.count)),
                    .init("Non-conformances opened", "\(nonConformances.count)", number: Double(nonConformances.count)),
                    .init("Incidents", "\(incidents.count)", number: Double(incidents.count)),
                    .init(
                        "Injuries", "\(incidents.filter { $0.kind == "injury" }.count)",
                        number: Double(incidents.filter { $0.kind == "injury" }.count)),
                ]))

        let open = try findings(openOnly: true).sorted { ($0.severity, $0.raisedAt) > ($1.severity, $1.raisedAt) }
        sections.append(
            .init(
                title: "Open actions",
                figures: [.init("Open findings", "\(open.count)", number: Double(open.count))],
                table: open.isEmpty
                    ? nil
                    : .init(
                        header: ["Severity", "Rule", "What", "Raised"],
                        rows: open.prefix(30).map {
                            [$0.severity.rawValue, $0.rule.rawValue, $0.message, Instant.format($0.raisedAt, in: zone)]
                        }),
                notes: open.count > 30 ? ["\(open.count - 30) more open findings: takt findings --open"] : []))
        return ManagementReport(
            title: "\(definition.site.name): monthly report \(month)",
            subtitle: "Site \(definition.site.id), region \(definition.site.region), figures in \(currency)",
            generatedAt: now, sections: sections)
    }

    /// Writes last month's report (HTML and CSV) to the site's report folder once the month has ended, if the
    /// site asks for it (`costs.reports.folder`, under the data directory). Returns the files written.
    @discardableResult
    public func writeMonthlyReportIfDue(at now: Date) throws(HostError) -> [String] {
        guard let folder = definition.reportFolder else { return [] }
        let previous = CostMonth(LocalDate(now, in: definition.timeZone)).previous
        let written = try stored { () throws(StoreError) in try store.meta("monthly_report_written") }
        guard written.flatMap(CostMonth.init(parsing:)).map({ $0 < previous }) ?? true else { return [] }
        let report = try monthlyReport(of: previous, at: now)
        let directory = URL(fileURLWithPath: store.path).deletingLastPathComponent()
            .appendingPathComponent(folder, isDirectory: true)
        let base = directory.appendingPathComponent("\(definition.site.id)-\(previous)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(report.html(in: definition.timeZone).utf8).write(to: base.appendingPathExtension("html"))
            try Data(report.csv().utf8).write(to: base.appendingPathExtension("csv"))
        } catch {
            throw .invalidInput("the monthly report could not be written to \(directory.path): \(error)")
        }
        try stored { () throws(StoreError) in try store.setMeta("monthly_report_written", previous.description) }
        return [base.appendingPathExtension("html").path, base.appendingPathExtension("csv").path]
    }
}

extension SiteHost {
    /// Sends central this month's cost status, at most every 15 minutes, and last month's once more when a new
    /// month has begun (so its final figures arrive).
    func publishCostStatus(at now: Date) throws(HostError) {
        let month = CostMonth(LocalDate(now, in: definition.timeZone))
        let last = try stored { () throws(StoreError) in try store.meta("cost_status_at") }.flatMap {
            Double($0).map(Date.init(timeIntervalSince1970:))
        }
        if let last, now.timeIntervalSince(last) < 15 * 60, now >= last,
            CostMonth(LocalDate(last, in: definition.timeZone)) == month
        {
            return
        }
        var months = [month]
        if last.map({ CostMonth(LocalDate($0, in: definition.timeZone)) < month }) ?? true {
            months.insert(month.previous, at: 0)
        }
        for month in months {
            let status = try costStatus(of: month, at: now)
            try stored { () throws(StoreError) in
                _ = try store.publishState(kind: "cost_status", key: month.description, payload: status, at: now)
            }
        }
        try stored { () throws(StoreError) in try store.setMeta("cost_status_at", "\(now.timeIntervalSince1970)") }
    }

    /// Writes last month's report when it is due and raises an information finding (`site.report.monthly`) that
    /// the site's alert routes deliver like any other, with where the files are and the month's headline figures.
    func announceMonthlyReport(at now: Date) throws(HostError) -> [Finding] {
        let files = try writeMonthlyReportIfDue(at: now)
        guard let html = files.first else { return [] }
        let month = CostMonth(LocalDate(now, in: definition.timeZone)).previous
        let status = try costStatus(of: month, at: now)
        let finding = Finding(
            rule: "site.report.monthly", severity: .info, subject: .init(.site, definition.site.id),
            message: "The monthly report for \(month) is ready: \(html). Cost "
                + String(
                    format: "%.2f %@ against a budget of %.2f %@", status.budget.actual, status.currency,
                    status.budget.budget, status.currency)
                + String(format: "; variance against standard %+.2f.", status.variance.total),
            actions: [FindingAction(.correctiveAction, "Read the report and send it on; close this when done")],
            raisedAt: now, key: "monthly-report:\(month)")
        return try stored { () throws(StoreError) in try store.raise([finding]) }
    }
}
