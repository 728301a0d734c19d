import Crypto
import Foundation
import _CryptoExtras

/// Passwords and tokens: PBKDF2-HMAC-SHA256 with a random salt for passwords (swift-crypto), SHA-256 for the
/// session and API tokens central keeps (the tokens themselves live only in the browser or the API client).
public enum Credentials {
    static let rounds = 210_000

    /// `pbkdf2-sha256$ROUNDS$SALT$HASH` (salt and hash in hex).
    public static func hash(password: String) throws -> String {
        let salt = randomHex(16)
        return "pbkdf2-sha256$\(rounds)$\(salt)$\(try derive(password, salt: salt, rounds: rounds))"
    }

    public static func verify(password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]),
            let derived = try? derive(password, salt: parts[2], rounds: rounds)
        else { return false }
        // Compare without an early exit.
        return zip(derived.utf8, parts[3].utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 && derived.count == parts[3].count
    }

    static func derive(_ password: String, salt: String, rounds: Int) throws -> String {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(password.utf8), salt: Data(salt.utf8), using: .sha256, outputByteCount: 32, rounds: rounds)
        return key.withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
    }

    /// A random token of `bytes` bytes, as hex.
    public static func randomHex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    public static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
