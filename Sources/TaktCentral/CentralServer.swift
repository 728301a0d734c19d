import Foundation
import Hummingbird
import Logging
import TaktCore
import TaktStore
import TaktSync

/// Central's HTTP server: the site sync endpoints, with signature checks and overload control.
public struct CentralServer: Sendable {
    public let store: any CentralStorage
    public let configuration: CentralConfiguration
    public let verifier: RequestVerifier
    let admission: AdmissionControl
    let validate: @Sendable (String, String) -> String?
    let clock: @Sendable () -> Date
    /// Each site's time zone, for showing times; UTC when unknown.
    let timeZones: [String: TimeZone]

    /// - Parameter validate: checks a configuration document for a site before it is published; returns why it
    ///   is refused, or nil.
    public init(
        store: any CentralStorage, configuration: CentralConfiguration, keys: KeyRing,
        validate: @escaping @Sendable (String, String) -> String? = { _, _ in nil },
        timeZones: [String: TimeZone] = [:], clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.timeZones = timeZones
        self.store = store
        self.configuration = configuration
        self.verifier = RequestVerifier(keys: keys, window: TimeInterval(configuration.signatureWindowSeconds ?? 300))
        self.admission = AdmissionControl(
            maxInFlight: configuration.maxInFlight ?? 32, rate: configuration.perSiteRate ?? 50)
        self.validate = validate
        self.clock = clock
    }

    /// The router with every route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/health") { _, _ in "ok" }
        router.post("/v1/sites/:site/batches") { request, context in
            try await self.batches(request, site: context.parameters.require("site"))
        }
        router.get("/v1/sites/:site/cursor") { request, context in
            try await self.cursor(request, site: context.parameters.require("site"))
        }
        router.get("/v1/sites/:site/config") { request, context in
            try await self.config(request, site: context.parameters.require("site"))
        }
        addDashboard(to: router)
        addAPI(to: router)
        return router
    }

    /// A runnable application on `host:port`; `onRunning` receives the port actually bound.
    public func application(
        host: String, port: Int, logger: Logger = Logger(label: "takt.central"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "takt-central"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }

    // MARK: handlers

    func batches(_ request: Request, site: String) async throws -> Response {
        var request = request
        let body: Data
        do {
            body = Data((try await request.collectBody(upTo: 32 * 1024 * 1024)).readableBytesView)
        } catch {
            return Self.error(.contentTooLarge, "body_too_large", "a batch may be at most 32 MB")
        }
        if let refusal = try await authenticate(request, site: site, body: body) { return refusal }
        switch await admission.admit(site: site, now: clock()) {
        case .overloaded(let seconds):
            return Self.error(.serviceUnavailable, "overloaded", "central is busy", retryAfter: seconds)
        case .tooFast(let seconds):
            return Self.error(.tooManyRequests, "too_many_requests", "this site sends too fast", retryAfter: seconds)
        case .admitted: break
        }
        defer { Task { await admission.release() } }
        let batch: Batch
        do {
            batch = try WireJSON.decoder().decode(Batch.self, from: body)
        } catch {
            return Self.error(.badRequest, "malformed", "the body is not a batch: \(error)")
        }
        if let problem = batch.problem(forSite: site) { return Self.error(.unprocessableContent, "malformed", problem) }
        let now = clock()
        let outcome: CentralStore.IngestOutcome
        do {
            outcome = try await store.ingest(
                site: site, epoch: batch.epoch, first: batch.first, last: batch.last,
                records: batch.records.map {
                    .init(
                        seq: $0.seq, kind: $0.kind, recordClass: $0.class, key: $0.key, payload: $0.payload,
                        createdAt: $0.createdAt)
                }, configVersion: batch.configVersion, sentAt: batch.sentAt, now: now)
        } catch {
            if let error = error as? StoreError, case .locked = error {
                return Self.error(.serviceUnavailable, "busy", "the store is busy", retryAfter: 1)
            }
            return Self.error(.internalServerError, "store", "\(error)")
        }
        switch outcome {
        case .gap(let expected):
            return Self.json(
                .conflict,
                ErrorReply(
                    error: "gap", message: "central expects sequence \(expected) next", serverTime: now,
                    expected: expected))
        case .stored(let acknowledged, let written, let duplicated):
            return Self.json(
                .ok, BatchReply(acknowledged: acknowledged, written: written, duplicated: duplicated, serverTime: now))
        }
    }

    func cursor(_ request: Request, site: String) async throws -> Response {
        if let refusal = try await authenticate(request, site: site, body: Data()) { return refusal }
        let epoch = request.uri.queryParameters["epoch"].map(String.init)
        var acknowledged: Int64 = 0
        if let epoch { acknowledged = try await store.cursor(site: site, epoch: epoch) }
        return Self.json(.ok, CursorReply(site: site, epoch: epoch, acknowledged: acknowledged, serverTime: clock()))
    }

    func config(_ request: Request, site: String) async throws -> Response {
        if let refusal = try await authenticate(request, site: site, body: Data()) { return refusal }
        let since = request.uri.queryParameters["since"].flatMap { Int(String($0)) } ?? 0
        guard let newest = try await store.config(site: site, since: since) else { return Response(status: .noContent) }
        return Self.json(
            .ok, ConfigDocument(version: newest.version, document: newest.document, publishedAt: newest.at))
    }

    /// Nil when the request is properly signed by a key of `site`; otherwise the refusal to send.
    func authenticate(_ request: Request, site: String, body: Data) async throws -> Response? {
        let nonces = StoreNonces(store: store, clock: clock)
        let result = try await verifier.verify(
            method: request.method.rawValue, path: request.uri.path, site: site, body: body, now: clock(),
            nonces: nonces
        ) { name in
            request.headers.first { $0.name.rawName.lowercased() == name.lowercased() }?.value
        }
        switch result {
        case .success: return nil
        case .failure(.clockSkew(let server, let requested)):
            return Self.json(
                .unauthorized,
                ErrorReply(
                    error: "clock_skew",
                    message: "clock skew: signed at \(Int(requested)), central's time is \(Int(server)) "
                        + "(\(Int(requested - server)) s apart)", serverTime: Date(timeIntervalSince1970: server)))
        case .failure(let failure):
            if case .wrongSite = failure { return Self.error(.forbidden, "forbidden", failure.message) }
            return Self.error(.unauthorized, "unauthorized", failure.message)
        }
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
    public func serveOnLoopback<T: Sendable>(_ body: (URL) async throws -> T) async throws -> T {
        var quiet = Logger(label: "takt.central.loopback")
        quiet.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = application(host: "127.0.0.1", port: 0, logger: quiet) { continuation.yield($0) }
        let running = Task { try await app.run() }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw SyncError.transport("central did not start") }
        return try await body(URL(string: "http://127.0.0.1:\(port)")!)
    }
}
