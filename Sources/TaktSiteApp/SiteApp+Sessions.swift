import Foundation
import Hummingbird
import Logging
import TaktCore
import TaktHost
import TaktStore
import TaktWeb

/// Signing in and out, sessions, CSRF and the one-time form ids.
extension SiteApp {
    /// A signed-in person, with what the page needs to speak their language and protect their forms.
    struct Session {
        var user: SiteStore.AppUser
        var csrf: String
        var tokenHash: String
        var texts: Texts
    }

    func addSessions(to router: Router<WebContext>) {
        router.get("/login") { request, _ in try self.loginPage(request, error: nil) }
        router.post("/login") { request, context in try await self.login(request, peer: context.peer) }
        router.post("/language") { request, _ in
            try await self.withSession(request) { session in
                let fields = try await self.form(request)
                guard Credentials.same(fields["csrf"], session.csrf) else { return self.csrfRefusal(session) }
                guard let locale = fields["locale"].flatMap(SiteLocale.init(rawValue:)) else {
                    return self.page(
                        session, status: .badRequest, title: session.texts("app.title"),
                        body: session.texts("error.not_found"))
                }
                try self.host.store.setAppUserLocale(session.user.staff, locale.rawValue)
                let texts = Texts(catalogue: self.catalogue, locale: locale)
                var changed = session
                changed.texts = texts
                return self.page(
                    changed, title: texts("language"),
                    body: "<p class=\"notice\">\(escape(texts("language.saved", locale.name)))</p>")
            }
        }
        router.post("/logout") { request, _ in
            try await self.withSession(request) { session in
                let fields = try await self.form(request)
                guard Credentials.same(fields["csrf"], session.csrf) else { return self.csrfRefusal(session) }
                try self.host.store.endAppSession(tokenHash: session.tokenHash)
                return Self.redirect("/login", cookie: self.cookie(Self.sessionCookie, "", maxAge: 0))
            }
        }
    }

    /// The language for a request: the person's, else `?lang=` on the login page, else the site's.
    func texts(for user: SiteStore.AppUser?, request: Request) -> Texts {
        let asked = request.uri.queryParameters["lang"].flatMap { SiteLocale(rawValue: String($0)) }
        let locale =
            user?.locale.flatMap(SiteLocale.init(rawValue:)) ?? asked ?? host.definition.site.locale ?? .english
        return Texts(catalogue: catalogue, locale: locale)
    }

