import Foundation
import GRDB
import TaktStore

extension CentralStore {
    /// A dashboard user: role and the regions or sites it covers.
    public struct User: Hashable, Sendable, Codable {
        public var name: String
        public var passwordHash: String
        /// `administrator`, `regional_manager`, `site_manager` or `viewer`.
        public var role: String
        /// Region ids (regional manager, viewer) or site ids (site manager); empty for an administrator.
        public var scope: [String]

        public init(name: String, passwordHash: String, role: String, scope: [String]) {
            self.name = name
            self.passwordHash = passwordHash
            self.role = role
            self.scope = scope
        }
    }

    public func saveUser(_ user: User) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO users (name, password_hash, role, scope) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role, scope = excluded.scope
                    """, arguments: [user.name, user.passwordHash, user.role, user.scope.joined(separator: ",")])
        }
    }

    public func user(_ name: String) async throws(StoreError) -> User? {
        try await read { db in try Self.user(db, name) }
    }

    static func user(_ db: Database, _ name: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).map {
            User(
                name: $0["name"], passwordHash: $0["password_hash"], role: $0["role"],
                scope: ($0["scope"] as String).split(separator: ",").map(String.init))
        }
    }

    public func removeUser(_ name: String) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE user = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM api_tokens WHERE user = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM users WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    /// Starts a session; the caller keeps the token, the store only its hash.
    public func startSession(user: String, tokenHash: String, csrf: String, expires: Date) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO sessions (token_hash, user, csrf, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [tokenHash, user, csrf, expires.timeIntervalSince1970])
        }
    }

    /// The user and CSRF token of a live session.
    public func session(tokenHash: String, now: Date) async throws(StoreError) -> (user: User, csrf: String)? {
        try await read { db in
            guard
                let found = try Row.fetchOne(
                    db, sql: "SELECT user, csrf FROM sessions WHERE token_hash = ? AND expires_at > ?",
                    arguments: [tokenHash, now.timeIntervalSince1970])
            else { return nil }
            return try Self.user(db, found["user"]).map { ($0, found["csrf"]) }
        }
    }

    public func endSession(tokenHash: String) async throws(StoreError) {
        try await write { db in try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    /// Keeps an API token's hash until `expires`.
    public func addToken(user: String, tokenHash: String, at: Date, expires: Date) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO api_tokens (token_hash, user, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [tokenHash, user, at, expires.timeIntervalSince1970])
        }
    }

    /// The user of an API token that has not expired.
    public func tokenUser(tokenHash: String, now: Date) async throws(StoreError) -> User? {
        try await read { db in
            guard
                let name = try String.fetchOne(
                    db, sql: "SELECT user FROM api_tokens WHERE token_hash = ? AND expires_at > ?",
                    arguments: [tokenHash, now.timeIntervalSince1970])
            else { return nil }
            return try Self.user(db, name)
        }
    }

    /// Ends every session and API token of `user` (after a password change, or on request); returns how many.
    @discardableResult
    public func revokeCredentials(user: String) async throws(StoreError) -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE user = ?", arguments: [user])
            let sessions = db.changesCount
            try db.execute(sql: "DELETE FROM api_tokens WHERE user = ?", arguments: [user])
            return sessions + db.changesCount
        }
    }

    /// A random 32-byte secret kept under `name`, made on first use; the same for every central process on
    /// this database (it signs the login form's CSRF token).
    public func secret(name: String) async throws(StoreError) -> Data {
        // 32 random bytes as hex text, as PostgreSQL keeps them.
        let candidate = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return try await write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)", arguments: [name, candidate])
            return Data(
                (try String.fetchOne(db, sql: "SELECT value FROM secrets WHERE name = ?", arguments: [name])
                    ?? candidate).utf8)
        }
    }
}
