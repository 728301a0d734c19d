import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
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
        addModulePages(to: router)
        addLive(to: router)
        addAPI(to: router)
        return router
    }

    /// How the app listens.
    public struct Listening: Sendable {
        public var host: String
        public var port: Int
        /// PEM files of the certificate chain and its key; plain HTTP when nil.
        public var tls: (certificate: String, key: String)?

        public init(host: String, port: Int, tls: (certificate: String, key: String)? = nil) {
            self.host = host
            self.port = port
            self.tls = tls
        }
    }

    /// A runnable application; `onRunning` receives the port actually bound.
    public func application(
        _ listening: Listening, logger: Logger = Logger(label: "takt.site.app"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        var server = HTTPServerBuilder.http1()
        if let tls = listening.tls {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificate).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
            server = try HTTPServerBuilder.tls(
                server,
                tlsConfiguration: TLSConfiguration.makeServerConfiguration(
                    certificateChain: chain, privateKey: .privateKey(key)))
        }
        return Application(
            router: router(), server: server,
            configuration: .init(address: .hostname(listening.host, port: listening.port), serverName: "takt-site"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? listening.port) },
            logger: logger)
    }

    /// Serves until the process is asked to stop (SIGINT, SIGTERM).
    public func serve(
        _ listening: Listening, logger: Logger = Logger(label: "takt.site.app"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(listening, logger: logger, onRunning: onRunning).runService()
    }

    /// Runs the app on a free loopback port for the duration of `body` (tests, the demo).
    public func serveOnLoopback(_ body: @Sendable (URL) async throws -> Void) async throws {
        var quiet = Logger(label: "takt.site.app.loopback")
        quiet.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try application(Listening(host: "127.0.0.1", port: 0), logger: quiet) { port in
            continuation.yield(port)
        }
        let running = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        defer { running.cancel() }
        try await body(URL(string: "http://127.0.0.1:\(port)")!)
    }
}
