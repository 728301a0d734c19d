import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktWeb

/// Quality and safety across sites, as each site last said (the `quality_status` record its sweep sends): open
/// non-conformance reports with their late corrective and preventive actions, incidents of the last 30 days by
/// kind, and the lost-time injury frequency rate over 12 months. Page `/quality`; JSON `/v1/quality`.
extension CentralServer {
    func addQuality(to router: Router<CentralContext>) {
        router.get("/quality") { request, _ in
            try await self.withSession(request) { session in
                Self.html(
                    Dashboard.page(
                        title: "Quality and safety", user: session.access.user.name, csrf: session.csrf,
                        body: Dashboard.quality(try await self.quality(session.access), zone: { self.zone($0) })))
            }
        }
        router.get("/v1/quality") { request, _ in
            try await self.withToken(request) { access in Self.json(.ok, try await self.quality(access)) }
        }
    }

    /// One site's quality and safety as it last sent them; nil when it has sent none.
    typealias SiteQuality = SiteStatus<QualityStatus>

    func quality(_ access: Access) async throws -> [SiteQuality] {
        try await latest(QualityStatus.self, kind: "quality_status", key: "site", access)
    }
}

extension Dashboard {
    /// Per site, worst first: late actions, open reports, incidents by kind and the injury rate; then each site's
    /// open reports.
    static func quality(_ sites: [CentralServer.SiteQuality], zone: (String) -> TimeZone) -> String {
        var html =
            "<h1>Quality and safety</h1><p>As each site last said: open non-conformance reports and their late "
            + "actions, incidents in the last 30 days, and lost-time injuries per million hours worked over the last "
            + "12 months (hours from the roster).</p>"
        html += """
            <table><thead><tr><th scope="col">Site</th><th scope="col">Open reports</th>\
            <th scope="col">Late actions</th><th scope="col">Incidents, 30 days</th>\
            <th scope="col">Lost-time injuries, 12 months</th><th scope="col">LTIFR</th>\
            <th scope="col">Risk reviews overdue</th><th scope="col">High residual risks</th>\
            <th scope="col">Open permits (overrun)</th><th scope="col">Alerts waiting / given up</th></tr></thead><tbody>
            """
        let ordered = sites.sorted {
            ($0.status?.overdueActions ?? -1, $0.status?.reports.count ?? -1, $1.name)
                > ($1.status?.overdueActions ?? -1, $1.status?.reports.count ?? -1, $0.name)
        }
        for site in ordered {
            let link = "<a href=\"/sites/\(escape(site.site))\">\(escape(site.name))</a>"
            guard let status = site.status else {
                html += "<tr><td>\(link)</td><td colspan=\"9\">No quality status sent by this site.</td></tr>"
                continue
            }
            let incidents =
                status.incidents.isEmpty
                ? "0"
                : status.incidents.sorted { $0.key < $1.key }.map {
                    "\(escape($0.key.replacingOccurrences(of: "_", with: " "))) \($0.value)"
                }.joined(separator: ", ")
            let badge = status.overdueActions > 0 ? " class=\"badge major\"" : ""
            html +=
                "<tr><td>\(link)</td><td>\(status.reports.count)</td><td><span\(badge)>\(status.overdueActions)</span></td>"
                + "<td>\(incidents)</td><td>\(status.lostTimeInjuries) in \(String(format: "%.0f", status.hoursWorked)) h</td>"
                + "<td>\(status.lostTimeInjuryFrequency.map { String(format: "%.1f", $0) } ?? "n/a")</td>"
                + "<td>\(status.riskReviewsOverdue)</td><td>\(status.highResidualRisks)</td>"
                + "<td>\(status.openPermits) (\(status.overrunPermits))</td>"
                + "<td>\(status.alertsWaiting) / \(status.alertsFailed)</td></tr>"
        }
        html += "</tbody></table>"
        html += charts(ordered, zone: zone)
        let open = ordered.compactMap { site in site.status.map { (site, $0.reports) } }.filter { !$0.1.isEmpty }
        guard !open.isEmpty else { return html + "<p>No open non-conformance reports.</p>" }
        html +=
            "<h2>Open non-conformance reports</h2><table><thead><tr><th scope=\"col\">Site</th><th scope=\"col\">Report</th>"
            + "<th scope=\"col\">From</th><th scope=\"col\">State</th><th scope=\"col\">Actions open / late</th></tr></thead><tbody>"
        for (site, reports) in open {
            for report in reports {
                html +=
                    "<tr><td>\(escape(site.name))</td><td>\(escape(report.id)): \(escape(report.description))</td>"
                    + "<td>\(escape(report.source.rawValue))</td><td>\(escape(report.status.rawValue))</td>"
                    + "<td>\(report.actionsOpen) / \(report.actionsOverdue)</td></tr>"
            }
        }
        return html + "</tbody></table>"
    }

    /// Each site's control charts, drawn as the site draws them: points, centre line, zones, limits, signals.
    static func charts(_ sites: [CentralServer.SiteQuality], zone: (String) -> TimeZone) -> String {
        let charted = sites.compactMap { site in site.status.map { (site, $0.charts) } }.filter { !$0.1.isEmpty }
        guard !charted.isEmpty else { return "" }
        var html = "<h2>Control charts</h2>"
        for (site, charts) in charted {
            // A site sends 30 points a chart; whatever one sends, the page draws a bounded amount.
            for entry in charts.prefix(50) {
                let title = "\(site.name): \(entry.name)" + (entry.workCentre.map { " at \($0)" } ?? "")
                html += "<section class=\"chart\"><h3>\(escape(title))</h3>"
                guard let chart = entry.chart else {
                    html += "<p>No limits yet: the baseline is still being collected.</p></section>"
                    continue
                }
                let points = entry.points.suffix(60)
                let values = points.map(\.value)
                html +=
                    chart.svg(
                        points.map { ($0.at, $0.value) }, specification: entry.limits, title: title,
                        timeZone: zone(site.site), signalling: chart.signalling(values))
                    + "<p>"
                    + escape(
                        entry.signals.isEmpty
                            ? "In control" : "Signals: " + entry.signals.map(\.description).joined(separator: "; "))
                    + (chart.subgroupSize > 1 ? " · X̄–R, subgroups of \(chart.subgroupSize)" : "")
                    + (entry.cpk.map { String(format: " · Cpk %.2f", $0) } ?? "") + "</p></section>"
            }
        }
        return html
    }
}
