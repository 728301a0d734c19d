import Foundation
import TaktHost
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktStore
@testable import TaktSync

/// Two central servers, each with its own connection pool, on one PostgreSQL database: a site syncs through
/// either and nothing is lost, doubled or replayed. Runs when `TAKT_POSTGRES_URL` is set (`.ci/run` sets it).
@Suite struct PostgresCentralTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TAKT_POSTGRES_URL"] != nil))
    func twoCentralProcessesShareOneDatabase() async throws {
        let url = ProcessInfo.processInfo.environment["TAKT_POSTGRES_URL"]!
        let fixture = try SyncFixture()
        try fixture.writeFacts(30)
        // A unique site id per run keeps runs apart in the shared database.
        let site = "pg-\(UUID().uuidString.prefix(8).lowercased())"
        let keys = KeyRing([.init(site: site, key: fixture.key)])
        let outbox = RenamedOutbox(inner: SiteOutbox(store: fixture.site), siteID: site)
        try await PostgresCentralStore.with(url: url) { first in
            try await PostgresCentralStore.with(url: url) { second in
                let configuration = CentralConfiguration(regions: [])
                let one = CentralServer(store: first, configuration: configuration, keys: keys)
                let two = CentralServer(store: second, configuration: configuration, keys: keys)
                try await one.serveOnLoopback { urlOne in
                    try await two.serveOnLoopback { urlTwo in
                        let policy = SyncPolicy(
                            batchSize: 7, baseDelay: 0.01, maximumDelay: 0.05, idleDelay: 0.01, configInterval: 3600)
                        let viaOne = SyncAgent(
                            outbox: outbox,
                            client: CentralClient(
                                site: site, key: fixture.key, transport: URLSessionTransport(base: urlOne)),
                            policy: policy, apply: { _ in nil })
                        _ = await viaOne.step()
                        _ = await viaOne.step()
                        let viaTwo = SyncAgent(
                            outbox: outbox,
                            client: CentralClient(
                                site: site, key: fixture.key, transport: URLSessionTransport(base: urlTwo)),
                            policy: policy, apply: { _ in nil })
                        let drained = await viaTwo.drain(until: Date().addingTimeInterval(20))
                        #expect(drained)
                    }
                }
                let stored = try await second.records(site: site)
                #expect(stored.map(\.seq) == Array(1...30))
                // A nonce seen by one process is a replay for the other.
                let now = Date()
                let once = try await first.remember(
                    key: site, nonce: "n", expires: now.addingTimeInterval(60), now: now)
                let again = try await second.remember(
                    key: site, nonce: "n", expires: now.addingTimeInterval(60), now: now)
                #expect(once && !again)
            }
        }
    }

    /// A cursor or configuration check is contact on PostgreSQL too, and keeps what a batch recorded.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TAKT_POSTGRES_URL"] != nil))
    func aCheckIsContactOnPostgreSQL() async throws {
        let url = ProcessInfo.processInfo.environment["TAKT_POSTGRES_URL"]!
        let site = "pg-\(UUID().uuidString.prefix(8).lowercased())"
        try await PostgresCentralStore.with(url: url) { store in
            let at = Date(timeIntervalSince1970: 1_795_000_000)
            try await store.noteContact(site: site, at: at, configRunning: nil)
            #expect(try await store.contact(site: site)?.lastHeardAt == at)
            #expect(try await store.contact(site: site)?.configRunning == 0)
            try await store.noteContact(site: site, at: at.addingTimeInterval(30), configRunning: 3)
            try await store.noteContact(site: site, at: at.addingTimeInterval(60), configRunning: nil)
            let contact = try #require(try await store.contact(site: site))
            #expect(contact.configRunning == 3)
            #expect(contact.lastHeardAt == at.addingTimeInterval(60))
        }
    }
}

/// Exchange rates and quote requests on PostgreSQL: stored, replaced for the same pair and day, read back.
@Suite struct PostgresCostsTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TAKT_POSTGRES_URL"] != nil))
    func ratesAndQuoteRequestsOnPostgreSQL() async throws {
        let url = ProcessInfo.processInfo.environment["TAKT_POSTGRES_URL"]!
        let code = String(UUID().uuidString.filter(\.isLetter).uppercased().prefix(3)).padding(
            toLength: 3, withPad: "Q", startingAt: 0)
        try await PostgresCentralStore.with(url: url) { store in
            let day = LocalDate(year: 2026, month: 11, day: 1)
            try await store.saveExchangeRates([
                .init(currency: code, into: "GBP", day: day, rate: 0.17),
                .init(currency: code, into: "GBP", day: day, rate: 0.18),
            ])
            try await store.saveExchangeRates([
                .init(currency: code, into: "GBP", day: day.adding(days: 14), rate: 0.16)
            ])
            let mine = try await store.exchangeRates().filter { $0.currency == code }
            #expect(mine.map(\.rate) == [0.18, 0.16])
            let id = "pg-\(UUID().uuidString.prefix(8))"
            let at = Date(timeIntervalSince1970: 1_795_000_000)
            try await store.addQuoteRequest(
                .init(
                    id: id, region: "uk", product: "loaf", quantity: 300, by: nil, askedBy: "ada", askedAt: at,
                    sites: ["leeds", "york"]))
            let found = try await store.quoteRequests(since: at.addingTimeInterval(-1), limit: 1000).first {
                $0.id == id
            }
            #expect(found?.sites == ["leeds", "york"] && found?.quantity == 300 && found?.askedAt == at)
            let site = "pg-\(UUID().uuidString.prefix(8).lowercased())"
            try await store.publishExtension(
                .init(
                    id: "x.y", version: "1.0.0", module: "AA==", signature: "sig", publishedBy: "ada", publishedAt: at),
                sites: [site, site + "-b"])
            let releases = try await store.extensionReleases(site: site)
            #expect(releases.map(\.version) == ["1.0.0"] && releases.first?.publishedAt == at)
        }
    }
}

/// The fixture's outbox under another site id.
struct RenamedOutbox: ForwardingOutbox {
    let inner: SiteOutbox
    let siteID: String
}
