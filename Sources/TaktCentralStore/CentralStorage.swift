import Foundation
import TaktStore

/// Central's store, whichever database holds it: SQLite (`CentralStore`, the default) or PostgreSQL
/// (`PostgresCentralStore`, for several central processes on one database). The server and the dashboard
/// use only this.
///
/// ## Implementation requirements
///
/// `ingest` is one transaction: records unique per `(site, epoch, seq)` (a duplicate counts, never fails), the
/// cursor, the latest-state projection and the site's contact move together. `remember` must be atomic
/// across processes (two requests with one nonce: exactly one is told `true`).
public protocol CentralStorage: Sendable {
    func ingest(
        site: String, epoch: String, first: Int64, last: Int64, records: [CentralStore.IncomingRecord],
        configVersion: Int,
        sentAt: Date, now: Date
    ) async throws -> CentralStore.IngestOutcome
    func cursor(site: String, epoch: String) async throws -> Int64
    func remember(key: String, nonce: String, expires: Date, now: Date) async throws -> Bool
    func records(site: String) async throws -> [CentralStore.StoredRecord]
    func state(site: String, kind: String) async throws -> [String: String]
    func contact(site: String) async throws -> CentralStore.SiteContact?
    func publish(site: String, document: String, by person: String, at: Date) async throws -> Int
    func config(site: String, since version: Int) async throws -> (version: Int, document: String, at: Date)?
    func configHistory(site: String) async throws -> [(version: Int, publishedAt: Date, by: String)]
    func facts(site: String, kind: String, since: Date) async throws -> [(payload: String, createdAt: Date)]
    func saveUser(_ user: CentralStore.User) async throws
    func user(_ name: String) async throws -> CentralStore.User?
    func removeUser(_ name: String) async throws -> Bool
    func startSession(user: String, tokenHash: String, csrf: String, expires: Date) async throws
    func session(tokenHash: String, now: Date) async throws -> (user: CentralStore.User, csrf: String)?
    func endSession(tokenHash: String) async throws
    func addToken(user: String, tokenHash: String, at: Date, expires: Date) async throws
    /// The user of a token that has not expired at `now`.
    func tokenUser(tokenHash: String, now: Date) async throws -> CentralStore.User?
    /// Ends every session and API token of a user; returns how many.
    @discardableResult func revokeCredentials(user: String) async throws -> Int
    /// A random secret kept under `name`, the same for every central process on this store.
    func secret(name: String) async throws -> Data
}

extension CentralStore: CentralStorage {}
