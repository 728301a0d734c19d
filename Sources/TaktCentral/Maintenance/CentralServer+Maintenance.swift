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
                return Self.html(
                    Dashboard.page(
                        title: "Maintenance", user: session.access.user.name, csrf: session.csrf,
                        body: Dashboard.maintenance(sites, now: self.clock(), zone: { self.zone($0) })))
            }
        }
        router.get("/v1/maintenance") { request, _ in
            try await self.withToken(request) { access in Self.json(.ok, try await self.maintenance(access)) }
        }
    }

    /// One site's maintenance as it last sent it; nil when it has sent none (no plans, no work orders).
    struct SiteMaintenance: Codable, Sendable {
        var site: String
        var name: String
        var status: MaintenanceStatus?
    }

    func maintenance(_ access: Access) async throws -> [SiteMaintenance] {
        var result: [SiteMaintenance] = []
        for site in visibleSites(access) {
            let payload = try await store.state(site: site, kind: "maintenance_status")["site"]
            let status = payload.flatMap { try? SiteState.decoder.decode(MaintenanceStatus.self, from: Data($0.utf8)) }
            result.append(SiteMaintenance(site: site, name: siteName(site), status: status))
        }
        return result
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
