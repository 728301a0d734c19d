import Foundation
import HTTPTypes
import Hummingbird
import TaktCentralStore
import TaktStore
import TaktSync

extension CentralServer {
    /// The site sync endpoints. Each request is checked in order of cost: its signature headers (key, site,
    /// time) before a byte of the body is read, the body within its size, time and the server's byte budget,
    /// then the signature and nonce. Every answer to a verified request is signed with the same key.
    func addSync(to router: Router<CentralContext>) {
        router.post("/v1/sites/:site/batches") { request, context in
            try await self.batches(request, site: context.parameters.require("site"))
        }
        router.get("/v1/sites/:site/cursor") { request, context in
            try await self.cursor(request, site: context.parameters.require("site"))
        }
        router.get("/v1/sites/:site/records") { request, context in
            try await self.records(request, site: context.parameters.require("site"))
        }
        router.get("/v1/sites/:site/config") { request, context in
            try await self.config(request, site: context.parameters.require("site"))
        }
    }

    func batches(_ request: Request, site: String) async throws -> Response {
        let started = ContinuousClock.now
        if case .failure(let failure) = verifier.preflight(site: site, now: clock(), header: Self.header(request)) {
            return refusal(failure)
        }
        let body: Data
        do { body = try await budget.collect(request, limit: Batch.maximumBytes, timeout: bodyTimeout) } catch {
            metrics.refused("body")
            return Self.refusal(error)
        }
        let signed: RequestVerifier.Signed
        switch try await authenticate(request, site: site, body: body) {
        case .signed(let value): signed = value
        case .refused(let refusal): return refusal
        }
        switch await admission.admit(site: site, now: clock()) {
        case .overloaded(let seconds):
            metrics.refused("overloaded")
            return Self.error(.serviceUnavailable, "overloaded", "central is busy", retryAfter: seconds)
        case .tooFast(let seconds):
            metrics.refused("too_fast")
            return Self.error(.tooManyRequests, "too_many_requests", "this site sends too fast", retryAfter: seconds)
        case .admitted: break
        }
        defer { Task { await admission.release() } }
        let now = clock()
        let batch: Batch
        switch BatchBody.read(body, site: site, now: now) {
        case .batch(let read): batch = read
        case .unreadable(let problem):
            metrics.refused("malformed")
            return reply(.badRequest, Self.problem("malformed", problem), signed)
        case .refused(let problem):
            metrics.refused("malformed")
            return reply(.unprocessableContent, Self.problem("malformed", problem), signed)
        }
        let outcome: CentralStore.IngestOutcome
        do {
            outcome = try await store.ingest(
                site: site, epoch: batch.epoch, first: batch.first, last: batch.last,
                records: batch.records.map {
                    .init(
                        seq: $0.seq, kind: $0.kind, recordClass: $0.class, key: $0.key, payload: $0.payload,
                        createdAt: $0.createdAt, hash: $0.hash, previousHash: $0.previous)
                }, configVersion: batch.configVersion, sentAt: batch.sentAt, now: now, zone: zone(site))
        } catch {
            if let error = error as? StoreError, case .locked = error {
                return Self.error(.serviceUnavailable, "busy", "the store is busy", retryAfter: 1)
            }
            return reply(.internalServerError, Self.problem("store", "\(error)"), signed)
        }
        switch outcome {
        case .gap(let expected):
            return reply(
                .conflict,
                ErrorReply(
                    error: "gap", message: "central expects sequence \(expected) next", serverTime: now,
                    expected: expected), signed)
        case .stored(let acknowledged, let written, let duplicated):
            metrics.ingested(
                site: site, written: written, duplicated: duplicated,
                seconds: RequestMetrics<CentralContext>.seconds(since: started),
                newest: batch.records.map(\.createdAt).max(), now: now)
            return reply(
                .ok, BatchReply(acknowledged: acknowledged, written: written, duplicated: duplicated, serverTime: now),
                signed)
        }
    }

    func cursor(_ request: Request, site: String) async throws -> Response {
        let signed: RequestVerifier.Signed
        switch try await authenticate(request, site: site, body: Data()) {
        case .signed(let value): signed = value
        case .refused(let refusal): return refusal
        }
        try await store.noteContact(site: site, at: clock(), configRunning: nil)
        let epoch = request.uri.queryParameters["epoch"].map(String.init)
        var acknowledged: Int64 = 0
        if let epoch { acknowledged = try await store.cursor(site: site, epoch: epoch) }
        return reply(
            .ok,
            CursorReply(
                site: site, epoch: epoch, acknowledged: acknowledged, serverTime: clock(),
                batchFormat: BatchBody.Format.newest.rawValue), signed)
    }

