import Crypto
import Foundation
import Hummingbird
import Logging
import TaktStore
import TaktWeb

extension CentralServer {
    public static let sessionCookie = "takt_session"
    static let loginCookie = "takt_login"
    /// How long a login form stays valid.
    static let loginFormSeconds: TimeInterval = 900

    struct Session {
        var access: Access
        var csrf: String
        var tokenHash: String
    }

    func session(_ request: Request) async throws -> Session? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty, token.utf8.count <= 128 else {
            return nil
        }
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

    /// A page saying what is wrong (`message`, escaped), with `status`.
    static func problemPage(_ status: HTTPResponse.Status, _ session: Session, title: String, _ message: String)
        -> Response
    {
        html(
            status,
            Dashboard.page(
                title: title, user: session.access.user.name, csrf: session.csrf,
                body: "<p class=\"error\">\(Dashboard.escape(message))</p>"))
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
        return response
    }

    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let cookie { response.headers[.setCookie] = cookie }
        return response
    }

    /// A cookie's attributes: always `HttpOnly; SameSite=Strict`, and `Secure` when served over TLS.
    func cookie(_ name: String, _ value: String, path: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Strict; Max-Age=\(maxAge)" + (secure ? "; Secure" : "")
    }

    /// The fields of an `application/x-www-form-urlencoded` body of at most `limit` bytes.
    func form(_ request: Request, limit: Int) async throws(BodyRefusal) -> [String: [String]] {
        WebForm.parse(
            String(decoding: try await budget.collect(request, limit: limit, timeout: bodyTimeout), as: UTF8.self))
    }

    // MARK: login

    /// The login form's CSRF token, bound to the browser's login cookie: `EXPIRES.HMAC` where the HMAC (with a
    /// secret only central has) covers the cookie's nonce and the expiry. A token is good once, for one browser,
    /// for 15 minutes; an attacker who plants a cookie cannot make a matching token.
    func loginToken(nonce: String, expires: Int64) async throws -> String {
        let secret = SymmetricKey(data: try await secrets.value(named: "login-csrf", from: store))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("login|\(nonce)|\(expires)".utf8), using: secret)
        return "\(expires).\(Data(mac).map { String(format: "%02x", $0) }.joined())"
    }

    func loginPage(_ request: Request, error: String?, status: HTTPResponse.Status? = nil) async throws -> Response {
        let nonce = Credentials.randomHex(16)
        let expires = Int64(clock().timeIntervalSince1970 + Self.loginFormSeconds)
        let token = try await loginToken(nonce: nonce, expires: expires)
        var response = Self.html(
            status ?? (error == nil ? .ok : .unauthorized),
            Dashboard.page(title: "Log in", user: nil, csrf: nil, body: Dashboard.login(csrf: token, error: error)))
        response.headers[.setCookie] = cookie(
            Self.loginCookie, nonce, path: "/login", maxAge: Int(Self.loginFormSeconds))
        return response
    }

    /// Whether the form's token was made for this browser's login cookie, is unexpired and unused.
    func loginTokenValid(_ token: String?, request: Request) async throws -> Bool {
        guard let token, let nonce = request.cookies[Self.loginCookie]?.value, nonce.utf8.count == 32,
            let expires = token.split(separator: ".").first.flatMap({ Int64($0) }),
            Double(expires) > clock().timeIntervalSince1970,
            Credentials.same(token, try await loginToken(nonce: nonce, expires: expires))
        else { return false }
        return try await store.remember(
            key: "login-form", nonce: nonce, expires: Date(timeIntervalSince1970: Double(expires)), now: clock())
    }

    func login(_ request: Request, peer: String) async throws -> Response {
        let fields: [String: [String]]
        do { fields = try await form(request, limit: 16 * 1024) } catch { return Self.refusal(error) }
        guard try await loginTokenValid(fields["csrf"]?.first, request: request) else {
            return Self.html(
                .forbidden,
                Dashboard.page(
                    title: "Refused", user: nil, csrf: nil,
                    body:
                        "<p class=\"error\">The form expired or did not come from this site (CSRF). Reload the login page.</p>"
                ))
        }
        let name = String((fields["user"]?.first ?? "").prefix(200))
        let password = fields["password"]?.first ?? ""
        let logger = Logger(label: "takt.central.login")
        if let wait = await logins.wait(user: name, address: peer, now: clock()) {
            logger.warning("login throttled", metadata: ["user": "\(name)", "address": "\(peer)", "wait": "\(wait)"])
            var response = try await loginPage(
                request, error: "Too many failed attempts. Try again in \(wait) s.", status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let user = try await store.user(name)
        // Unknown users cost the same key derivation as known ones, so timing does not tell which names exist.
        let valid = await Credentials.check(password: password, against: user?.passwordHash)
        guard let user, valid else {
            let failures = await logins.failed(user: name, address: peer, now: clock())
            logger.notice(
                "login failed", metadata: ["user": "\(name)", "address": "\(peer)", "failures": "\(failures)"])
            return try await loginPage(request, error: "Unknown user or wrong password.")
        }
        await logins.succeeded(user: name)
        if Credentials.needsRehash(user.passwordHash) {
            var upgraded = user
            upgraded.passwordHash = try await Credentials.hashOffPool(password: password)
            try await store.saveUser(upgraded)
        }
        let token = Credentials.randomHex(32)
        try await store.startSession(
            user: user.name, tokenHash: Credentials.tokenHash(token), csrf: Credentials.randomHex(16),
            expires: clock().addingTimeInterval(12 * 3600))
        return Self.redirect("/", cookie: cookie(Self.sessionCookie, token, path: "/", maxAge: 43200))
    }

    func logout(_ request: Request) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/login") }
        let fields: [String: [String]]
        do { fields = try await form(request, limit: 16 * 1024) } catch { return Self.refusal(error) }
        guard Credentials.same(fields["csrf"]?.first, session.csrf) else { return Self.csrfRefusal() }
        try await store.endSession(tokenHash: session.tokenHash)
        return Self.redirect("/login", cookie: cookie(Self.sessionCookie, "", path: "/", maxAge: 0))
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
}
