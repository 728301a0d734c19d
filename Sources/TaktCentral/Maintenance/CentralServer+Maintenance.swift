import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktWeb

/// Maintenance across sites: routine maintenance overdue or coming due, and open breakdowns, as each site last
/// said (the `maintenance_status` record its sweep sends). Page `/maintenance`; JSON `/v1/maintenance`.
extension CentralServer {
    func addMaintenance(to router: Router<CentralContext>) {
        router.get("/maintenance") { request, _ in
            try await self.withSession(request) { session in
                let sites = try await self.maintenance(session.access)
                let losses = try await self.losses(session.access)
                return Self.html(
                    Dashboard.page(
                        title: "Maintenance", user: session.access.user.name, csrf: session.csrf,
                        body: Dashboard.maintenance(sites, now: self.clock(), zone: { self.zone($0) })
                            + Dashboard.losses(losses)))
            }
        }
        router.get("/v1/maintenance") { request, _ in
            try await self.withToken(request) { access in Self.json(.ok, try await self.maintenance(access)) }
        }
        router.get("/v1/losses") { request, _ in
            try await self.withToken(request) { access in Self.json(.ok, try await self.losses(access)) }
        }
    }

    /// One site's last 30 days of losses and reliability as it last sent them.
    typealias SiteLosses = SiteStatus<LossStatus>

    func losses(_ access: Access) async throws -> [SiteLosses] {
        try await latest(LossStatus.self, kind: "losses", key: "last_30_days", access)
    }

    /// One site's maintenance as it last sent it; nil when it has sent none (no plans, no work orders).
    typealias SiteMaintenance = SiteStatus<MaintenanceStatus>

    func maintenance(_ access: Access) async throws -> [SiteMaintenance] {
        try await latest(MaintenanceStatus.self, kind: "maintenance_status", key: "site", access)
    }
}

extension Dashboard {
    /// Per site: open breakdowns, then overdue routine maintenance, then what falls due in the next 7 days.
    static func maintenance(_ sites: [CentralServer.SiteMaintenance], now: Date, zone: (String) -> TimeZone)
        -> String
    {
        var html =
            "<h1>Maintenance</h1><p>As each site last said: routine maintenance overdue or due within 7 days, "
            + "and work orders still open.</p>"
        html += """
            <table><thead><tr><th scope="col">Site</th><th scope="col">Open breakdowns</th>\
            <th scope="col">Open work orders</th><th scope="col">Overdue</th><th scope="col">Due within 7 days</th></tr>\
            </thead><tbody>
            """
        let week = now.addingTimeInterval(7 * 86_400)
        for site in sites.sorted(by: {
            ($0.status?.plans.filter(\.overdue).count ?? 0) > ($1.status?.plans.filter(\.overdue).count ?? 0)
        }) {
            guard let status = site.status else {
                html +=
                    "<tr><td><a href=\"/sites/\(escape(site.site))\">\(escape(site.name))</a></td>"
                    + "<td colspan=\"4\">No maintenance sent by this site.</td></tr>"
                continue
            }
            func list(_ plans: [MaintenanceStatus.Plan]) -> String {
                plans.isEmpty
                    ? "—"
                    : plans.map {
                        "\(escape($0.task)) (\(escape($0.asset)), \($0.dueAt.map { escape(Instant.format($0, in: zone(site.site))) } ?? "?"))"
                    }.joined(separator: "<br>")
            }
            let overdue = status.plans.filter(\.overdue)
            let soon = status.plans.filter { !$0.overdue && ($0.dueAt.map { $0 <= week } ?? false) }
            let badge = overdue.isEmpty ? "" : " <span class=\"badge major\">\(overdue.count) overdue</span>"
            html +=
                "<tr><td><a href=\"/sites/\(escape(site.site))\">\(escape(site.name))</a>\(badge)</td>"
                + "<td>\(status.openBreakdowns)</td><td>\(status.openWorkOrders)</td>"
                + "<td>\(list(overdue))</td><td>\(list(soon))</td></tr>"
        }
        return html + "</tbody></table>"
    }
}

extension Dashboard {
    /// The six big losses summed over the sites (the same taxonomy everywhere), each site's share of planned time
    /// lost to each, its top stop reasons, and its assets' MTBF and MTTR.
    static func losses(_ sites: [CentralServer.SiteLosses]) -> String {
        let reporting = sites.filter { ($0.status?.losses.plannedSeconds ?? 0) > 0 }
        var html = "<h2>Losses, last 30 days</h2>"
        guard !reporting.isEmpty else { return html + "<p>No site has reported production in the last 30 days.</p>" }
        let planned = reporting.map { $0.status!.losses.plannedSeconds }.reduce(0, +)
        html +=
            "<p>Share of planned time, over \(reporting.count) site(s):</p><table><thead><tr><th scope=\"col\">Loss</th>"
            + "<th scope=\"col\">All sites</th>"
            + reporting.map { "<th scope=\"col\">\(escape($0.name))</th>" }.joined() + "</tr></thead><tbody>"
        func share(_ seconds: Double, of total: Double) -> String {
            total > 0 ? String(format: "%.1f %%", seconds / total * 100) : "n/a"
        }
        for loss in Loss.allCases {
            let total = reporting.map { $0.status!.losses.losses[loss] ?? 0 }.reduce(0, +)
            html +=
                "<tr><th scope=\"row\">\(escape(loss.rawValue.replacingOccurrences(of: "_", with: " ")))</th>"
                + "<td>\(share(total, of: planned))</td>"
                + reporting.map {
                    "<td>\(share($0.status!.losses.losses[loss] ?? 0, of: $0.status!.losses.plannedSeconds))</td>"
                }.joined() + "</tr>"
        }
        html +=
            "</tbody></table><h3>Stop reasons and reliability</h3><table><thead><tr><th scope=\"col\">Site</th><th scope=\"col\">Top stop reasons</th>"
            + "<th scope=\"col\">MTBF / MTTR per asset</th></tr></thead><tbody>"
        for site in reporting {
            let status = site.status!
            let reasons = status.losses.pareto.prefix(3).map {
                "\(escape($0.reason)) \(String(format: "%.1f h", $0.seconds / 3600))"
            }.joined(separator: ", ")
            let assets = status.reliability.filter { $0.breakdowns > 0 }.map {
                "\(escape($0.asset)): \($0.mtbfHours.map { String(format: "%.0f h", $0) } ?? "n/a") / "
                    + ($0.mttrHours.map { String(format: "%.1f h", $0) } ?? "n/a")
            }.joined(separator: "<br>")
            html +=
                "<tr><td>\(escape(site.name))</td><td>\(reasons.isEmpty ? "—" : reasons)</td>"
                + "<td>\(assets.isEmpty ? "no breakdowns" : assets)</td></tr>"
        }
        return html + "</tbody></table>"
    }
}
