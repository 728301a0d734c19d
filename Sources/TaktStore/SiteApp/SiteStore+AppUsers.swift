import Foundation
import GRDB
import TaktCore

/// The site app's people, sessions, API tokens and form submissions. Kept in the site database beside the
/// records, never in the outbox: secrets stay at the site.
extension SiteStore {
    /// Someone who may sign in to the site app: a staff member of `site.yaml` with a role and the hash of a PIN
    /// (operators) or a password.
    public struct AppUser: Hashable, Sendable {
        public var staff: String
        public var role: SiteRole
        public var secretHash: String
        /// The language the person reads the app in; the site's when nil.
        public var locale: String?

        public init(staff: String, role: SiteRole, secretHash: String, locale: String? = nil) {
            self.staff = staff
            self.role = role
            self.secretHash = secretHash
            self.locale = locale
        }
    }

    /// A signed-in browser: whose, its CSRF token, and until when it lasts without activity.
    public struct AppSession: Hashable, Sendable {
        public var user: AppUser
        public var csrf: String
        public var tokenHash: String
    }

    static func registerSiteAppMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-site-app") { db in
            try db.execute(
                sql: """
                    CREATE TABLE app_users (
                        staff TEXT PRIMARY KEY NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'quality', 'maintenance', 'site_manager')),
                        secret_hash TEXT NOT NULL,
                        locale TEXT,
                        created_at DATETIME NOT NULL
                    );
                    CREATE TABLE app_sessions (
                        token_hash TEXT PRIMARY KEY NOT NULL,
                        staff TEXT NOT NULL REFERENCES app_users(staff) ON DELETE CASCADE,
                        csrf TEXT NOT NULL,
                        idle_seconds INTEGER NOT NULL CHECK (idle_seconds > 0),
                        last_seen_at DATETIME NOT NULL,
                        expires_at DATETIME NOT NULL
                    );
                    CREATE TABLE app_tokens (
                        token_hash TEXT PRIMARY KEY NOT NULL,
                        staff TEXT NOT NULL REFERENCES app_users(staff) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        checks TEXT,
                        created_at DATETIME NOT NULL
                    );
                    ALTER TABLE findings ADD COLUMN translations TEXT;
                    CREATE TABLE app_submissions (
                        form_id TEXT PRIMARY KEY NOT NULL CHECK (length(form_id) BETWEEN 8 AND 64),
                        staff TEXT NOT NULL,
                        at DATETIME NOT NULL
                    );
                    """)
        }
    }

    /// Adds a user or replaces their role and secret.
    public func saveAppUser(_ user: AppUser, at now: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO app_users (staff, role, secret_hash, locale, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (staff) DO UPDATE SET role = excluded.role, secret_hash = excluded.secret_hash,
                        locale = excluded.locale
                    """,
                arguments: [user.staff, user.role.rawValue, user.secretHash, user.locale, now])
            // A new secret or role ends the sessions and tokens made under the old one.
            try db.execute(sql: "DELETE FROM app_sessions WHERE staff = ?", arguments: [user.staff])
        }
    }

    /// Sets the language a person reads the app in, keeping their sessions.
    public func setAppUserLocale(_ staff: String, _ locale: String?) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE app_users SET locale = ? WHERE staff = ?", arguments: [locale, staff])
        }
    }

    public func appUser(_ staff: String) throws(StoreError) -> AppUser? {
        try read { db in try Self.appUser(db, staff) }
    }

    public func appUsers() throws(StoreError) -> [AppUser] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM app_users ORDER BY staff").compactMap(Self.appUser(row:))
        }
    }

    static func appUser(_ db: Database, _ staff: String) throws -> AppUser? {
        try Row.fetchOne(db, sql: "SELECT * FROM app_users WHERE staff = ?", arguments: [staff]).flatMap(appUser(row:))
    }

    static func appUser(row: Row) -> AppUser? {
        guard let role = SiteRole(rawValue: row["role"]) else { return nil }
        return AppUser(staff: row["staff"], role: role, secretHash: row["secret_hash"], locale: row["locale"])
    }

    /// Starts a session that ends after `idle` seconds without a request, and at `expires` at the latest.
    public func startAppSession(
        staff: String, tokenHash: String, csrf: String, idle: Int, expires: Date, now: Date
    ) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM app_sessions WHERE expires_at < ?", arguments: [now])
            try db.execute(
                sql: """
                    INSERT INTO app_sessions (token_hash, staff, csrf, idle_seconds, last_seen_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [tokenHash, staff, csrf, idle, now, expires])
        }
    }

    /// The live session with `tokenHash`, touched as seen at `now`; nil when unknown, idle too long or expired.
    public func appSession(tokenHash: String, now: Date) throws(StoreError) -> AppSession? {
        try write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM app_sessions WHERE token_hash = ?", arguments: [tokenHash])
            else { return nil }
            let lastSeen: Date = row["last_seen_at"]
            let idle: Int = row["idle_seconds"]
            let expires: Date = row["expires_at"]
            guard now < expires, now.timeIntervalSince(lastSeen) <= Double(idle),
                let user = try Self.appUser(db, row["staff"])
            else {
                try db.execute(sql: "DELETE FROM app_sessions WHERE token_hash = ?", arguments: [tokenHash])
                return nil
            }
            try db.execute(
                sql: "UPDATE app_sessions SET last_seen_at = ? WHERE token_hash = ?", arguments: [now, tokenHash])
            return AppSession(user: user, csrf: row["csrf"], tokenHash: tokenHash)
        }
    }

    public func endAppSession(tokenHash: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM app_sessions WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    /// Keeps an API token's hash for `staff`; `checks` limits a device token to those checks.
    public func addAppToken(
        staff: String, name: String, tokenHash: String, checks: [RuleID]?, at now: Date
    ) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO app_tokens (token_hash, staff, name, checks, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [tokenHash, staff, name, checks.map { $0.map(\.rawValue).joined(separator: ",") }, now])
        }
    }

    /// The user an API token belongs to, with the checks it is limited to (nil: any).
    public func appToken(tokenHash: String) throws(StoreError) -> (user: AppUser, checks: Set<String>?)? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT staff, checks FROM app_tokens WHERE token_hash = ?", arguments: [tokenHash]),
                let user = try Self.appUser(db, row["staff"])
            else { return nil }
            let checks = (row["checks"] as String?).map { Set($0.split(separator: ",").map(String.init)) }
            return (user, checks)
        }
    }

    /// Claims a form's one-time id; false when that form was already submitted (a double tap, a resent POST).
    public func claimSubmission(_ formID: String, staff: String, at now: Date) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO app_submissions (form_id, staff, at) VALUES (?, ?, ?)",
                arguments: [formID, staff, now])
            return db.changesCount == 1
        }
    }

    /// Gives a claimed form id back, when what it submitted was refused, so the corrected form can be sent.
    public func releaseSubmission(_ formID: String) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM app_submissions WHERE form_id = ?", arguments: [formID]) }
    }
}
