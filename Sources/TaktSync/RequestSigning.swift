import Crypto
import Foundation

/// A site's signing key: its id and the secret, read from a file only its owner may read.
public struct SiteKey: Sendable {
    public var id: String
    let bytes: Data

    public init(id: String, secret: Data) {
        self.id = id
        self.bytes = secret
    }

    var secret: SymmetricKey { SymmetricKey(data: bytes) }

    /// Reads a key file written by `takt keys generate`: the secret in hex on one line. Refuses a file that
    /// others can read (it must be 0600), so a key never leaks through loose permissions.
    public static func load(id: String, file: String) throws(SyncError) -> SiteKey {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else {
            throw .key("\(file): key file not found")
        }
        if let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
            throw .key(
                "\(file): key file is readable by others (mode \(String(mode.intValue, radix: 8))); run chmod 600 \(file)"
            )
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
            let secret = Data(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), secret.count >= 16
        else { throw .key("\(file): not a Takt key (expected at least 16 bytes in hex)") }
        return SiteKey(id: id, secret: secret)
    }

    /// Writes a new random 32-byte key to `file` with mode 0600.
    public static func generate(file: String) throws(SyncError) {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let text = bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard
            FileManager.default.createFile(
                atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw .key("\(file): cannot write the key file") }
    }
}

/// The headers that authenticate a request, and how they are computed: HMAC-SHA256 over the method, the path,
/// the canonical query, the site, the creation time, a nonce and the SHA-256 of the body.
public enum RequestSignature {
    public static let siteHeader = "X-Takt-Site"
    public static let keyHeader = "X-Takt-Key"
    public static let timeHeader = "X-Takt-Time"
    public static let nonceHeader = "X-Takt-Nonce"
    public static let digestHeader = "X-Takt-Content-SHA256"
    public static let signatureHeader = "X-Takt-Signature"

    /// The text that is signed. `query` is the raw query string (without `?`), canonicalised here.
    public static func canonical(
        method: String, path: String, query: String?, site: String, time: String, nonce: String, digest: String
    ) -> String {
        [method.uppercased(), path, canonicalQuery(query), site, time, nonce, digest].joined(separator: "\n")
    }

    /// The query as signed: its `name=value` pairs as sent (percent-encoded), sorted, joined by `&`; empty
    /// pairs dropped. A proxy that reorders parameters does not break the signature; one that changes a value
    /// does.
    public static func canonicalQuery(_ query: String?) -> String {
        guard let query else { return "" }
        return query.split(separator: "&").filter { !$0.isEmpty }.map(String.init).sorted().joined(separator: "&")
    }

    public static func digest(_ body: Data) -> String { SHA256.hash(data: body).hex }

    /// The headers for a request by `key` for `site`.
    public static func headers(
        method: String, path: String, query: String? = nil, site: String, body: Data, key: SiteKey, now: Date,
        nonce: String = UUID().uuidString
    ) -> [String: String] {
        let time = String(Int64(now.timeIntervalSince1970.rounded(.down)))
        let digest = digest(body)
        let text = canonical(
            method: method, path: path, query: query, site: site, time: time, nonce: nonce, digest: digest)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key.secret)
        return [
            siteHeader: site, keyHeader: key.id, timeHeader: time, nonceHeader: nonce, digestHeader: digest,
            signatureHeader: Data(mac).hex,
        ]
    }

    /// Whether `signature` is right for the request, compared in constant time.
    public static func verify(
        signature: String, method: String, path: String, query: String?, site: String, time: String, nonce: String,
        body: Data, key: SiteKey
    ) -> Bool {
        guard let mac = Data(hex: signature) else { return false }
        let text = canonical(
            method: method, path: path, query: query, site: site, time: time, nonce: nonce, digest: digest(body))
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(text.utf8), using: key.secret)
    }

    /// Seconds since 1970 from the time header: whole seconds only (digits, an optional leading minus), so
    /// `nan`, `inf` and `1e300` are refused before any arithmetic is done with them.
    public static func seconds(_ header: String) -> Int64? {
        guard !header.isEmpty, header.count <= 19,
            header.dropFirst(header.hasPrefix("-") ? 1 : 0).allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return Int64(header)
    }
}

/// How central signs its answers with the key that signed the request, so a site can refuse a forged
/// acknowledgement, gap or configuration: HMAC-SHA256 over the status, the request's nonce (binding the answer
/// to the question), central's time and the SHA-256 of the body.
public enum ReplySignature {
    public static let keyHeader = "X-Takt-Reply-Key"
    public static let timeHeader = "X-Takt-Reply-Time"
    public static let signatureHeader = "X-Takt-Reply-Signature"

    static func canonical(status: Int, requestNonce: String, time: String, digest: String) -> String {
        ["REPLY", String(status), requestNonce, time, digest].joined(separator: "\n")
    }

    /// The headers central adds to its answer to a request signed with `key` and carrying `requestNonce`.
    public static func headers(status: Int, requestNonce: String, body: Data, key: SiteKey, now: Date)
        -> [String: String]
    {
        let time = String(Int64(now.timeIntervalSince1970.rounded(.down)))
        let text = canonical(
            status: status, requestNonce: requestNonce, time: time, digest: RequestSignature.digest(body))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key.secret)
        return [keyHeader: key.id, timeHeader: time, signatureHeader: Data(mac).hex]
    }

    /// Whether an answer (headers with lowercased names) carries a valid signature by `key` for the request
    /// that had `requestNonce`.
    public static func verify(
        status: Int, headers: [String: String], body: Data, requestNonce: String, key: SiteKey
    ) -> Bool {
        guard headers[keyHeader.lowercased()] == key.id, let time = headers[timeHeader.lowercased()],
            let signature = headers[signatureHeader.lowercased()], let mac = Data(hex: signature.lowercased())
        else { return false }
        let text = canonical(
            status: status, requestNonce: requestNonce, time: time, digest: RequestSignature.digest(body))
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(text.utf8), using: key.secret)
    }
}

extension Data {
    /// Bytes from hex text; nil when it is not hex.
    public init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

extension Digest {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
