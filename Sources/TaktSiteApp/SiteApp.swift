import Foundation
import Hummingbird
import Logging
import TaktCore
import TaktHost
import TaktStore
import TaktWeb

/// The site app: the web pages operators, supervisors, quality and the site manager use on the plant's
/// network, and the site's JSON API. It writes through the same `SiteHost` as the command line, so every rule,
/// transaction and outbox row is the same, and works whether or not central is reachable.
public struct SiteApp: Sendable {
    public let host: SiteHost
    /// The pages of the modules the site loads (`ModuleRegistry.pages(of:)`).
    let pages: [ModulePage]
    let catalogue: Catalogue
    let logins: LoginThrottle
    let budget: BodyBudget
    let secure: Bool
    let bodyTimeout: Double
    let clock: @Sendable () -> Date
    /// How often the live stream looks for new findings, and how long one stream lasts before the browser
    /// reconnects.
    let liveInterval: Double
    let liveDuration: Double

    /// Operators sign in at shared tablets: their sessions end after 10 minutes without a request.
    static let operatorIdleSeconds = 600
    /// Everyone else: 8 hours without a request; every session ends 12 hours after it began.
    static let staffIdleSeconds = 8 * 3600
    static let sessionSeconds: TimeInterval = 12 * 3600
    static let sessionCookie = "takt_site_session"
    static let loginCookie = "takt_site_login"

    public init(
        host: SiteHost, pages: [ModulePage] = [], secure: Bool = false, catalogue: Catalogue = .shipped,
        bodyTimeout: Double = 30, liveInterval: Double = 2, liveDuration: Double = 300,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.liveInterval = liveInterval
        self.liveDuration = liveDuration
        self.host = host
        self.pages = pages
        self.catalogue = catalogue
        self.logins = LoginThrottle()
        self.budget = BodyBudget(limit: 16 * 1024 * 1024)
        self.secure = secure
        self.bodyTimeout = bodyTimeout
        self.clock = clock
    }

    /// Every route: the pages, the API and `/health`.
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: SecurityHeaders(secure: secure))
        router.get("/health") { _, _ in "ok" }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        addSessions(to: router)
        addPages(to: router)
        addWorkPages(to: router)
        addPeoplePages(to: router)
        addCostPages(to: router)
        addCostsAPI(to: router)
        addMaterialsPages(to: router)
        addMaintenancePages(to: router)
        addQualityPages(to: router)
        addIncidentPages(to: router)
        addNonConformancePages(to: router)
        addAlertPages(to: router)
        addModulePages(to: router)
        addLive(to: router)
        addAPI(to: router)
        return router
    }

    /// How the app listens: address, TLS, idle timeout.
    public typealias Listening = WebListening

    /// A runnable application; `onRunning` receives the port actually bound.
    public func application(
        _ listening: Listening, logger: Logger = Logger(label: "takt.site.app"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        try WebServer.application(router(), listening, serverName: "takt-site", logger: logger, onRunning: onRunning)
    }

    /// Serves until the process is asked to stop (SIGINT, SIGTERM).
    public func serve(
        _ listening: Listening, logger: Logger = Logger(label: "takt.site.app"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(listening, logger: logger, onRunning: onRunning).runService()
    }

    /// Runs the app on a free loopback port for the duration of `body` (tests, the benchmark).
    public func serveOnLoopback<T: Sendable>(_ body: (URL) async throws -> T) async throws -> T {
        try await WebServer.onLoopback(router(), serverName: "takt-site", body)
    }
}
