import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktStore
import TaktWeb

extension CentralServer {

    /// The dashboard's routes on `router`.
    func addDashboard(to router: Router<CentralContext>) {
        router.get("/login") { request, _ in try await self.loginPage(request, error: nil) }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.post("/login") { request, context in try await self.login(request, peer: context.peer) }
        router.post("/logout") { request, _ in try await self.logout(request) }
        router.get("/") { request, _ in
            try await self.withSession(request) { session in
                try await self.overviewPage(
                    session, region: request.uri.queryParameters["region"].map(String.init),
                    status: request.uri.queryParameters["status"].map(String.init))
            }
        }
        router.get("/sites/:site") { request, context in
            let site = try context.parameters.require("site")
            let days = request.uri.queryParameters["days"].map(String.init)
            return try await self.withSession(request) { session in
                try await self.sitePage(session, site: site, days: days)
            }
        }
        router.get("/compare") { request, _ in
            let days = request.uri.queryParameters["days"].flatMap { Int(String($0)) } ?? 7
            return try await self.withSession(request) { session in
                try await self.comparePage(session, days: max(1, min(days, 365)))
            }
        }
        router.get("/config") { request, _ in
            try await self.withSession(request) { session in
                try await self.configPage(session, message: nil, error: nil, document: "")
            }
        }
        router.post("/config") { request, _ in try await self.publish(request) }
    }

    func zone(_ site: String) -> TimeZone { timeZones[site] ?? TimeZone(identifier: "UTC")! }

    func state(_ site: CentralConfiguration.SiteEntry, region: String, detail: Bool = true) async throws -> SiteState {
        try await SiteState.load(
            site: site, region: region, store: store, now: clock(), projections: projections, zone: zone(site.id),
            detail: detail)
    }

    /// The states of many sites (without their schedules), in the order given, read from the store in one go.
    func states(_ sites: [(region: String, site: CentralConfiguration.SiteEntry)]) async throws -> [SiteState] {
        try await SiteState.loadAll(
            sites.map { ($0.region, $0.site, zone($0.site.id)) }, store: store, now: clock(), projections: projections)
    }

    /// The overview, optionally only one region (`region`, its id) and one status (`red`, `amber`, `grey`,
    /// `green`); a value that is neither is named on the page and not applied.
    func overviewPage(_ session: Session, region: String?, status: String?) async throws -> Response {
        var filter = Dashboard.OverviewFilter()
        var problems: [String] = []
        let visible = session.access.regions.map { (id: $0.region.id, name: $0.region.name ?? $0.region.id) }
        if let region, !region.isEmpty {
            if visible.contains(where: { $0.id == region }) {
                filter.region = region
            } else {
                problems.append("no region '\(region.prefix(60))' among yours")
            }
        }
        if let status, !status.isEmpty {
            if Dashboard.statuses.contains(status) {
                filter.status = status
            } else {
                problems.append("no status '\(status.prefix(60))': choose red, amber, grey or green")
            }
        }
        var regions: [(name: String, states: [(SiteState, TimeZone)])] = []
        for entry in session.access.regions where filter.region == nil || filter.region == entry.region.id {
            let states = try await states(entry.sites.map { (entry.region.id, $0) })
            regions.append(
                (
                    name: entry.region.name ?? entry.region.id,
                    states: states.filter { filter.status == nil || $0.status == filter.status }.map {
                        ($0, zone($0.site))
                    }
                ))
        }
        return Self.html(
            Dashboard.page(
                title: "Overview", user: session.access.user.name, csrf: session.csrf,
                body: Dashboard.overview(
                    regions, now: clock(), filter: filter,
                    regions: visible, problems: problems),
                refreshSeconds: Dashboard.overviewRefreshSeconds))
    }

    /// A site's page; `days` is the trend period, 7, 30 or 90 (7 when absent; another value is named).
    func sitePage(_ session: Session, site: String, days text: String? = nil) async throws -> Response {
        guard session.access.canSee(site: site), let found = configuration.sites.first(where: { $0.site.id == site })
        else {
            return Self.html(
                .forbidden,
                Dashboard.page(
                    title: "Not yours", user: session.access.user.name, csrf: session.csrf,
                    body: "<p class=\"error\">You may not see site \(Dashboard.escape(site)).</p>"))
        }
        let state = try await state(found.site, region: found.region.id)
        let zone = zone(site)
        var days = 7
        var problem = ""
        if let text, !text.isEmpty {
            if let chosen = Int(text), SiteHistory.periods.contains(chosen) {
                days = chosen
            } else {
                problem =
                    "<p class=\"error\" id=\"problem\">No period of '\(Dashboard.escape(String(text.prefix(40))))' days: "
                    + "choose 7, 30 or 90. Showing 7.</p>"
            }
        }
        let history = try await SiteHistory.load(site: site, store: store, zone: zone, days: days, now: clock())
        return Self.html(
            Dashboard.page(
                title: state.name, user: session.access.user.name, csrf: session.csrf,
                body: problem
                    + Dashboard.sitePage(
                        state, zone: zone, history: history, now: clock(), days: days,
                        targets: configuration.kpiTargets)))
    }

