import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktSiteApp

/// The Alerts page shows what was sent to whom and what waits for a retry, and acknowledges a finding so it does
/// not escalate.
extension SiteAppTests {
    @Test func theAlertsPageShowsTheQueueAndAcknowledgesAFinding() async throws {
        let finding = try #require(
            try host.store.raise([
                Finding(
                    rule: "site.core", severity: .critical, subject: .init(.site, "x"), message: "Chiller warm",
                    raisedAt: Date(), key: "alert-page")
            ]).first)
        try host.store.queueAlerts([(finding.id!, 0, .init(.email, "qa@leeds.example"))], at: Date())
        try host.store.recordAttempt(alert: 1, error: "SMTP: connection refused", at: Date())
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let page = String(buffer: try await amara.get("/alerts").body)
            #expect(page.contains("qa@leeds.example") && page.contains("SMTP: connection refused"))
            #expect(page.contains("waiting to be sent"))
            let acknowledged = String(
                buffer: try await amara.submit(page, "/alerts/ack", "finding=\(finding.id!)").body)
            #expect(acknowledged.contains("Finding #\(finding.id!) acknowledged"), "\(acknowledged)")
            #expect(try host.store.acknowledgedFindings() == [finding.id!])
        }
    }
}
