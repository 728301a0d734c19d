import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktStore
import TaktWeb

extension CentralServer {
    /// The JSON API: bearer tokens, pagination (`limit`, `offset`, and `next` in the answer) and filters.
    func addAPI(to router: Router<CentralContext>) {
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
        router.get("/v1/regions") { request, _ in
            try await self.withToken(request) { access in
                Self.json(
                    .ok,
                    access.regions.map {
                        APIRegion(
                            id: $0.region.id, name: $0.region.name ?? $0.region.id, currency: $0.region.currency,
                            sites: $0.sites.map(\.id))
                    })
            }
        }
        router.get("/v1/sites") { request, _ in
            try await self.withToken(request) { access in
                let region = request.uri.queryParameters["region"].map(String.init)
                let status = request.uri.queryParameters["status"].map(String.init)
                let sites = access.regions.filter { region == nil || $0.region.id == region }.flatMap { entry in
                    entry.sites.map { (entry.region.id, $0) }
                }
                let items = try await self.states(sites).filter { status == nil || $0.status == status }
                return Self.json(.ok, Self.page(items, request))
            }
        }
        router.get("/v1/sites/:site") { request, context in
            let site = try context.parameters.require("site")
            return try await self.withSite(request, site) { entry in
                var state = try await self.state(entry.site, region: entry.region.id)
                state.schedule = nil
                return Self.json(.ok, state)
            }
        }
        router.get("/v1/sites/:site/findings") { request, context in
            let site = try context.parameters.require("site")
            return try await self.withSite(request, site) { entry in
                let status = request.uri.queryParameters["status"].map(String.init)
                let severity = request.uri.queryParameters["severity"].map(String.init)
                // Filtered and paged by the database; records that do not decode are left out here and counted in
                // the site's `unreadableRecords`.
                let (limit, offset) = Self.window(request)
                let rows = try await self.store.stateRows(
                    site: entry.site.id, kind: "finding", status: status, severity: severity, since: nil, limit: limit,
                    offset: offset)
                var reader = RecordReader(decoder: SiteState.decoder)
                let findings = reader.decode(Finding.self, rows.payloads)
                return Self.json(.ok, Self.page(findings, total: rows.total, limit: limit, offset: offset))
            }
        }
        router.get("/v1/sites/:site/lots") { request, context in
            let site = try context.parameters.require("site")
            return try await self.withSite(request, site) { entry in
                let status = request.uri.queryParameters["status"].map(String.init)
                let (limit, offset) = Self.window(request)
                let rows = try await self.store.stateRows(
                    site: entry.site.id, kind: "lot", status: status, severity: nil, since: nil, limit: limit,
                    offset: offset)
                var reader = RecordReader(decoder: SiteState.decoder)
                let lots = reader.decode(Lot.self, rows.payloads)
                return Self.json(.ok, Self.page(lots, total: rows.total, limit: limit, offset: offset))
            }
        }
        router.get("/v1/sites/:site/kpis") { request, context in
            let site = try context.parameters.require("site")
            return try await self.withSite(request, site) { entry in
                let text = request.uri.queryParameters["days"].map(String.init) ?? "7"
                guard let days = Int(text), (1...731).contains(days) else {
                    return Self.error(
                        .badRequest, "bad_request", "days must be a whole number from 1 to 731, not '\(text)'")
                }
                let history = try await SiteHistory.load(
                    site: site, store: self.store, zone: self.zone(site), days: days, now: self.clock())
                return Self.json(
                    .ok, APIKPIs(site: site, days: history.days.map(APIDay.init), total: APIDay(history.total)))
            }
        }
        router.get("/v1/sites/:site/schedule") { request, context in
            let site = try context.parameters.require("site")
            return try await self.withSite(request, site) { entry in
                guard let schedule = try await self.state(entry.site, region: entry.region.id).schedule else {
                    return Self.error(.notFound, "not_found", "no schedule received from \(site) yet")
                }
                return Self.json(.ok, schedule)
            }
        }
    }

    struct APIKPIs: Encodable {
        var site: String
        var days: [APIDay]
        var total: APIDay
    }

    /// A day's roll-up with its OEE and schedule adherence worked out.
    struct APIDay: Encodable {
        var kpis: DailyKPIs
        init(_ kpis: DailyKPIs) { self.kpis = kpis }

        enum CodingKeys: String, CodingKey { case oee, adherence, trainingCompliance }

        func encode(to encoder: any Encoder) throws {
            try kpis.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(kpis.oee, forKey: .oee)
            try container.encodeIfPresent(kpis.adherence, forKey: .adherence)
            try container.encodeIfPresent(kpis.trainingCompliance, forKey: .trainingCompliance)
        }
    }

    struct APIRegion: Codable {
        var id: String
        var name: String
        var currency: String?
        var sites: [String]
    }

    /// One page of `items`: `limit` (1–500, default 50) from `offset`.
    struct Page<Item: Encodable>: Encodable {
        var items: [Item]
        var total: Int
        var next: Int?
    }

    static func page<Item: Encodable>(_ items: [Item], _ request: Request) -> Page<Item> {
        let (limit, offset) = window(request)
        let slice = Array(items.dropFirst(offset).prefix(limit))
        return Page(
            items: slice, total: items.count, next: offset + slice.count < items.count ? offset + slice.count : nil)
    }

    /// `limit` (1–500, default 50) and `offset` of a request.
    static func window(_ request: Request) -> (limit: Int, offset: Int) {
        (
            max(1, min(500, request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 50)),
            max(0, request.uri.queryParameters["offset"].flatMap { Int(String($0)) } ?? 0)
        )
    }

    /// A page the database already cut: `items` from `offset`, of `total`.
    static func page<Item: Encodable>(_ items: [Item], total: Int, limit: Int, offset: Int) -> Page<Item> {
        Page(items: items, total: total, next: offset + items.count < total ? offset + items.count : nil)
    }

    /// The user of the request's unexpired API token (`Authorization: Bearer TOKEN`), or nil.
    func tokenUser(_ request: Request) async throws -> CentralStore.User? {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer ") else { return nil }
        return try await store.tokenUser(tokenHash: Credentials.tokenHash(String(header.dropFirst(7))), now: clock())
    }

    func withToken(_ request: Request, _ body: (Access) async throws -> Response) async throws -> Response {
        guard let user = try await tokenUser(request) else {
            return Self.error(.unauthorized, "unauthorized", "send an API token: Authorization: Bearer <token>")
        }
        return try await body(Access(user: user, configuration: configuration))
    }

    func withSite(
        _ request: Request, _ site: String,
        _ body: ((region: CentralConfiguration.Region, site: CentralConfiguration.SiteEntry)) async throws -> Response
    ) async throws -> Response {
        try await withToken(request) { access in
            guard let entry = configuration.sites.first(where: { $0.site.id == site }), access.canSee(site: site) else {
                return Self.error(.forbidden, "forbidden", "this token may not read site \(site)")
            }
            return try await body(entry)
        }
    }
}
