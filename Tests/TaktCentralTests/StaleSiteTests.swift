import Foundation
import Testing
import Yams

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktSync

/// How long silence takes to make a site stale is central's to set, and a stale site keeps its worst problem.
extension DashboardTests {
    @Test func staleAfterSecondsIsReadCheckedAndUsedByTheOverview() async throws {
        let decoded = try YAMLDecoder().decode(
            CentralConfiguration.self, from: "stale_after_seconds: 120\nregions: []\n")
        #expect(decoded.staleAfter == 120 && decoded.staleAfterProblem == nil)
        #expect(CentralConfiguration(regions: []).staleAfter == 900)
        let tooShort = try YAMLDecoder().decode(
            CentralConfiguration.self, from: "stale_after_seconds: 5\nregions: []\n")
        #expect(tooShort.staleAfterProblem?.contains("under 60") == true)

        var quick = configuration
        quick.staleAfterSeconds = 60
        // Five minutes after Leeds' last batch: stale with 60 s, and its critical breach still shows.
        let later = Date().addingTimeInterval(300)
        let server = CentralServer(store: store, configuration: quick, keys: KeyRing([]), clock: { later })
        try await server.serveOnLoopback { url in
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/").body
            #expect(page.contains("class=\"tile red\" id=\"site-leeds\""))
            #expect(page.contains("stale for 5 min — and 1 critical breach(es) open"), "\(page)")
        }
        let patient = CentralServer(store: store, configuration: configuration, keys: KeyRing([]), clock: { later })
        try await patient.serveOnLoopback { url in
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            #expect(!(try await browser.request("GET", "/").body.contains("stale for")))
        }
    }
}
