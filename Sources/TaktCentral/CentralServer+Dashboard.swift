import Foundation
import Hummingbird
import TaktCore
import TaktStore

extension CentralServer {
    static let sessionCookie = "takt_session"
    static let loginCookie = "takt_login"

    /// The dashboard's routes on `router`.
    func addDashboard(to router: Router<BasicRequestContext>) {
        router.get("/login") { request, _ in self.loginPage(request, error: nil) }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.post("/login") { request, _ in try await self.login(request) }
        router.post("/logout") { request, _ in try await self.logout(request) }
        router.get("/") { request, _ in
            try await self.withSession(request) { session in try await self.overviewPage(session) }
        }
        router.get("/sites/:site") { request, context in
            let site = try context.parameters.require("site")
            return try await self.withSession(request) { session in try await self.sitePage(session, site: site) }
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

    struct Session {
        var access: Access
        var csrf: String
        var tokenHash: String
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for field in request.headers where field.name.rawName.lowercased() == "cookie" {
            for part in field.value.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == name { return String(pair[1]) }
            }
        }
        return nil
    }

    func session(_ request: Request) async throws -> Session? {
        guard let token = Self.cookie(Self.sessionCookie, in: request) else { return nil }
        let hash = Credentials.tokenHash(token)
        guard let found = try await store.session(tokenHash: hash, now: clock()) else { return nil }
        return Session(
            access: Access(user: found.user, configuration: configuration), csrf: found.csrf, tokenHash: hash)
    }

    func withSession(_ request: Request, _ body: (Session) async throws -> Response) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/login") }
        return try await body(session)
    }

    static func html(_ text: String) -> Response { html(.ok, text) }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        return response
    }

    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let cookie { response.headers[.setCookie] = cookie }
        return response
    }

    static func form(_ request: Request) async throws -> [String: [String]] {
        var request = request
        let buffer = try await request.collectBody(upTo: 1024 * 1024)
        let text = String(buffer: buffer)
        var fields: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields[parts[0], default: []].append(parts.count > 1 ? parts[1] : "")
        }
        return fields
    }

    func loginPage(_ request: Request, error: String?) -> Response {
        let csrf = Credentials.randomHex(16)
        var response = Self.html(
            error == nil ? .ok : .unauthorized,
            Dashboard.page(title: "Log in", user: nil, csrf: nil, body: Dashboard.login(csrf: csrf, error: error)))
        response.headers[.setCookie] =
            "\(Self.loginCookie)=\(csrf); Path=/login; HttpOnly; SameSite=Strict; Max-Age=900"
        return response
    }

    func login(_ request: Request) async throws -> Response {
        let fields = try await Self.form(request)
        guard let csrf = fields["csrf"]?.first, csrf == Self.cookie(Self.loginCookie, in: request) else {
            return Self.html(
                .forbidden,
                Dashboard.page(
                    title: "Refused", user: nil, csrf: nil,
                    body:
                        "<p class=\"error\">The form expired or did not come from this site (CSRF). Reload the login page.</p>"
                ))
        }
        let name = fields["user"]?.first ?? ""
        guard let user = try await store.user(name),
            Credentials.verify(password: fields["password"]?.first ?? "", against: user.passwordHash)
        else {
            return loginPage(request, error: "Unknown user or wrong password.")
        }
        let token = Credentials.randomHex(32)
        try await store.startSession(
            user: user.name, tokenHash: Credentials.tokenHash(token), csrf: Credentials.randomHex(16),
            expires: clock().addingTimeInterval(12 * 3600))
        return Self.redirect(
            "/", cookie: "\(Self.sessionCookie)=\(token); Path=/; HttpOnly; SameSite=Strict; Max-Age=43200")
    }

    func logout(_ request: Request) async throws -> Response {
        let fields = try await Self.form(request)
        guard let session = try await session(request) else { return Self.redirect("/login") }
        guard fields["csrf"]?.first == session.csrf else { return Self.csrfRefusal() }
        try await store.endSession(tokenHash: session.tokenHash)
        return Self.redirect("/login", cookie: "\(Self.sessionCookie)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    }

    static func csrfRefusal() -> Response {
        html(
            .forbidden,
            Dashboard.page(
                title: "Refused", user: nil, csrf: nil,
                body:
                    "<p class=\"error\">The form did not come from this dashboard (CSRF check failed). Nothing was changed.</p>"
            ))
    }

    func zone(_ site: String) -> TimeZone { timeZones[site] ?? TimeZone(identifier: "UTC")! }

    func state(_ site: CentralConfiguration.SiteEntry, region: String) async throws -> SiteState {
        var state = try await SiteState.load(site: site, region: region, store: store, now: clock())
        state.timeZone = zone(site.id).identifier
        return state
    }

    func overviewPage(_ session: Session) async throws -> Response {
        var regions: [(name: String, states: [(SiteState, TimeZone)])] = []
        for entry in session.access.regions {
            var states: [(SiteState, TimeZone)] = []
            for site in entry.sites { states.append((try await state(site, region: entry.region.id), zone(site.id))) }
            regions.append((name: entry.region.name ?? entry.region.id, states: states))
        }
        return Self.html(
            Dashboard.page(
                title: "Overview", user: session.access.user.name, csrf: session.csrf, body: Dashboard.overview(regions)
            ))
    }

    func sitePage(_ session: Session, site: String) async throws -> Response {
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
        let history = try await SiteHistory.load(site: site, store: store, zone: zone, days: 7, now: clock())
        return Self.html(
            Dashboard.page(
                title: state.name, user: session.access.user.name, csrf: session.csrf,
                body: Dashboard.sitePage(state, zone: zone, history: history)))
    }

    func comparePage(_ session: Session, days: Int) async throws -> Response {
        var rows: [(SiteState, SiteHistory)] = []
        for entry in session.access.regions {
            for site in entry.sites {
                let history = try await SiteHistory.load(
                    site: site.id, store: store, zone: zone(site.id), days: days, now: clock())
                rows.append((try await state(site, region: entry.region.id), history))
            }
        }
        return Self.html(
            Dashboard.page(
                title: "Compare", user: session.access.user.name, csrf: session.csrf,
                body: Dashboard.compare(rows, period: days)))
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
        let fields = try await Self.form(request)
        guard let session = try await session(request) else { return Self.redirect("/login") }
        guard fields["csrf"]?.first == session.csrf else { return Self.csrfRefusal() }
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