    /// A site's own records of one epoch after a sequence, for a site recovering after a restore.
    func records(_ request: Request, site: String) async throws -> Response {
        let signed: RequestVerifier.Signed
        switch try await authenticate(request, site: site, body: Data()) {
        case .signed(let value): signed = value
        case .refused(let refusal): return refusal
        }
        guard let epoch = request.uri.queryParameters["epoch"].map(String.init), !epoch.isEmpty, epoch.count <= 200
        else { return reply(.badRequest, Self.problem("malformed", "name the epoch: ?epoch=…"), signed) }
        let after = request.uri.queryParameters["after"].flatMap { Int64(String($0)) } ?? 0
        let limit = max(1, min(1_000, request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 500))
        let records = try await store.records(site: site, epoch: epoch, after: after, limit: limit)
        return reply(
            .ok,
            RecordsReply(
                site: site, epoch: epoch,
                records: records.map {
                    WireRecord(
                        seq: $0.seq, kind: $0.kind, class: $0.recordClass, key: $0.key, payload: $0.payload,
                        createdAt: $0.createdAt, hash: $0.hash, previous: $0.previousHash)
                }, acknowledged: try await store.cursor(site: site, epoch: epoch), serverTime: clock()), signed)
    }

    func config(_ request: Request, site: String) async throws -> Response {
        let signed: RequestVerifier.Signed
        switch try await authenticate(request, site: site, body: Data()) {
        case .signed(let value): signed = value
        case .refused(let refusal): return refusal
        }
        let asked = request.uri.queryParameters["since"].flatMap { Int(String($0)) }
        let since = asked ?? 0
        // The agent asks for what is newer than the version it runs: that version reaches the dashboard now, not
        // with the site's next batch. A `since` that is missing or no version number says nothing about it.
        try await store.noteContact(
            site: site, at: clock(), configRunning: asked.flatMap { (0...1_000_000_000).contains($0) ? $0 : nil })
        guard let newest = try await store.config(site: site, since: since) else {
            return reply(.noContent, nil as ErrorReply?, signed)
        }
        return reply(
            .ok, ConfigDocument(version: newest.version, document: newest.document, publishedAt: newest.at), signed)
    }

    enum Authentication {
        case signed(RequestVerifier.Signed)
        case refused(Response)
    }

    static func header(_ request: Request) -> (String) -> String? {
        { name in request.headers.first { $0.name.rawName.lowercased() == name.lowercased() }?.value }
    }

    /// Verifies a request's signature for `site`: what signed it, or the refusal to send.
    func authenticate(_ request: Request, site: String, body: Data) async throws -> Authentication {
        let result = try await verifier.verify(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query, site: site, body: body,
            now: clock(), nonces: StoreNonces(store: store, clock: clock), header: Self.header(request))
        switch result {
        case .success(let signed): return .signed(signed)
        case .failure(let failure): return .refused(refusal(failure))
        }
    }

    func refusal(_ failure: RequestVerifier.Failure) -> Response {
        metrics.refused(failure.reason)
        switch failure {
        case .clockSkew(let server, let requested):
            return Self.json(
                .unauthorized,
                ErrorReply(
                    error: "clock_skew",
                    message: "clock skew: signed at \(Int64(requested)), central's time is \(Int64(server)) "
                        + "(\(Int64(requested - server)) s apart)", serverTime: Date(timeIntervalSince1970: server)))
        case .wrongSite: return Self.error(.forbidden, "forbidden", failure.message)
        default: return Self.error(.unauthorized, "unauthorized", failure.message)
        }
    }

    static func problem(_ code: String, _ message: String) -> ErrorReply {
        ErrorReply(error: code, message: message, serverTime: Date())
    }

    /// An answer signed with the key that signed the request (see `ReplySignature`).
    func reply(_ status: HTTPResponse.Status, _ value: (some Encodable)?, _ signed: RequestVerifier.Signed)
        -> Response
    {
        let data = value.flatMap { try? WireJSON.encoder().encode($0) } ?? Data()
        var response = Response(
            status: status, headers: value == nil ? [:] : [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        for (name, text) in ReplySignature.headers(
            status: Int(status.code), requestNonce: signed.nonce, body: data, key: signed.key, now: clock())
        {
            if let field = HTTPField.Name(name) { response.headers[field] = text }
        }
        return response
    }
}
