import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktStore
@testable import TaktSync
@testable import TaktWeb

/// A region's costs in its currency at the rate of each cost's day.
@Suite struct RegionCostsTests {
    static func status(_ currency: String, days: [(Int, Double)], budget: Double, variance: Double) -> CostStatus {
        var parts = OrderCost.Variance()
        parts.efficiency = variance
        let month = CostMonth(year: 2026, month: 11)
        return CostStatus(
            month: month, currency: currency,
            budget: BudgetStatus(
                month: month, currency: currency, through: Date(),
                lines: [
                    .init(
                        category: "labour", budget: budget, actual: days.map(\.1).reduce(0, +),
                        forecast: days.map(\.1).reduce(0, +) * 1.5)
                ]),
            orders: 1, standard: 0, actual: 0, variance: parts,
            days: days.map { .init(day: LocalDate(year: 2026, month: 11, day: $0.0), amount: $0.1) }, at: Date())
    }

    /// Golden: GBP region; Leeds in GBP, Penang in MYR (0.17 from 1 November, 0.16 from 15 November), Monterrey in
    /// MXN (0.040 from 1 November; its 31 October-dated rate is MXN into USD, which does not count).
    @Test func aRegionRollsUpGBPMYRAndMXNAtDatedRates() {
        let rates = ExchangeRates([
            .init(currency: "MYR", into: "GBP", day: .init(year: 2026, month: 11, day: 1), rate: 0.17),
            .init(currency: "MYR", into: "GBP", day: .init(year: 2026, month: 11, day: 15), rate: 0.16),
            .init(currency: "MXN", into: "GBP", day: .init(year: 2026, month: 11, day: 1), rate: 0.040),
            .init(currency: "MXN", into: "USD", day: .init(year: 2026, month: 10, day: 31), rate: 0.058),
        ])
        let costs = RegionCosts.build(
            region: "r", name: "Region", currency: "GBP", month: CostMonth(year: 2026, month: 11),
            rateDay: .init(year: 2026, month: 11, day: 30),
            sites: [
                ("leeds", "Leeds", Self.status("GBP", days: [(2, 1000), (20, 500)], budget: 2000, variance: 50)),
                (
                    "penang", "Penang",
                    Self.status("MYR", days: [(10, 10_000), (16, 5_000)], budget: 20_000, variance: 100)
                ),
                ("monterrey", "Monterrey", Self.status("MXN", days: [(3, 50_000)], budget: 60_000, variance: -1000)),
            ], rates: rates)
        let (leeds, penang, monterrey) = (costs.sites[0], costs.sites[1], costs.sites[2])
        #expect(leeds.actualRegion == 1500 && leeds.budgetRegion == 2000)
        // 10,000 × 0.17 + 5,000 × 0.16; budget at the month's rate (0.16).
        #expect(penang.actualRegion == 2500 && penang.budgetRegion == 3200)
        #expect(monterrey.actualRegion == 2000 && monterrey.budgetRegion == 2400)
        #expect(abs((monterrey.varianceRegion?.total ?? 0) + 40) < 1e-9)
        #expect(costs.actual == 6000 && costs.budget == 7600 && costs.complete)
        #expect(abs(costs.variance.total - (50 + 16 - 40)) < 1e-9)

        // A day before Penang's first rate is named, never converted 1:1, and leaves Penang out of the total.
        let early = RegionCosts.build(
            region: "r", name: "Region", currency: "GBP", month: CostMonth(year: 2026, month: 11),
            rateDay: .init(year: 2026, month: 11, day: 30),
            sites: [("penang", "Penang", Self.status("MYR", days: [(1, 100)], budget: 0, variance: 0))],
            rates: ExchangeRates([
                .init(currency: "MYR", into: "GBP", day: .init(year: 2026, month: 11, day: 2), rate: 0.17)
            ]))
        #expect(early.sites[0].actualRegion == nil && !early.complete)
        #expect(early.sites[0].problems == ["no exchange rate from MYR into GBP on or before 2026-11-01"])
        #expect(throws: CoreError.self) {
            try ExchangeRates([]).convert(1, from: "MYR", into: "GBP", on: .init(year: 2026, month: 11, day: 1))
        }
    }

    @Test func badRatesAreRefusedNamingTheLine() {
        #expect(throws: CoreError.self) { try ExchangeRate.parseCSV("currency,into,day,rate\n,GBP,2026-11-01,0.2\n") }
        do {
            _ = try ExchangeRate.parseCSV("MYR,GBP,2026-11-01,0.17\nMYR,GBP,2026-13-01,0.17\nMXN,GBP,2026-11-01,-1\n")
            Issue.record("bad rates were accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("line 2: '2026-13-01' is not a date") && text.contains("line 3: the rate must be"))
        }
        #expect(
            ExchangeRate(currency: "MYR", into: "MYR", day: .init(year: 2026, month: 1, day: 1), rate: 1).problem != nil
        )
        #expect(
            ExchangeRates([.init(currency: "GBP", into: "MYR", day: .init(year: 2026, month: 1, day: 1), rate: 5)])
                .rate("MYR", into: "GBP", on: .init(year: 2026, month: 2, day: 1)) == 0.2)
        for bad in [
            "MYR,GBP,2026-11-01,NaN", "MYR,GBP,2026-11-01,1e12", "MYR,GBP,2026-11-01,abc", "myr,GBP,2026-11-01,1",
            "MYR,GBP,99999-11-01,1", "MYR,GBP,2026-11-01",
        ] {
            #expect(throws: CoreError.self, "\(bad)") { try ExchangeRate.parseCSV(bad) }
        }
    }
}

