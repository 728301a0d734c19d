import Crypto
import Foundation
import NIOPosix
import _CryptoExtras

/// Passwords, PINs and tokens, for central and the site app: PBKDF2-HMAC-SHA256 with a random salt for passwords (swift-crypto), SHA-256 for the
/// session and API tokens central keeps (the tokens themselves live only in the browser or the API client).
public enum Credentials {
    /// PBKDF2-HMAC-SHA256 iterations for new hashes (OWASP's 2023 figure); older hashes are redone at the next
    /// successful login.
    public static let rounds = 600_000

    /// `pbkdf2-sha256$ROUNDS$SALT$HASH` (salt and hash in hex).
    public static func hash(password: String, rounds: Int = rounds) throws -> String {
        let salt = randomHex(16)
        return "pbkdf2-sha256$\(rounds)$\(salt)$\(try derive(password, salt: salt, rounds: rounds))"
    }

    /// A hash that matches no password, checked for unknown users so they cost as much time as known ones.
    public static let dummy =
        "pbkdf2-sha256$\(rounds)$00000000000000000000000000000000$" + String(repeating: "0", count: 64)

    /// Whether a stored hash uses fewer iterations than new ones do.
    public static func needsRehash(_ stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        return parts.count != 4 || (Int(parts[1]) ?? 0) < rounds
    }

    /// `verify` on NIO's blocking thread pool, so the key derivation (a quarter of a second) never holds a
    /// thread of Swift's cooperative pool; `nil` checks against `dummy`.
    public static func check(password: String, against stored: String?) async -> Bool {
        let hash = stored ?? dummy
        let result =
            (try? await NIOThreadPool.singleton.runIfActive { verify(password: password, against: hash) }) ?? false
        return stored != nil && result
    }

    /// `hash` on NIO's blocking thread pool.
    public static func hashOffPool(password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try hash(password: password) }
    }

    public static func verify(password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]),
            (1...10_000_000).contains(rounds),
            let derived = try? derive(password, salt: parts[2], rounds: rounds)
        else { return false }
        return same(derived, parts[3])
    }

    /// Compares two secrets without an early exit, so the time taken does not tell how much of a guess was right.
    public static func same(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        let (a, b) = (Array(given.utf8), Array(expected.utf8))
        return a.count == b.count && zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
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
