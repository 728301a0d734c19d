import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import TaktCentralStore
import TaktCore
import TaktStore
import TaktSync
import TaktWeb

/// Central's HTTP server: the site sync endpoints (signed both ways), the dashboard and the JSON API, with
/// overload control, bounded request bodies, idle timeouts and, given a certificate, TLS.
public struct CentralServer: Sendable {
    public let store: any CentralStorage
    public let configuration: CentralConfiguration
    public let verifier: RequestVerifier
    let admission: AdmissionControl
    let budget: BodyBudget
    let logins: LoginThrottle
    let secrets: SecretCache
    let validate: @Sendable (String, String) -> String?
    /// The checks a site runs with a configuration document (its limits in force), for the configuration page.
    let checks: @Sendable (String, String) -> [CheckDefinition]?
    let clock: @Sendable () -> Date
    /// Each site's time zone, for showing times; UTC when unknown.
    let timeZones: [String: TimeZone]
    /// Seconds a request body may take to arrive.
    let bodyTimeout: Double
    /// Whether central is served over TLS (cookies get `Secure`, answers HSTS).
    let secure: Bool
    /// Central's metrics, served at `/metrics`.
    public let metrics: CentralMetrics
    /// The projections of the modules built into central, run over each site's module records.
    let projections: [RecordProjection]

    /// - Parameters:
    ///   - validate: checks a configuration document for a site before it is published; returns why it is
    ///     refused, or nil.
    ///   - checks: the checks a site runs with a configuration document, with their limits in force; nil when the
    ///     site cannot be loaded.
    ///   - projections: the modules' summaries of their records (`ModuleRegistry.projections`).
    public init(
        store: any CentralStorage, configuration: CentralConfiguration, keys: KeyRing,
        validate: @escaping @Sendable (String, String) -> String? = { _, _ in nil },
        checks: @escaping @Sendable (String, String) -> [CheckDefinition]? = { _, _ in nil },
        timeZones: [String: TimeZone] = [:], secure: Bool = false, bodyTimeout: Double = 30,
        metrics: CentralMetrics = CentralMetrics(), projections: [RecordProjection] = [],
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.metrics = metrics
        self.projections = projections
        self.timeZones = timeZones
        self.store = store
        self.configuration = configuration
        self.verifier = RequestVerifier(keys: keys, window: TimeInterval(configuration.signatureWindowSeconds ?? 300))
        self.admission = AdmissionControl(
            maxInFlight: configuration.maxInFlight ?? 32, rate: configuration.perSiteRate ?? 50)
        self.budget = BodyBudget(limit: configuration.maxBodyBytesInFlight ?? 128 * 1024 * 1024)
        self.logins = LoginThrottle()
        self.secrets = SecretCache()
        self.validate = validate
        self.checks = checks
        self.secure = secure
        self.bodyTimeout = bodyTimeout
        self.clock = clock
    }

    /// The router with every route.
    public func router() -> Router<CentralContext> {
        let router = Router(context: CentralContext.self)
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: RequestMetrics(metrics: metrics))
        router.add(middleware: SecurityHeaders(secure: secure))
        router.get("/health") { _, _ in try await self.health() }
        router.get("/metrics") { request, context in try await self.metricsPage(request, peer: context) }
        addSync(to: router)
        addDashboard(to: router)
        addAPI(to: router)
        addDrilldown(to: router)
        return router
    }

    /// For load balancers: 200 `ok` when central can read its database within two seconds, else 503 naming
    /// the problem, so traffic moves to a process that can.
    func health() async throws -> Response {
        let store = self.store
        let problem: String? = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    _ = try await store.meta("health")
                    return nil
                } catch { return "the database cannot be read: \(error)" }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return "the database did not answer within 2 s"
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let problem else { return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        metrics.refused("unhealthy")
        return Self.error(.serviceUnavailable, "unhealthy", problem)
    }

    /// Prometheus's text, for a scraper on the same machine or a request with an administrator's API token.
    func metricsPage(_ request: Request, peer context: CentralContext) async throws -> Response {
        let peer = context.peer
        let local = peer.hasPrefix("127.") || peer == "::1" || peer.hasPrefix("::ffff:127.")
        if !local {
            guard try await tokenUser(request)?.role == "administrator" else {
                return Self.error(
                    .forbidden, "forbidden", "metrics are served to this machine or to an administrator's token")
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
    }

    /// How central listens: address, TLS, and how long an idle connection is kept.
    public typealias Listening = WebListening

    /// A runnable application; `onRunning` receives the port actually bound.
    public func application(
        _ listening: Listening, logger: Logger = Logger(label: "takt.central"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        do {
            return try WebServer.application(
                router(), listening, serverName: "takt-central", logger: logger, onRunning: onRunning)
        } catch {
            throw CentralError.tls(error.description)
        }
    }

    /// Serves until the process is asked to stop (SIGINT, SIGTERM), then shuts down gracefully.
    public func serve(
        _ listening: Listening, logger: Logger = Logger(label: "takt.central"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(listening, logger: logger, onRunning: onRunning).runService()
    }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let data = (try? WireJSON.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil)
        -> Response
    {
        var response = json(status, ErrorReply(error: code, message: message, serverTime: Date()))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

/// Nonces kept in central's store, so several central processes share them.
struct StoreNonces: NonceStore {
    let store: any CentralStorage
    let clock: @Sendable () -> Date

    func remember(key: String, nonce: String, expires: Date) async throws -> Bool {
        try await store.remember(key: key, nonce: nonce, expires: expires, now: clock())
    }
}

extension CentralServer {
    /// Runs the server on a free loopback port until `body` returns (for tests, benchmarks and the demo's
    /// checks), then shuts it down. `body` receives the base URL.
    public func serveOnLoopback<T: Sendable>(
        idleTimeout: Int = 30, tls: (certificate: String, key: String)? = nil, _ body: (URL) async throws -> T
    ) async throws -> T {
        do {
            return try await WebServer.onLoopback(
                router(), serverName: "takt-central", idleTimeout: idleTimeout, tls: tls, body)
        } catch let error as TLSFilesError {
            throw CentralError.tls(error.description)
        }
    }
}

/// The request context of central's routes (see `WebContext`).
public typealias CentralContext = WebContext
