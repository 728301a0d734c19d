import Foundation

/// The site's side of the protocol: signed requests to central, and their answers as values.
public struct CentralClient: Sendable {
    public let site: String
    public let key: SiteKey
    public let transport: any SyncTransport
    /// The site's clock.
    public let now: @Sendable () -> Date

    public init(
        site: String, key: SiteKey, transport: any SyncTransport, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.site = site
        self.key = key
        self.transport = transport
        self.now = now
    }

    /// Sends a batch; returns central's acknowledgement or throws what went wrong.
    public func send(_ batch: Batch) async throws(SyncError) -> BatchReply {
        let body: Data
        do { body = try WireJSON.encoder().encode(batch) } catch {
            throw .malformed("cannot encode the batch: \(error)")
        }
        let path = "/v1/sites/\(site)/batches"
        var headers = RequestSignature.headers(method: "POST", path: path, site: site, body: body, key: key, now: now())
        headers["Idempotency-Key"] = batch.idempotencyKey
        let reply = try await transport.send(method: "POST", path: path, query: nil, headers: headers, body: body)
        return try decode(BatchReply.self, reply)
    }

    /// What central has acknowledged for `epoch`.
    public func cursor(epoch: String) async throws(SyncError) -> CursorReply {
        let path = "/v1/sites/\(site)/cursor"
        let headers = RequestSignature.headers(
            method: "GET", path: path, site: site, body: Data(), key: key, now: now())
        let reply = try await transport.send(
            method: "GET", path: path, query: "epoch=\(epoch)", headers: headers, body: Data())
        return try decode(CursorReply.self, reply)
    }

    /// The newest configuration above `version`, or nil when there is none.
    public func config(since version: Int) async throws(SyncError) -> ConfigDocument? {
        let path = "/v1/sites/\(site)/config"
        let headers = RequestSignature.headers(
            method: "GET", path: path, site: site, body: Data(), key: key, now: now())
        let reply = try await transport.send(
            method: "GET", path: path, query: "since=\(version)", headers: headers, body: Data())
        if reply.status == 204 { return nil }
        return try decode(ConfigDocument.self, reply)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ reply: (status: Int, headers: [String: String], body: Data))
        throws(SyncError) -> T
    {
        if (200..<300).contains(reply.status) {
            do { return try WireJSON.decoder().decode(T.self, from: reply.body) } catch {
                throw .transport("central's answer was not understood: \(error)")
            }
        }
        let problem = try? WireJSON.decoder().decode(ErrorReply.self, from: reply.body)
        let retry = reply.headers["retry-after"].flatMap(Double.init) ?? 1
        switch reply.status {
        case 409: throw .gap(expected: problem?.expected ?? 1)
        case 429, 503: throw .busy(retryAfter: retry)
        case 401 where problem?.error == "clock_skew":
            throw .clockSkew(
                serverTime: problem?.serverTime?.timeIntervalSince1970 ?? 0, requestTime: now().timeIntervalSince1970)
        case 401, 403: throw .unauthorized(problem?.message ?? "status \(reply.status)")
        case 400, 413, 422: throw .malformed(problem?.message ?? "status \(reply.status)")
        default: throw .transport("central answered \(reply.status): \(problem?.message ?? "")")
        }
    }
}
