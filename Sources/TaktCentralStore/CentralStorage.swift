import Foundation
import TaktCore
import TaktStore
import TaktSync

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
        configVersion: Int, sentAt: Date, now: Date, zone: TimeZone
    ) async throws -> CentralStore.IngestOutcome
    func cursor(site: String, epoch: String) async throws -> Int64
    func remember(key: String, nonce: String, expires: Date, now: Date) async throws -> Bool
    func records(site: String) async throws -> [CentralStore.StoredRecord]
    /// One epoch's records of a site after `after`, oldest first, at most `limit`.
    func records(site: String, epoch: String, after: Int64, limit: Int) async throws -> [Retention.ArchivedRecord]
    func state(site: String, kind: String) async throws -> [String: String]
    func contact(site: String) async throws -> CentralStore.SiteContact?
    /// A signed request from the site that carried no batch (a cursor or configuration check): it is contact,
    /// and a configuration check says which version the site runs (`configRunning`; nil: it did not say).
    func noteContact(site: String, at: Date, configRunning: Int?) async throws
    /// Every site central has heard from, by id.
    func knownSites() async throws -> [String]
    func publish(site: String, document: String, by person: String, at: Date) async throws -> Int
    func config(site: String, since version: Int) async throws -> (version: Int, document: String, at: Date)?
    /// Every configuration version published for a site, newest first, with its document.
    func configHistory(site: String) async throws -> [ConfigVersion]
    /// The payloads of a site's state rows of one kind, filtered on the columns ingest fills (`Rollup.StateColumns`):
    /// `status`, `severity`, and `at` no earlier than `since`; newest `at` first, one page of `limit` from `offset`,
    /// with the number of matching rows.
    func stateRows(
        site: String, kind: String, status: String?, severity: String?, since: Date?, limit: Int, offset: Int
    ) async throws -> (payloads: [String], total: Int)
    /// What each site's tile or page needs, read at once (see `StoredSite`).
    func snapshots(sites: [String], now: Date, incidentsSince: Date, detail: Bool) async throws
        -> [String: StoredSite]
    /// Each site's roll-ups from `from` to `to` summed by the database.
    func totals(sites: [String], from: LocalDate, to: LocalDate) async throws -> [String: PeriodTotal]
    /// A site's daily roll-ups for `from...to` (site-local days), oldest first.
    func daily(site: String, from: LocalDate, to: LocalDate) async throws -> [DailyKPIs]
    /// Recomputes a site's roll-ups from stored records, days from `from` on (all when nil), in one transaction.
    @discardableResult func rebuildRollups(site: String, zone: TimeZone, from: LocalDate?) async throws -> Int
    /// A named value of central's own (`rollups_stale`, `archived_before`).
    func meta(_ name: String) async throws -> String?
    func setMeta(_ name: String, _ value: String?) async throws
    /// Records made before `before` and received by `receivedBy`, in `(site, epoch, seq)` order after `after`.
    func archivable(before: Date, receivedBy: Date, after: Retention.Position?, limit: Int) async throws
        -> [Retention.ArchivedRecord]
    /// Deletes what `archivable` selects (all pages); returns how many.
    func deleteArchived(before: Date, receivedBy: Date) async throws -> Int
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
    /// The lots received with a supplier's lot at any of `sites` (see `LotGraph`).
    func lotSources(supplierLot: String, sites: [String]) async throws -> [LotGraph.Node]
    /// Stores dated exchange rates, replacing any for the same pair and day; all or nothing.
    func saveExchangeRates(_ rates: [ExchangeRate]) async throws
    /// Every dated exchange rate, by pair and day.
    func exchangeRates() async throws -> [ExchangeRate]
    /// Stores a region-wide quote request.
    func addQuoteRequest(_ request: QuoteRequestRecord) async throws
    /// Quote requests asked since `since`, newest first, at most `limit`.
    func quoteRequests(since: Date, limit: Int) async throws -> [QuoteRequestRecord]
    /// Publishes a signed extension module to `sites`.
    func publishExtension(_ release: ExtensionRelease, sites: [String]) async throws
    /// Every release published to `site`, oldest first.
    func extensionReleases(site: String) async throws -> [ExtensionRelease]
    /// The graph nodes of `lots` at `site` and all their movements.
    func lotStep(site: String, lots: [String]) async throws -> LotGraph.Step
}

extension CentralStore: CentralStorage {}

extension CentralStorage {
    /// Ingest for a site whose days are UTC days (tests and tools that do not know the site's zone).
    public func ingest(
        site: String, epoch: String, first: Int64, last: Int64, records: [CentralStore.IncomingRecord],
        configVersion: Int, sentAt: Date, now: Date
    ) async throws -> CentralStore.IngestOutcome {
        try await ingest(
            site: site, epoch: epoch, first: first, last: last, records: records, configVersion: configVersion,
            sentAt: sentAt, now: now, zone: TimeZone(identifier: "UTC")!)
    }
}