    func session(_ request: Request) throws -> Session? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty, token.utf8.count <= 128,
            let found = try host.store.appSession(tokenHash: Credentials.tokenHash(token), now: clock())
        else { return nil }
        return Session(
            user: found.user, csrf: found.csrf, tokenHash: found.tokenHash,
            texts: texts(for: found.user, request: request))
    }

    func withSession(_ request: Request, _ body: (Session) async throws -> Response) async throws -> Response {
        guard let session = try session(request) else { return Self.redirect("/login") }
        return try await body(session)
    }

    /// Runs `body` when the person's role may do `action`; otherwise answers 403 in their language.
    func allowed(_ action: SiteRole.Action, _ session: Session, _ body: () async throws -> Response) async rethrows
        -> Response
    {
        guard session.user.role.may(action) else {
            let texts = session.texts
            return page(
                session, status: .forbidden, title: texts("app.title"),
                body:
                    "<p class=\"error\">\(escape(texts("error.forbidden", texts("role.\(session.user.role.rawValue)"))))</p>"
            )
        }
        return try await body()
    }

    func loginPage(
        _ request: Request, in locale: SiteLocale? = nil, error: String?, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let texts = locale.map { Texts(catalogue: catalogue, locale: $0) } ?? texts(for: nil, request: request)
        let nonce = Credentials.randomHex(16)
        let languages = SiteLocale.allCases.map { "<a href=\"/login?lang=\($0.rawValue)\">\(escape($0.name))</a>" }
            .joined(separator: " · ")
        let body = """
            \(error.map { "<p class=\"error\">\(escape($0))</p>" } ?? "")
            <form method="post" action="/login" class="stack">
            <input type="hidden" name="nonce" value="\(nonce)"><input type="hidden" name="lang" value="\(texts.locale.rawValue)">
            <label>\(escape(texts("login.staff")))<input name="staff" autocomplete="username" required autofocus></label>
            <label>\(escape(texts("login.secret")))<input name="secret" type="password" autocomplete="current-password" required></label>
            <button>\(escape(texts("login.submit")))</button></form>
            <p class="languages">\(escape(texts("language"))): \(languages)</p>
            """
        var response = Self.html(status, layout(texts, title: texts("login.title"), session: nil, body: body))
        response.headers[.setCookie] = cookie(Self.loginCookie, nonce, maxAge: 900)
        return response
    }

    /// Checks the staff id and PIN or password (throttled per person and address), and starts a session:
    /// short for an operator's PIN at a shared tablet, a working day for everyone else.
    func login(_ request: Request, peer: String) async throws -> Response {
        let fields = try await form(request)
        let lang = fields["lang"].flatMap(SiteLocale.init(rawValue:)) ?? host.definition.site.locale ?? .english
        let said = Texts(catalogue: catalogue, locale: lang)
        // The login form's nonce must match its cookie (SameSite=Strict): a form posted from elsewhere fails.
        guard let nonce = fields["nonce"], nonce.utf8.count == 32,
            Credentials.same(nonce, request.cookies[Self.loginCookie]?.value ?? "")
        else { return try loginPage(request, in: lang, error: said("login.expired"), status: .forbidden) }
        let staff = String((fields["staff"] ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let secret = fields["secret"] ?? ""
        if let wait = await logins.wait(user: staff, address: peer, now: clock()) {
            var response = try loginPage(
                request, in: lang, error: said("login.throttled", String(wait)), status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let user = try host.store.appUser(staff)
        let valid = await Credentials.check(password: secret, against: user?.secretHash)
        guard let user, valid else {
            _ = await logins.failed(user: staff, address: peer, now: clock())
            Logger(label: "takt.site.app").notice(
                "sign-in failed", metadata: ["staff": "\(staff)", "address": "\(peer)"])
            return try loginPage(request, in: lang, error: said("login.failed"), status: .unauthorized)
        }
        await logins.succeeded(user: staff)
        let token = Credentials.randomHex(32)
        let now = clock()
        try host.store.startAppSession(
            staff: user.staff, tokenHash: Credentials.tokenHash(token), csrf: Credentials.randomHex(16),
            idle: user.role.usesPIN ? Self.operatorIdleSeconds : Self.staffIdleSeconds,
            expires: now.addingTimeInterval(Self.sessionSeconds), now: now)
        return Self.redirect("/", cookie: cookie(Self.sessionCookie, token, maxAge: Int(Self.sessionSeconds)))
    }

    // MARK: forms

    /// A form body's fields (the first value of each), at most 64 KB.
    func form(_ request: Request) async throws -> [String: String] {
        let data: Data
        do { data = try await budget.collect(request, limit: 64 * 1024, timeout: bodyTimeout) } catch {
            switch error {
            case .tooLarge: throw HTTPError(.contentTooLarge, message: "a form is at most 64 KB")
            case .busy: throw HTTPError(.serviceUnavailable, message: "too many forms at once; send it again")
            case .tooSlow: throw HTTPError(.requestTimeout, message: "the form did not arrive in time")
            }
        }
        return WebForm.parse(String(decoding: data, as: UTF8.self)).compactMapValues(\.first)
    }

    /// Claims the form's one-time id before its write, so a double tap or a resent POST records once; returns
    /// nil when it may go ahead, or the page that says it was already sent.
    func claim(_ fields: [String: String], _ session: Session) throws -> Response? {
        guard let id = fields["form_id"], (8...64).contains(id.utf8.count) else { return nil }
        guard try host.store.claimSubmission(id, staff: session.user.staff, at: clock()) else {
            return page(
                session, status: .conflict, title: session.texts("app.title"),
                body: "<p class=\"notice\">\(escape(session.texts("error.duplicate")))</p>")
        }
        return nil
    }

    /// Makes a form's write happen once: claims the form's one-time id (a second copy of the same form is
    /// answered "already sent"), runs `write`, and when it throws gives the id back — so the corrected form
    /// can be sent — and answers `refused` with the reason in the person's language.
    func once(
        _ fields: [String: String], _ session: Session, refused: (String) throws -> Response,
        _ write: () throws -> Response
    ) throws -> Response {
        if let duplicate = try claim(fields, session) { return duplicate }
        do { return try write() } catch {
            if let formID = fields["form_id"] { try? host.store.releaseSubmission(formID) }
            return try refused(session.texts("error.refused", "\(error)"))
        }
    }

    func csrfRefusal(_ session: Session) -> Response {
        page(
            session, status: .forbidden, title: session.texts("app.title"),
            body: "<p class=\"error\">\(escape(session.texts("error.csrf")))</p>")
    }

    /// A cookie's attributes: always `HttpOnly; SameSite=Strict`, and `Secure` over TLS.
    func cookie(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(maxAge)" + (secure ? "; Secure" : "")
    }

    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let cookie { response.headers[.setCookie] = cookie }
        return response
    }
}
