import Crypto
import Foundation

/// Ed25519 signatures on extension modules: the publisher signs the module's bytes; a site installs a module only
/// when a key it trusts (`extension_keys:` in site.yaml) verifies the signature.
public enum ExtensionSignature {
    /// A publisher's public key a site trusts, by its id.
    public struct TrustedKey: Hashable, Sendable {
        public var id: String
        public var publicKey: Data

        public init(id: String, publicKey: Data) {
            self.id = id
            self.publicKey = publicKey
        }
    }

    /// A new key pair, each base64: keep the private key secret (mode 0600), give sites the public one.
    public static func newKey() -> (privateKey: String, publicKey: String) {
        let key = Curve25519.Signing.PrivateKey()
        return (key.rawRepresentation.base64EncodedString(), key.publicKey.rawRepresentation.base64EncodedString())
    }

    /// The base64 signature of `module` with the base64 `privateKey`.
    public static func sign(_ module: Data, privateKey: String) throws -> String {
        guard let raw = Data(base64Encoded: privateKey.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ExtensionBuilder.Failure(description: "the private key is not base64")
        }
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        return try key.signature(for: module).base64EncodedString()
    }

    /// The id of the trusted key that verifies `signature` (base64) over `module`; nil when none does.
    public static func verify(_ module: Data, signature: String, keys: [TrustedKey]) -> String? {
        guard let raw = Data(base64Encoded: signature.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return nil
        }
        for key in keys {
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey) else { continue }
            if publicKey.isValidSignature(raw, for: module) { return key.id }
        }
        return nil
    }

    /// Compares two versions part by part as numbers (1.10.0 > 1.9.3).
    public static func isNewer(_ version: String, than other: String) -> Bool {
        let a = version.split(separator: ".").map { Int($0) ?? 0 }
        let b = other.split(separator: ".").map { Int($0) ?? 0 }
        for index in 0..<max(a.count, b.count) {
            let (x, y) = (index < a.count ? a[index] : 0, index < b.count ? b[index] : 0)
            if x != y { return x > y }
        }
        return false
    }
}