extension DashboardTests {
    func sendCostStatus(_ status: CostStatus, at now: Date) async throws -> String {
        try await sendState("cost_status", status, key: status.month.description, at: now)
    }

    @Test func costsShowTheRegionInItsCurrencyAndTheReportPrints() async throws {
        let now = Date()
        let token = try await sendCostStatus(
            RegionCostsTests.status("GBP", days: [(2, 1000)], budget: 900, variance: 25), at: now)
        try await withServer { url in
            let client = Browser(base: url)
            let auth = ["Authorization": "Bearer \(token)"]
            let reply = try await client.request("GET", "/v1/costs?month=2026-11", headers: auth)
            #expect(reply.status == 200, "\(reply.body)")
            let regions = try WireJSON.decoder().decode([RegionCosts].self, from: Data(reply.body.utf8))
            #expect(regions.map(\.region) == ["uk-north"] && regions[0].actual == 1000)
            #expect(try await client.request("GET", "/v1/costs?month=2026-13", headers: auth).status == 400)
            // A regional manager stores rates; a bad line stores nothing and names the line.
            let bad = try await client.request(
                "POST", "/v1/exchange-rates", headers: auth, body: "MYR,GBP,2026-11-01,0.17\nMYR,,2026-11-01,1\n")
            #expect(bad.status == 422 && bad.body.contains("line 2"), "\(bad.body)")
            #expect(try await store.exchangeRates().isEmpty)
            let good = try await client.request(
                "POST", "/v1/exchange-rates", headers: auth, body: "currency,into,day,rate\nMYR,GBP,2026-11-01,0.17\n")
            #expect(good.status == 200 && good.body.contains("\"stored\":1"), "\(good.body)")
            let hostile = try await client.request(
                "POST", "/v1/exchange-rates", headers: auth, body: String(repeating: "<script>,,,\n", count: 30_000))
            #expect(hostile.status == 413 || hostile.status == 422)

            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/costs?month=2026-11")
            #expect(page.status == 200 && page.body.contains("UK North (GBP)"))
            #expect(page.body.contains("1000.00 GBP") && page.body.contains("badge major"))
            #expect(page.body.contains("no cost status for 2026-11 from this site yet"))
            let form = try await browser.request(
                "POST", "/costs/rates",
                form: ["csrf": [browser.csrf(in: page.body)], "rates": ["MXN,GBP,2026-11-01,0.04"]])
            #expect(form.status == 303)
            #expect(try await store.exchangeRates().count == 2)
            let report = try await browser.request("GET", "/reports/uk-north/2026-11")
            #expect(report.status == 200 && report.body.contains("UK North: regional report 2026-11"))
            #expect(report.body.contains("1000.00 GBP"))
            let csv = try await browser.request("GET", "/reports/uk-north/2026-11?format=csv")
            #expect(csv.headers["content-type"]?.contains("text/csv") == true)
            #expect(csv.body.contains("Actual,1000.00 GBP,1000.0"))
            #expect(try await browser.request("GET", "/reports/uk-north/nonsense").status == 400)
            #expect(try await browser.request("GET", "/reports/atlantis/2026-11").status == 404)
        }
    }
}

