import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktWeb

/// People across sites, as each site last said (the `people_status` record its sweep sends): training compliance
/// (needed certificates valid today), certificates expiring within the site's lead, single points of failure on
/// the coming shifts, absence today and sessions planned. Page `/people`; JSON `/v1/people`.
extension CentralServer {
    func addPeople(to router: Router<CentralContext>) {
        router.get("/people") { request, _ in
            try await self.withSession(request) { session in
                Self.html(
                    Dashboard.page(
                        title: "People", user: session.access.user.name, csrf: session.csrf,
                        body: Dashboard.people(try await self.people(session.access))))
            }
        }
        router.get("/v1/people") { request, _ in
            try await self.withToken(request) { access in Self.json(.ok, try await self.people(access)) }
        }
    }

    /// One site's people as it last sent them; nil when it has sent none.
    typealias SitePeople = SiteStatus<PeopleStatus>

    func people(_ access: Access) async throws -> [SitePeople] {
        try await latest(PeopleStatus.self, kind: "people_status", key: "site", access)
    }
}

extension Dashboard {
    /// Per site, lowest training compliance first; then every single point of failure.
    static func people(_ sites: [CentralServer.SitePeople]) -> String {
        var html =
            "<h1>People</h1><p>As each site last said: the certificates its people need for the work their skills "
            + "are used for and how many are valid today, those expiring within the site's training lead, the skills "
            + "only one person (or nobody) rostered on a shift can do at a work centre over the coming days, who is "
            + "away today, and training sessions planned.</p>"
        html += """
            <table><thead><tr><th scope="col">Site</th><th scope="col">People</th>\
            <th scope="col">Training compliance</th><th scope="col">Certificates expiring</th>\
            <th scope="col">Single points of failure</th><th scope="col">Away today</th>\
            <th scope="col">Sessions planned</th></tr></thead><tbody>
            """
        let ordered = sites.sorted {
            ($0.status?.trainingCompliance ?? 2, $0.name) < ($1.status?.trainingCompliance ?? 2, $1.name)
        }
        for site in ordered {
            let link = "<a href=\"/sites/\(escape(site.site))\">\(escape(site.name))</a>"
            guard let status = site.status else {
                html += "<tr><td>\(link)</td><td colspan=\"6\">No people status sent by this site.</td></tr>"
                continue
            }
            let compliance =
                status.trainingCompliance.map {
                    String(format: "%.1f %%", $0 * 100)
                        + " (\(status.certificatesValid) of \(status.certificatesNeeded))"
                } ?? "n/a"
            let badge = (status.trainingCompliance ?? 1) < 1 ? " class=\"badge major\"" : ""
            html +=
                "<tr><td>\(link)</td><td>\(status.people)</td><td><span\(badge)>\(compliance)</span></td>"
                + "<td>\(status.certificatesExpiring)</td><td>\(status.singlePoints.count)</td>"
                + "<td>\(status.absentToday)</td><td>\(status.sessionsPlanned)</td></tr>"
        }
        html += "</tbody></table>"
        let points = ordered.flatMap { site in (site.status?.singlePoints ?? []).prefix(200).map { (site, $0) } }
        guard !points.isEmpty else { return html + "<p>No single points of failure.</p>" }
        html +=
            "<h2>Single points of failure</h2><table><thead><tr><th scope=\"col\">Site</th>"
            + "<th scope=\"col\">Work centre</th><th scope=\"col\">Skill</th><th scope=\"col\">Shift</th>"
            + "<th scope=\"col\">Who</th></tr></thead><tbody>"
        for (site, point) in points {
            html +=
                "<tr><td>\(escape(site.name))</td><td>\(escape(point.workCentre))</td><td>\(escape(point.skill))</td>"
                + "<td>\(escape(point.shift))</td><td>\(point.people.isEmpty ? "nobody" : escape(point.people.joined(separator: ", ")))</td></tr>"
        }
        return html + "</tbody></table>"
    }
}
