import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktSiteApp
@testable import TaktWeb

/// The Costs page: budget against actual and forecast, setting a budget, and a delivery-date quote; for
/// supervisors and the site manager only, in the person's language, refusing bad input by name.
extension SiteAppTests {
    @Test func theCostsPageSetsABudgetAndQuotesADate() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            #expect(try await amara.get("/costs").status == .forbidden)
            var pat = Browser(client: client)
            _ = try await pat.signIn("pat", "manager-pass-1")
            let page = String(buffer: try await pat.get("/costs").body)
            #expect(page.contains("When could we deliver?") && page.contains("href=\"/costs\""))
            let month = CostMonth(LocalDate(Date(), in: host.definition.timeZone))
            let set = try await pat.submit(page, "/costs/budget", "month=\(month)&category=labour&amount=1200")
            #expect(
                String(buffer: set.body).contains("Budget for labour set to 1,200 GBP."),
                "\(String(buffer: set.body).prefix(800))")
            #expect(
                try host.budgetStatus(of: month, at: Date()).lines.first { $0.category == "labour" }?.budget == 1200)
            let refusals: [(String, String)] = [
                ("month=\(month)&category=labour&amount=-4", "Not done"),
                ("month=\(month)&category=%3Cscript%3E&amount=4", "&lt;script&gt;"),
                ("month=2026-13&category=labour&amount=4", "Fill in Month"),
                ("month=\(month)&category=labour&amount=lots", "Fill in Amount"),
            ]
            for (index, (fields, expected)) in refusals.enumerated() {
                let fresh = page.replacingOccurrences(of: "form_id\" value=\"", with: "form_id\" value=\"b\(index)")
                let body = String(buffer: try await pat.submit(fresh, "/costs/budget", fields).body)
                #expect(body.contains(expected), "\(fields): \(body.prefix(600))")
                #expect(!body.contains("<script>"))
            }
            #expect(
                try host.budgetStatus(of: month, at: Date()).lines.first { $0.category == "labour" }?.budget == 1200)

            let quote = try await pat.submit(page, "/costs/quote", "product=loaf&quantity=200")
            let answer = String(buffer: quote.body)
            #expect(answer.contains("Earliest without making a committed order late:"), "\(answer.prefix(800))")
            #expect(answer.contains("Why then:"))
            let unknown = String(buffer: try await pat.submit(page, "/costs/quote", "product=%3Cb%3E&quantity=2").body)
            #expect(unknown.contains("Not done") && unknown.contains("&lt;b&gt;"))
            let zero = String(buffer: try await pat.submit(page, "/costs/quote", "product=loaf&quantity=0").body)
            #expect(zero.contains("Fill in Quantity"))
            let report = try await pat.get("/costs/report?month=\(month.previous)")
            #expect(String(buffer: report.body).contains("monthly report \(month.previous)"))
        }
    }
}

extension SiteAppTests {
    /// The site API answers quotes and costs for a site manager's token; a device or operator token may not, and
    /// bad parameters are refused by name.
    @Test func theSiteAPIQuotesAndShowsCostsToThoseWhoMay() async throws {
        let manager = Credentials.randomHex(32)
        try host.store.addAppToken(
            staff: "pat", name: "erp", tokenHash: Credentials.tokenHash(manager), checks: nil, at: Date())
        let operator_ = Credentials.randomHex(32)
        try host.store.addAppToken(
            staff: "amara", name: "tablet", tokenHash: Credentials.tokenHash(operator_), checks: nil, at: Date())
        try await Application(router: app.router()).test(.router) { client in
            func get(_ uri: String, _ token: String) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
            }
            let quote = try await get("/api/v1/quote?product=loaf&quantity=100", manager)
            #expect(quote.status == .ok, "\(String(buffer: quote.body))")
            #expect(String(buffer: quote.body).contains("\"earliest\""))
            #expect(try await get("/api/v1/quote?product=loaf&quantity=100", operator_).status == .forbidden)
            #expect(try await get("/api/v1/quote?product=loaf&quantity=-1", manager).status == .badRequest)
            #expect(try await get("/api/v1/quote?product=loaf&quantity=1&by=soon", manager).status == .badRequest)
            #expect(try await get("/api/v1/quote?product=cake&quantity=1", manager).status == .unprocessableContent)
            let costs = try await get("/api/v1/costs?month=2026-11", manager)
            #expect(costs.status == .ok && String(buffer: costs.body).contains("\"currency\":\"GBP\""))
            #expect(try await get("/api/v1/costs?month=11-2026", manager).status == .badRequest)
        }
    }
}
