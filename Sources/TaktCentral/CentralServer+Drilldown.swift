import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktWeb

extension CentralServer {
    /// The lists behind a tile's numbers: `/sites/{site}/{list}` as a page or, with `format=csv`, a CSV file; and
    /// in the JSON API `/v1/sites/{site}/late-orders` and `/checks-due` with the same filters and order.
    func addDrilldown(to router: Router<CentralContext>) {
        router.get("/sites/:site/:list") { request, context in
            let site = try context.parameters.require("site")
            let name = try context.parameters.require("list")
            return try await self.withSession(request) { session in
                try await self.drilldownPage(session, site: site, list: name, request: request)
            }
        }
        for list in [Drilldown.List.lateOrders, .checks] {
            let path = list == .checks ? "checks-due" : list.rawValue
            router.get("/v1/sites/:site/\(path)") { request, context in
                let site = try context.parameters.require("site")
                return try await self.withSite(request, site) { entry in
                    let query: Drilldown.Query
                    switch Drilldown.Query.parse(list, Self.parameters(request)) {
                    case .success(let parsed): query = parsed
                    case .failure(let error): return Self.error(.badRequest, "bad_request", error.message)
                    }
                    let state = try await self.state(entry.site, region: entry.region.id, detail: false)
                    let now = self.clock()
                    if request.uri.queryParameters["format"] == "csv" {
                        return Self.csv(
                            Drilldown.table(list, state, query: query, zone: self.zone(site), now: now), site: site,
                            list: list, now: now)
                    }
                    switch list {
                    case .lateOrders:
                        return Self.json(.ok, Self.page(Drilldown.lateOrders(state, query: query, now: now).0, request))
                    default:
                        return Self.json(.ok, Self.page(Drilldown.checksDue(state, query: query).0, request))
                    }
                }
            }
        }
    }

    /// A request's query parameters, the first value of each.
    static func parameters(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where result[String(name)] == nil {
            result[String(name)] = String(value)
        }
        return result
    }

    func drilldownPage(_ session: Session, site: String, list name: String, request: Request) async throws
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
        guard let list = Drilldown.List(rawValue: name) else {
            return Self.html(
                .notFound,
                Dashboard.page(
                    title: "No such list", user: session.access.user.name, csrf: session.csrf,
                    body: "<p class=\"error\">There is no list '\(Dashboard.escape(String(name.prefix(60))))' "
                        + "of a site: choose \(Drilldown.List.allCases.map(\.rawValue).joined(separator: ", ")).</p>"))
        }
        let query: Drilldown.Query
        switch Drilldown.Query.parse(list, Self.parameters(request)) {
        case .success(let parsed): query = parsed
        case .failure(let error):
            return Self.html(
                .badRequest,
                Dashboard.page(
                    title: "Not a filter", user: session.access.user.name, csrf: session.csrf,
                    body:
                        "<p class=\"error\" id=\"problem\">\(Dashboard.escape(String(error.message.prefix(300)))).</p>"
                        + "<p><a href=\"/sites/\(Dashboard.escape(site))/\(list.rawValue)\">Show the whole list</a></p>"
                ))
        }
        let state = try await state(found.site, region: found.region.id, detail: false)
        let zone = zone(site)
        let now = clock()
        let table = Drilldown.table(list, state, query: query, zone: zone, now: now)
        if request.uri.queryParameters["format"] == "csv" { return Self.csv(table, site: site, list: list, now: now) }
        return Self.html(
            Dashboard.page(
                title: "\(table.title) · \(state.name)", user: session.access.user.name, csrf: session.csrf,
                body: Drilldown.page(list, table, state: state, query: query, zone: zone, now: now)))
    }

    /// A table as a CSV download named after the site, the list and the day.
    static func csv(_ table: Drilldown.Table, site: String, list: Drilldown.List, now: Date) -> Response {
        let day = LocalDate(now, in: .gmt)
        let file = "\(site)-\(list.rawValue)-\(day).csv".filter {
            $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0))
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(file)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: Drilldown.csv(table))))
    }
}
