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

/// Checks a request's signature headers (see `RequestSignature`).
public struct RequestVerifier: Sendable {
    public enum Failure: Error, Hashable, Sendable {
        case missing(String)
        case unknownKey(String)
        case revokedKey(String)
        /// The key belongs to another site than the one the request is for.
        case wrongSite(key: String, site: String)
        case clockSkew(serverTime: Double, requestTime: Double)
        case badDigest
        case badSignature
        case replay

        public var message: String {
            switch self {
            case .missing(let header): return "missing header \(header)"
            case .unknownKey(let id): return "unknown key '\(id)'"
            case .revokedKey(let id): return "key '\(id)' is revoked"
            case .wrongSite(let key, let site): return "key '\(key)' may not write for site '\(site)'"
            case .clockSkew(let server, let request):
                return "the request was signed at \(Int(request)), central's time is \(Int(server))"
            case .badDigest: return "the body does not match its digest"
            case .badSignature: return "the signature does not match"
            case .replay: return "this request was already received (replay)"
            }
        }
    }

    public var keys: KeyRing
    /// How far a request's time may be from central's, either way.
    public var window: TimeInterval

    public init(keys: KeyRing, window: TimeInterval = 300) {
        self.keys = keys
        self.window = window
    }

    /// Verifies a request for `site`; `header` looks a header up by name (case-insensitive). Returns the key id.
    public func verify(
        method: String, path: String, site: String, body: Data, now: Date, nonces: any NonceStore,
        header: (String) -> String?
    ) async throws -> Result<String, Failure> {
        func need(_ name: String) -> Result<String, Failure> {
            guard let value = header(name), !value.isEmpty else { return .failure(.missing(name)) }
            return .success(value)
        }
        let fields = [
            RequestSignature.siteHeader, RequestSignature.keyHeader, RequestSignature.timeHeader,
            RequestSignature.nonceHeader, RequestSignature.digestHeader, RequestSignature.signatureHeader,
        ].map(need)
        var values: [String] = []
        for field in fields {
            switch field {
            case .success(let value): values.append(value)
            case .failure(let failure): return .failure(failure)
            }
        }
        let (headerSite, keyID, time, nonce, digest, signature) = (
            values[0], values[1], values[2], values[3], values[4], values[5]
        )
        guard let entry = keys.entries[keyID] else { return .failure(.unknownKey(keyID)) }
        guard !entry.revoked else { return .failure(.revokedKey(keyID)) }
        guard entry.site == site, headerSite == site else { return .failure(.wrongSite(key: keyID, site: site)) }
        guard let seconds = Double(time) else { return .failure(.missing(RequestSignature.timeHeader)) }
        guard abs(seconds - now.timeIntervalSince1970) <= window else {
            return .failure(.clockSkew(serverTime: now.timeIntervalSince1970, requestTime: seconds))
        }
        guard RequestSignature.digest(body) == digest.lowercased() else { return .failure(.badDigest) }
        guard
            RequestSignature.verify(
                signature: signature.lowercased(), method: method, path: path, site: site, time: time, nonce: nonce,
                body: body, key: entry.key)
        else { return .failure(.badSignature) }
        let expires = Date(timeIntervalSince1970: seconds + window)
        guard try await nonces.remember(key: keyID, nonce: nonce, expires: expires) else { return .failure(.replay) }
        return .success(keyID)
    }
}
