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
/// the site, the creation time, a nonce and the SHA-256 of the body.
public enum RequestSignature {
    public static let siteHeader = "X-Takt-Site"
    public static let keyHeader = "X-Takt-Key"
    public static let timeHeader = "X-Takt-Time"
    public static let nonceHeader = "X-Takt-Nonce"
    public static let digestHeader = "X-Takt-Content-SHA256"
    public static let signatureHeader = "X-Takt-Signature"

    /// The text that is signed.
    public static func canonical(
        method: String, path: String, site: String, time: String, nonce: String, digest: String
    )
        -> String
    {
        [method.uppercased(), path, site, time, nonce, digest].joined(separator: "\n")
    }

    public static func digest(_ body: Data) -> String { SHA256.hash(data: body).hex }

    /// The headers for a request by `key` for `site`.
    public static func headers(
        method: String, path: String, site: String, body: Data, key: SiteKey, now: Date,
        nonce: String = UUID().uuidString
    ) -> [String: String] {
        let time = String(Int(now.timeIntervalSince1970))
        let digest = digest(body)
        let text = canonical(method: method, path: path, site: site, time: time, nonce: nonce, digest: digest)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key.secret)
        return [
            siteHeader: site, keyHeader: key.id, timeHeader: time, nonceHeader: nonce, digestHeader: digest,
            signatureHeader: Data(mac).hex,
        ]
    }

    /// Whether `signature` is right for the request, compared in constant time.
    public static func verify(
        signature: String, method: String, path: String, site: String, time: String, nonce: String, body: Data,
        key: SiteKey
    ) -> Bool {
        guard let mac = Data(hex: signature) else { return false }
        let text = canonical(method: method, path: path, site: site, time: time, nonce: nonce, digest: digest(body))
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
