import Foundation

/// The keys central accepts: each belongs to one site and may be revoked. Two keys of a site may be valid at
/// once, so a site can rotate without downtime.
public struct KeyRing: Sendable {
    public struct Entry: Sendable {
        public var site: String
        public var key: SiteKey
        public var revoked: Bool

        public init(site: String, key: SiteKey, revoked: Bool = false) {
            self.site = site
            self.key = key
            self.revoked = revoked
        }
    }

    public var entries: [String: Entry]

    public init(_ entries: [Entry]) {
        self.entries = Dictionary(entries.map { ($0.key.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Remembers nonces for as long as a signature is valid, so a replayed request is refused.
public protocol NonceStore: Sendable {
    /// Records `nonce` for `key` until `expires`; false when it was already seen.
    func remember(key: String, nonce: String, expires: Date) async throws -> Bool
}

/// Checks a request's signature headers (see `RequestSignature`), in two steps: `preflight` looks at the headers
/// alone (key, site, time), so central can refuse a stranger before reading a byte of the body; `verify` then
/// checks the digest, the signature and the nonce.
public struct RequestVerifier: Sendable {
    public enum Failure: Error, Hashable, Sendable {
        case missing(String)
        case badTime(String)
        case badNonce
        case unknownKey(String)
        case revokedKey(String)
        /// The key belongs to another site than the one the request is for.
        case wrongSite(key: String, site: String)
        case clockSkew(serverTime: Double, requestTime: Double)
        case badDigest
        case badSignature
        case replay

        /// A short machine-readable name, for metrics.
        public var reason: String {
            switch self {
            case .missing: return "missing_header"
            case .badTime: return "bad_time"
            case .badNonce: return "bad_nonce"
            case .unknownKey: return "unknown_key"
            case .revokedKey: return "revoked_key"
            case .wrongSite: return "wrong_site"
            case .clockSkew: return "clock_skew"
            case .badDigest: return "bad_digest"
            case .badSignature: return "bad_signature"
            case .replay: return "replay"
            }
        }

        public var message: String {
            switch self {
            case .missing(let header): return "missing header \(header)"
            case .badTime(let value):
                return "\(RequestSignature.timeHeader) must be whole seconds since 1970, not '\(value.prefix(40))'"
            case .badNonce: return "\(RequestSignature.nonceHeader) must be at most 128 characters"
            case .unknownKey(let id): return "unknown key '\(id.prefix(100))'"
            case .revokedKey(let id): return "key '\(id)' is revoked"
            case .wrongSite(let key, let site): return "key '\(key)' may not write for site '\(site.prefix(100))'"
            case .clockSkew(let server, let request):
                return "the request was signed at \(Int64(request)), central's time is \(Int64(server))"
            case .badDigest: return "the body does not match its digest"
            case .badSignature: return "the signature does not match"
            case .replay: return "this request was already received (replay)"
            }
        }
    }

    /// A request whose headers passed `preflight`: the key that signed it and what it signed.
    public struct Signed: Sendable {
        public var key: SiteKey
        public var time: String
        public var seconds: Int64
        public var nonce: String
        public var digest: String
        public var signature: String
    }

    public var keys: KeyRing
    /// How far a request's time may be from central's, either way.
    public var window: TimeInterval

    public init(keys: KeyRing, window: TimeInterval = 300) {
        self.keys = keys
        self.window = window
    }

    /// Checks the headers of a request for `site` without its body: every signature header present, the key
    /// known, not revoked and the site's, the time whole seconds within the window. `header` looks a header up by
    /// name (case-insensitive).
    public func preflight(site: String, now: Date, header: (String) -> String?) -> Result<Signed, Failure> {
        var values: [String] = []
        for name in [
            RequestSignature.siteHeader, RequestSignature.keyHeader, RequestSignature.timeHeader,
            RequestSignature.nonceHeader, RequestSignature.digestHeader, RequestSignature.signatureHeader,
        ] {
            guard let value = header(name), !value.isEmpty else { return .failure(.missing(name)) }
            values.append(value)
        }
        let (headerSite, keyID, time, nonce, digest, signature) = (
            values[0], values[1], values[2], values[3], values[4], values[5]
        )
        guard nonce.utf8.count <= 128 else { return .failure(.badNonce) }
        guard let entry = keys.entries[keyID] else { return .failure(.unknownKey(keyID)) }
        guard !entry.revoked else { return .failure(.revokedKey(keyID)) }
        guard entry.site == site, headerSite == site else { return .failure(.wrongSite(key: keyID, site: site)) }
        guard let seconds = RequestSignature.seconds(time) else { return .failure(.badTime(time)) }
        let server = now.timeIntervalSince1970
        // Compared as doubles: `seconds` is at most 19 digits, so no overflow; a far-off value is just skew.
        guard abs(Double(seconds) - server) <= window else {
            return .failure(.clockSkew(serverTime: server, requestTime: Double(seconds)))
        }
        return .success(
            Signed(
                key: entry.key, time: time, seconds: seconds, nonce: nonce, digest: digest.lowercased(),
                signature: signature.lowercased()))
    }

    /// Verifies a whole request for `site`: `preflight`, then the body's digest, the signature over method, path
    /// and query, and that the nonce is new. Returns what signed it, so the answer can be signed with the same key.
    public func verify(
        method: String, path: String, query: String?, site: String, body: Data, now: Date, nonces: any NonceStore,
        header: (String) -> String?
    ) async throws -> Result<Signed, Failure> {
        let signed: Signed
        switch preflight(site: site, now: now, header: header) {
        case .success(let value): signed = value
        case .failure(let failure): return .failure(failure)
        }
        guard RequestSignature.digest(body) == signed.digest else { return .failure(.badDigest) }
        guard
            RequestSignature.verify(
                signature: signed.signature, method: method, path: path, query: query, site: site, time: signed.time,
                nonce: signed.nonce, body: body, key: signed.key)
        else { return .failure(.badSignature) }
        let expires = Date(timeIntervalSince1970: Double(signed.seconds) + window)
        guard try await nonces.remember(key: signed.key.id, nonce: signed.nonce, expires: expires)
        else { return .failure(.replay) }
        return .success(signed)
    }
}
