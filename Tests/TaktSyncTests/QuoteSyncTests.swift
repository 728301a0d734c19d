import Foundation
import Testing

@testable import BuiltinModules
@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktHost
@testable import TaktStore
@testable import TaktSync

/// A region-wide quote through the real sync: central asks the sites that make the product, the site answers
/// with its capable-to-promise on its next sync, and central ranks the answers; a site not heard from is offline.
@Suite struct QuoteSyncTests {
    @Test func aRegionWideQuoteIsAnsweredOnTheNextSyncAndAnOfflineSiteSaysSo() async throws {
        let fixture = try SyncFixture()
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: """
                site: {id: leeds, name: Leeds, region: uk, time_zone: Europe/London, currency: GBP}
                calendars:
                  - id: days
                    shifts: [{name: day, days: [mon, tue, wed, thu, fri, sat, sun], start: "06:00", end: "22:00"}]
                work_centres: [{id: oven, name: Oven, calendar: days}]
                products:
                  - {id: loaf, routing: [{id: bake, work_centres: [oven], units_per_hour: 100}]}
                costs:
                  work_centres: [{id: oven, machine: 40, labour: 20}]
                """, file: "site.yaml")
        let host = SiteHost(definition: definition, store: fixture.site)
        _ = try host.sweep(at: Date())
        let configuration = CentralConfiguration(regions: [
            .init(
                id: "uk", name: "UK", currency: "EUR",
                sites: [
                    .init(id: "leeds", name: "Leeds", siteFile: nil, keys: []),
                    .init(id: "penang", name: "Penang", siteFile: nil, keys: []),
                ])
        ])
        try await fixture.central.saveExchangeRates([
            .init(currency: "GBP", into: "EUR", day: LocalDate(year: 2026, month: 1, day: 1), rate: 1.15)
        ])
        // Penang once made loaves too, but has not been heard from since.
        _ = try await fixture.central.ingest(
            site: "penang", epoch: "e", first: 1, last: 1,
            records: [
                .init(
                    seq: 1, kind: "names", recordClass: "state", key: "current",
                    payload: #"{"workCentres":{},"products":{"loaf":"Loaf"},"checks":{},"modules":[]}"#,
                    createdAt: Date().addingTimeInterval(-7200))
            ], configVersion: 0, sentAt: Date().addingTimeInterval(-7200), now: Date().addingTimeInterval(-7200))
        let server = CentralServer(store: fixture.central, configuration: configuration, keys: fixture.keys())
        try await SyncFixture.serve(server) { url in
            let agent = SyncAgent(
                outbox: SiteOutbox(store: fixture.site), client: fixture.client(url),
                policy: SyncPolicy(
                    batchSize: 50, baseDelay: 0.01, maximumDelay: 0.05, idleDelay: 0.01, configInterval: 0),
                answer: { requests in host.answer(requests, at: Date()) }, apply: { _ in nil })
            #expect(await agent.drain(until: Date().addingTimeInterval(20)))
            let access = Access(
                user: .init(name: "ada", passwordHash: "", role: "administrator", scope: []),
                configuration: configuration)
            // Bad questions are refused by name.
            for (product, quantity, problem) in [
                ("cake", "5", "product"), ("loaf", "0", "quantity"), ("loaf", "x", "quantity"),
            ] {
                guard
                    case .failure(let refusal) = try await server.ask(
                        access, region: "uk", product: product, quantity: quantity, by: nil)
                else { Issue.record("\(product) × \(quantity) was accepted"); continue }
                #expect(refusal.message.hasPrefix(problem), "\(refusal.message)")
            }
            guard
                case .success(let asked) = try await server.ask(
                    access, region: "uk", product: "loaf", quantity: "300", by: nil)
            else { Issue.record("the quote was refused"); return }
            #expect(Set(asked.sites) == ["leeds", "penang"])
            let before = try #require(try await server.rankedQuote(asked.id, access))
            #expect(before.sites.map(\.state) == [.waiting, .offline])
            // The site's next sync answers it; the answer travels up with the outbox.
            _ = await agent.step()
            #expect(await agent.drain(until: Date().addingTimeInterval(20)))
            let after = try #require(try await server.rankedQuote(asked.id, access))
            #expect(after.sites.map(\.site) == ["leeds", "penang"] && after.sites[0].state == .answered)
            let quote = try #require(after.sites[0].quote)
            #expect(quote.product == "loaf" && quote.quantity == 300 && quote.standardCost == 180)
            #expect(after.sites[0].costRegion == 207)
            #expect(after.sites[1].state == .offline)
            // Answered once: the request is no longer listed for the site.
            #expect(try await fixture.client(url).quoteRequests().isEmpty)
        }
    }
}
