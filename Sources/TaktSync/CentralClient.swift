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

    /// Sends a batch in `format` (one the central reads: `CursorReply.batchFormat`); returns central's
    /// acknowledgement or throws what went wrong.
    public func send(_ batch: Batch, format: BatchBody.Format = .quoted) async throws(SyncError) -> BatchReply {
        let body = try BatchBody.encode(batch, format: format)
        let reply = try await exchange(
            method: "POST", path: "/v1/sites/\(site)/batches", query: nil, body: body,
            extra: ["Idempotency-Key": batch.idempotencyKey])
        return try decode(BatchReply.self, reply)
    }

    /// What central has acknowledged for `epoch`.
    public func cursor(epoch: String) async throws(SyncError) -> CursorReply {
        let reply = try await exchange(
            method: "GET", path: "/v1/sites/\(site)/cursor", query: "epoch=\(Self.encode(epoch))", body: Data())
        return try decode(CursorReply.self, reply)
    }

    /// Records central holds of `epoch` after `after`, oldest first, at most `limit` (a restored site recovering).
    public func records(epoch: String, after: Int64, limit: Int) async throws(SyncError) -> RecordsReply {
        let reply = try await exchange(
            method: "GET", path: "/v1/sites/\(site)/records",
            query: "epoch=\(Self.encode(epoch))&after=\(after)&limit=\(limit)", body: Data())
        return try decode(RecordsReply.self, reply)
    }

    /// The newest configuration above `version`, or nil when there is none.
    public func config(since version: Int) async throws(SyncError) -> ConfigDocument? {
        let reply = try await exchange(
            method: "GET", path: "/v1/sites/\(site)/config", query: "since=\(version)", body: Data())
        if reply.status == 204 { return nil }
        return try decode(ConfigDocument.self, reply)
    }

    /// The region-wide quotes central is waiting for this site to answer.
    public func quoteRequests() async throws(SyncError) -> [QuoteRequest] {
        let reply = try await exchange(
            method: "GET", path: "/v1/sites/\(site)/quote-requests", query: nil, body: Data())
        return try decode([QuoteRequest].self, reply)
    }

    /// The newest extension release of each id central publishes to this site.
    public func extensionReleases() async throws(SyncError) -> [ExtensionRelease] {
        let reply = try await exchange(
            method: "GET", path: "/v1/sites/\(site)/extension-releases", query: nil, body: Data())
        return try decode([ExtensionRelease].self, reply)
    }

    /// An answer from central, and whether central signed it (with this site's key, for this request).
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var signed: Bool
    }

    /// Signs and sends one request; checks the signature on the answer.
    private func exchange(method: String, path: String, query: String?, body: Data, extra: [String: String] = [:])
        async throws(SyncError) -> Reply
    {
        var headers = RequestSignature.headers(
            method: method, path: path, query: query, site: site, body: body, key: key, now: now())
        let nonce = headers[RequestSignature.nonceHeader] ?? ""
        headers.merge(extra) { first, _ in first }
        let answer = try await transport.send(method: method, path: path, query: query, headers: headers, body: body)
        let signed = ReplySignature.verify(
            status: answer.status, headers: answer.headers, body: answer.body, requestNonce: nonce, key: key)
        return Reply(status: answer.status, headers: answer.headers, body: answer.body, signed: signed)
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? value
    }

    /// The answer as a value. Only an answer signed by central counts as an acknowledgement, a gap, a
    /// configuration or a "malformed" verdict: anything else (a proxy's error page, a forged reply) is retried,
    /// so a healthy fact is never dead-lettered on a stranger's word.
    private func decode<T: Decodable>(_ type: T.Type, _ reply: Reply) throws(SyncError) -> T {
        let problem = try? WireJSON.decoder().decode(ErrorReply.self, from: reply.body)
        let retry = reply.headers["retry-after"].flatMap(Double.init).map { min(max($0, 0), 3600) } ?? 1
        switch reply.status {
        case 429, 503: throw .busy(retryAfter: retry)
        case 401 where problem?.error == "clock_skew":
            throw .clockSkew(
                serverTime: problem?.serverTime?.timeIntervalSince1970 ?? 0, requestTime: now().timeIntervalSince1970)
        case 401, 403: throw .unauthorized(problem?.message ?? "status \(reply.status)")
        default: break
        }
        guard reply.signed else {
            throw .transport("central's answer (status \(reply.status)) carries no valid signature; not trusted")
        }
        if (200..<300).contains(reply.status) {
            do { return try WireJSON.decoder().decode(T.self, from: reply.body) } catch {
                throw .transport("central's answer was not understood: \(error)")
            }
        }
        if reply.status == 409, problem?.error == "gap" { throw .gap(expected: max(1, problem?.expected ?? 1)) }
        if [400, 413, 422].contains(reply.status), problem?.error == "malformed" {
            throw .malformed(problem?.message ?? "malformed")
        }
        throw .transport("central answered \(reply.status): \(problem?.message ?? "")")
    }
}
