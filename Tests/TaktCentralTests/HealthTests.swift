import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktSync

/// `/health` tells a load balancer whether this process can serve: it fails when the database cannot be read.
@Suite struct HealthTests {
    @Test func healthFailsWhenTheDatabaseIsUnreachable() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("health-\(UUID().uuidString).sqlite")
            .path
        let store = try CentralStore(path: path)
        let server = CentralServer(store: store, configuration: CentralConfiguration(regions: []), keys: KeyRing([]))
        try await server.serveOnLoopback { url in
            let browser = DashboardTests.Browser(base: url)
            let healthy = try await browser.request("GET", "/health")
            #expect(healthy.status == 200)
            try store.pool.close()
            let sick = try await browser.request("GET", "/health")
            #expect(sick.status == 503)
            #expect(sick.body.contains("the database cannot be read"))
        }
    }
}
