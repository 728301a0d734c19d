import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktScheduling
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
                let query = request.uri.queryParameters
                return try await self.overviewPage(
                    session, region: query["region"].map(String.init), status: query["status"].map(String.init),
                    module: query["module"].map(String.init))
            }
        }
        router.get("/sites/:site") { request, context in
            let site = try context.parameters.require("site")
            let days = request.uri.queryParameters["days"].map(String.init)
            let gantt = request.uri.queryParameters["gantt"].map(String.init)
            return try await self.withSession(request) { session in
                try await self.sitePage(session, site: site, days: days, gantt: gantt)
            }
        }
        router.get("/compare") { request, _ in
            let days = request.uri.queryParameters["days"].flatMap { Int(String($0)) } ?? 7
            return try await self.withSession(request) { session in
                try await self.comparePage(session, days: max(1, min(days, 365)))
            }
        }
        addConfiguration(to: router)
        addMaterials(to: router)
        addMaintenance(to: router)
        addQuality(to: router)
        addPeople(to: router)
        addCosts(to: router)
        addQuotes(to: router)
        addExtensions(to: router)
        addExtensionPages(to: router)
    }

    func zone(_ site: String) -> TimeZone { timeZones[site] ?? TimeZone(identifier: "UTC")! }

    func state(_ site: CentralConfiguration.SiteEntry, region: String, detail: Bool = true) async throws -> SiteState {
        try await SiteState.load(
            site: site, region: region, store: store, now: clock(), staleAfter: configuration.staleAfter,
            projections: projections, zone: zone(site.id), detail: detail)
    }

    /// The states of many sites (without their schedules), in the order given, read from the store in one go.
    func states(_ sites: [(region: String, site: CentralConfiguration.SiteEntry)]) async throws -> [SiteState] {
        try await SiteState.loadAll(
            sites.map { ($0.region, $0.site, zone($0.site.id)) }, store: store, now: clock(),
            staleAfter: configuration.staleAfter, projections: projections)
    }

    /// The overview, optionally only one region (`region`, its id), one status (`red`, `amber`, `grey`, `green`)
    /// and the sites that load one module (`food_processing`); a value that is none of these is named on the page
    /// and not applied.
    func overviewPage(_ session: Session, region: String?, status: String?, module: String? = nil) async throws
        -> Response
    {
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
        var loaded: [(name: String, states: [SiteState])] = []
        for entry in session.access.regions where filter.region == nil || filter.region == entry.region.id {
            loaded.append(
                (entry.region.name ?? entry.region.id, try await states(entry.sites.map { (entry.region.id, $0) })))
        }
        let modules = Set(loaded.flatMap { $0.states.flatMap(\.names.modules) }).sorted()
        if let module, !module.isEmpty {
            if modules.contains(module) {
                filter.module = module
            } else {
                problems.append("no site here loads a module '\(module.prefix(60))'")
            }
        }
        let regions = loaded.map { region in
            (
                name: region.name,
                states: region.states.filter {
                    (filter.status == nil || $0.status == filter.status)
                        && (filter.module == nil || $0.names.modules.contains(filter.module ?? ""))
                }.map { ($0, zone($0.site)) }
            )
        }
        return Self.html(
            Dashboard.page(
                title: "Overview", user: session.access.user.name, csrf: session.csrf,
                body: Dashboard.overview(
                    regions, now: clock(), filter: filter, regions: visible, modules: modules, problems: problems),
                refreshSeconds: Dashboard.overviewRefreshSeconds))
    }

    /// A site's page; `days` is the trend period, 7, 30 or 90 (7 when absent; another value is named); `gantt` how
    /// much of the schedule the Gantt chart draws (`48h`, `7d`, `all`; 48 h when absent; another value is named).
    func sitePage(_ session: Session, site: String, days text: String? = nil, gantt: String? = nil) async throws
        -> Response
    {
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
        var window = GanttWindow.twoDays
        if let gantt, !gantt.isEmpty {
            if let chosen = GanttWindow(rawValue: gantt) {
                window = chosen
            } else {
                problem +=
                    "<p class=\"error\" id=\"problem-gantt\">No schedule window '\(Dashboard.escape(String(gantt.prefix(40))))': "
                    + "choose 48h, 7d or all. Showing the next 48 hours.</p>"
            }
        }
        let history = try await SiteHistory.load(site: site, store: store, zone: zone, days: days, now: clock())
        return Self.html(
            Dashboard.page(
                title: state.name, user: session.access.user.name, csrf: session.csrf,
                body: problem
                    + Dashboard.sitePage(
                        state, zone: zone, history: history, now: clock(), days: days,
                        targets: configuration.kpiTargets, gantt: window)))
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
}