extension DashboardTests {
    /// Asking a region-wide quote: refused by name for bad input (never a crash), and the page lists what was asked.
    @Test func regionWideQuotesRefuseBadQuestionsAndListTheAsked() async throws {
        let now = Date()
        let names = SiteNames(workCentres: [:], products: ["white-loaf": "White loaf"], checks: [:], modules: [])
        // Names travel under the key `current`.
        let token = try await sendState("names", names, key: "current", at: now)
        try await withServer { url in
            let client = Browser(base: url)
            let auth = ["Authorization": "Bearer \(token)"]
            let bad: [(String, Int)] = [
                ("not json", 400), (#"{"region":"uk-north","product":"<b>","quantity":5}"#, 422),
                (#"{"region":"apac","product":"white-loaf","quantity":5}"#, 422),
                (#"{"region":"uk-north","product":"white-loaf","quantity":-5}"#, 422),
                (#"{"region":"uk-north","product":"white-loaf","quantity":1e300}"#, 422),
                (#"{"region":"uk-north","product":"white-loaf","quantity":5,"by":"2001-01-01T00:00"}"#, 422),
            ]
            for (body, status) in bad {
                let reply = try await client.request("POST", "/v1/quotes", headers: auth, body: body)
                #expect(reply.status == status, "\(body): \(reply.body)")
            }
            let asked = try await client.request(
                "POST", "/v1/quotes", headers: auth, body: #"{"region":"uk-north","product":"white-loaf","quantity":5}"#
            )
            #expect(asked.status == 201, "\(asked.body)")
            let record = try WireJSON.decoder().decode(QuoteRequestRecord.self, from: Data(asked.body.utf8))
            #expect(record.sites == ["leeds"])
            let ranked = try await client.request("GET", "/v1/quotes/\(record.id)", headers: auth)
            #expect(ranked.status == 200 && ranked.body.contains("\"state\":\"waiting\""), "\(ranked.body)")
            #expect(try await client.request("GET", "/v1/quotes/nope", headers: auth).status == 404)
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/quotes")
            #expect(page.status == 200 && page.body.contains("/quotes/\(record.id)"))
            let detail = try await browser.request("GET", "/quotes/\(record.id)")
            #expect(detail.body.contains("white-loaf × 5") && detail.body.contains("answers on its next sync"))
            let refused = try await browser.request(
                "POST", "/quotes",
                form: [
                    "csrf": [browser.csrf(in: page.body)], "region": ["uk-north"], "product": ["<script>"],
                    "quantity": ["2"],
                ])
            #expect(
                refused.status == 422 && refused.body.contains("&lt;script&gt;") && !refused.body.contains("<script>"))
        }
    }
}

extension DashboardTests {
    /// `reports_folder`: each region's report for last month is written once, after the month has ended.
    @Test func regionalReportsAreWrittenOnceAMonthHasEnded() async throws {
        _ = try await sendCostStatus(
            RegionCostsTests.status("GBP", days: [(2, 1000)], budget: 900, variance: 25), at: Date())
        let december = Date(timeIntervalSince1970: 1_796_515_200)  // 2026-12-06
        let server = CentralServer(
            store: store, configuration: configuration, keys: KeyRing([]), clock: { december })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        let files = try await server.writeRegionalReportsIfDue(to: folder)
        #expect(
            files.map { URL(fileURLWithPath: $0).lastPathComponent }.sorted() == [
                "apac-2026-11.csv", "apac-2026-11.html", "uk-north-2026-11.csv", "uk-north-2026-11.html",
            ])
        let html = try String(contentsOf: folder.appendingPathComponent("uk-north-2026-11.html"), encoding: .utf8)
        #expect(html.contains("UK North: regional report 2026-11") && html.contains("1000.00 GBP"))
        #expect(try await server.writeRegionalReportsIfDue(to: folder).isEmpty)
    }
}
