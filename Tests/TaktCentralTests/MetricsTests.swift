import Foundation
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktStore
@testable import TaktSync

/// `/metrics` counts what central did, in Prometheus's text format.
@Suite struct MetricsTests {
    @Test func requestsIngestRefusalsAndLagAreCounted() async throws {
        let fixture = try await DashboardTests()
        try await fixture.withServer { url in
            let client = CentralClient(site: "leeds", key: fixture.key, transport: URLSessionTransport(base: url))
            let record = WireRecord(
                seq: 1, kind: "check_reading", class: "fact", key: "1", payload: "{}",
                createdAt: Date().addingTimeInterval(-30))
            _ = try await client.send(
                Batch(site: "leeds", epoch: "m", first: 1, last: 1, records: [record], configVersion: 0, sentAt: Date())
            )
            _ = try await client.send(
                Batch(site: "leeds", epoch: "m", first: 1, last: 1, records: [record], configVersion: 0, sentAt: Date())
            )
            let stranger = CentralClient(
                site: "leeds", key: SiteKey(id: "nobody", secret: Data(repeating: 1, count: 32)),
                transport: URLSessionTransport(base: url))
            await #expect(throws: SyncError.self) { _ = try await stranger.cursor(epoch: "m") }
            let browser = DashboardTests.Browser(base: url)
            let page = try await browser.request("GET", "/metrics")
            #expect(page.status == 200)
            let text = page.body
            #expect(text.contains(#"takt_ingest_records_total{site="leeds",outcome="written"} 1"#))
            #expect(text.contains(#"takt_ingest_records_total{site="leeds",outcome="duplicate"} 1"#))
            #expect(text.contains(#"takt_ingest_batches_total{site="leeds"} 2"#))
            #expect(text.contains(#"takt_rejected_requests_total{reason="unknown_key"} 1"#))
            #expect(text.contains(#"takt_sync_lag_seconds{site="leeds"}"#))
            #expect(
                text.contains(#"route="/v1/sites/{site}/batches""#)
                    || text.contains("route=\"/v1/sites/:site/batches\""))
            #expect(text.contains("takt_batch_duration_seconds_bucket"))
        }
    }
}