    func comparePage(_ session: Session, days: Int) async throws -> Response {
        let sites = session.access.regions.flatMap { entry in entry.sites.map { (entry.region.id, $0) } }
        // The states and the periods' sums are read at the same time (two connections or two readers).
        async let loaded = states(sites)
        let now = clock()
        // Each site's period in its own days, and the period before it: the sites of one time zone are summed in
        // one call each.
        var histories: [String: SiteHistory] = [:]
        var previous: [String: SiteHistory] = [:]
        for (zone, members) in Dictionary(grouping: sites.map(\.1.id), by: { zone($0) }) {
            let period = SiteHistory.period(days: days, now: now, zone: zone)
            let before = SiteHistory.period(days: days, now: now.addingTimeInterval(-Double(days) * 86_400), zone: zone)
            let totals = try await store.totals(sites: members, from: period[0], to: period[period.count - 1])
            let earlier = try await store.totals(sites: members, from: before[0], to: before[before.count - 1])
            for site in members {
                let found = totals[site]
                histories[site] = SiteHistory(
                    days: [], total: found?.total ?? DailyKPIs(day: period[period.count - 1]),
                    adherence: found?.adherence)
                if let old = earlier[site] {
                    previous[site] = SiteHistory(days: [], total: old.total, adherence: old.adherence)
                }
            }
        }
        let states = try await loaded
        let rows = states.map { (state: $0, history: histories[$0.site] ?? .empty, previous: previous[$0.site]) }
        return Self.html(
            Dashboard.page(
                title: "Compare", user: session.access.user.name, csrf: session.csrf,
                body: Dashboard.compare(rows, period: days, targets: configuration.kpiTargets)))
    }

    func configPage(
        _ session: Session, message: String?, error: String?, document: String, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var sites: [(id: String, name: String, running: Int, published: Int)] = []
        for entry in configuration.sites where session.access.canPublish(site: entry.site.id) {
            sites.append(
                (
                    id: entry.site.id, name: entry.site.name ?? entry.site.id,
                    running: try await store.contact(site: entry.site.id)?.configRunning ?? 0,
                    published: try await store.configHistory(site: entry.site.id).first?.version ?? 0
                ))
        }
        if sites.isEmpty {
            return Self.html(
                .forbidden,
                Dashboard.page(
                    title: "Configuration", user: session.access.user.name, csrf: session.csrf,
                    body: "<p class=\"error\">Your role may not publish configuration.</p>"))
        }
        return Self.html(
            status,
            Dashboard.page(
                title: "Configuration", user: session.access.user.name, csrf: session.csrf,
                body: Dashboard.configPage(
                    sites: sites, csrf: session.csrf, message: message, error: error, document: document)))
    }

    func publish(_ request: Request) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/login") }
        let fields: [String: [String]]
        do { fields = try await form(request, limit: 1024 * 1024) } catch { return Self.refusal(error) }
        guard Credentials.same(fields["csrf"]?.first, session.csrf) else { return Self.csrfRefusal() }
        let sites = fields["site"] ?? []
        let document = (fields["document"]?.first ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        guard !sites.isEmpty else {
            return try await configPage(
                session, message: nil, error: "Choose at least one site.", document: document, status: .badRequest)
        }
        for site in sites where !session.access.canPublish(site: site) {
            return Self.html(
                .forbidden,
                Dashboard.page(
                    title: "Refused", user: session.access.user.name, csrf: session.csrf,
                    body:
                        "<p class=\"error\">You may not change site \(Dashboard.escape(site)). Nothing was published.</p>"
                ))
        }
        var problems: [String] = []
        for site in sites { if let refusal = validate(site, document) { problems.append("\(site): \(refusal)") } }
        guard problems.isEmpty else {
            return try await configPage(
                session, message: nil, error: "Refused, nothing published:\n" + problems.joined(separator: "\n"),
                document: document, status: .unprocessableContent)
        }
        var published: [String] = []
        for site in sites {
            let version = try await store.publish(
                site: site, document: document, by: session.access.user.name, at: clock())
            published.append("\(site) v\(version)")
        }
        return try await configPage(
            session, message: "Published: " + published.joined(separator: ", "), error: nil, document: "")
    }
}
