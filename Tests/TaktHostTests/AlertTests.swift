import Foundation
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// Alerts leave the site by e-mail (a local SMTP sink) and signed webhook (a local receiver): once per finding and
/// recipient however often the sweep runs, retried with backoff while a receiver refuses, escalated when nobody
/// acknowledges a critical finding in 15 minutes.
@Suite(.serialized) struct AlertTests {
    let now = Instant.parse("2026-11-25T10:00:00Z", in: TimeZone(identifier: "UTC")!)!

    func site(smtp: Int, webhook: Int, extra: String = "") -> String {
        SiteLoaderTests.header + """
            work_centres:
              - id: chiller
            staff:
              - {id: amara, name: Amara}
            alerts:
              smtp: {url: "smtp://127.0.0.1:\(smtp)", from: takt@leeds.example}
              webhook_secret_env: TAKT_TEST_HOOK_KEY
              routes:
                - {severity: major, email: [qa@leeds.example], webhook: ["http://127.0.0.1:\(webhook)/hook"]}
              escalation: {after: 15m, email: [manager@leeds.example]}
            \(extra)
            """
    }

    func host(_ text: String) throws -> SiteHost {
        let definition = try SiteLoader(registry: testRegistry).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).sqlite")
        let now = self.now
        return SiteHost(
            definition: definition, store: try SiteStore(path: path.path, siteID: definition.site.id),
            clock: { now.addingTimeInterval(3600) })
    }

    /// A local SMTP sink and webhook receiver, and a site that alerts them.
    func started() async throws -> (SMTPSink, WebhookReceiver, SiteHost) {
        let sink = SMTPSink()
        let receiver = WebhookReceiver()
        try await sink.start()
        try await receiver.start()
        return (sink, receiver, try host(site(smtp: sink.port, webhook: receiver.port)))
    }

    let channels = NetworkAlertChannels { $0 == "TAKT_TEST_HOOK_KEY" ? "s3cret" : nil }

    func critical(_ host: SiteHost, at time: Date) throws -> Finding {
        try #require(
            try host.store.raise([
                Finding(
                    rule: "site.core", severity: .critical, subject: .init(.workCentre, "chiller"),
                    message: "Chiller at 12 °C — stock at risk\r\nBcc: evil@example.com", raisedAt: time,
                    key: "test:\(time.timeIntervalSince1970)")
            ]).first)
    }

    @Test func aCriticalFindingIsMailedAndPostedOnceAndEscalatesUnacknowledged() async throws {
        let (sink, receiver, host) = try await started()
        defer {
            Task {
                await sink.stop(); await receiver.stop()
            }
        }
        let finding = try critical(host, at: now)

        _ = try host.sweep(at: now.addingTimeInterval(60))
        _ = try host.sweep(at: now.addingTimeInterval(120))  // queued once, however often the sweep runs
        var outcome = try await host.deliverAlerts(at: now.addingTimeInterval(120), through: channels)
        #expect(outcome.sent == 2 && outcome.failed == 0)
        outcome = try await host.deliverAlerts(at: now.addingTimeInterval(180), through: channels)
        #expect(outcome.sent == 0)

        let mail = try #require(sink.received.first)
        #expect(sink.received.count == 1 && mail.to == ["RCPT TO:<qa@leeds.example>"])
        #expect(mail.data.contains("Subject: =?UTF-8?B?"))
        #expect(mail.data.contains("Message-ID: <takt-alert-test-site-1@leeds.example>"))
        // The finding's line break stays in the body; it never becomes a header.
        let headers = mail.data.components(separatedBy: "\n").prefix { !$0.isEmpty }
        #expect(!headers.contains { $0.hasPrefix("Bcc:") } && mail.data.contains("Chiller at 12 °C"))
        let hook = try #require(receiver.received.first)
        let timestamp = try #require(hook.headers["x-takt-signature"]?.split(separator: ",").first?.dropFirst(2))
        #expect(
            hook.headers["x-takt-signature"]
                == "t=\(timestamp),sha256=\(NetworkAlertChannels.signature(hook.body, timestamp: String(timestamp), key: "s3cret"))"
        )
        #expect(hook.headers["x-takt-delivery"] == "test-site-2")
        let posted = try JSONDecoder.iso.decode(AlertMessage.self, from: hook.body)
        #expect(posted.finding.id == finding.id && posted.level == 0)

        // 15 minutes unacknowledged: the manager is told, once.
        _ = try host.sweep(at: now.addingTimeInterval(14 * 60))
        #expect(try host.alerts().count == 2)
        _ = try host.sweep(at: now.addingTimeInterval(16 * 60))
        _ = try host.sweep(at: now.addingTimeInterval(17 * 60))
        _ = try await host.deliverAlerts(at: now.addingTimeInterval(17 * 60), through: channels)
        #expect(sink.received.count == 2)
        #expect(sink.received.last?.to == ["RCPT TO:<manager@leeds.example>"])
        #expect(sink.received.last?.data.contains("ESCALATED") == true)

        // An acknowledged one does not escalate.
        let second = try critical(host, at: now.addingTimeInterval(20 * 60))
        try host.acknowledge(finding: second.id!, by: "amara", at: now.addingTimeInterval(21 * 60))
        #expect(throws: HostError.self) { try host.acknowledge(finding: second.id!, by: "amara", at: now) }
        _ = try host.sweep(at: now.addingTimeInterval(40 * 60))
        #expect(try host.alerts().filter { $0.finding == second.id && $0.level == 1 }.isEmpty)
    }

    @Test func aRefusedAlertIsRetriedWithBackoffUntilItIsDelivered() async throws {
        let (sink, receiver, host) = try await started()
        defer {
            Task {
                await sink.stop(); await receiver.stop()
            }
        }
        _ = try critical(host, at: now)
        sink.refusing.withLockedValue { $0 = true }
        receiver.status.withLockedValue { $0 = .serviceUnavailable }
        _ = try host.sweep(at: now.addingTimeInterval(60))
        var outcome = try await host.deliverAlerts(at: now.addingTimeInterval(60), through: channels)
        #expect(outcome.failed == 2)
        let queued = try host.alerts()
        #expect(queued.allSatisfy { $0.status == .queued && $0.attempts == 1 && $0.lastError != nil })
        #expect(queued.allSatisfy { $0.nextAttemptAt == now.addingTimeInterval(90) })
        // Not due yet: nothing is tried.
        outcome = try await host.deliverAlerts(at: now.addingTimeInterval(80), through: channels)
        #expect(outcome.sent == 0 && outcome.failed == 0)
        sink.refusing.withLockedValue { $0 = false }
        receiver.status.withLockedValue { $0 = .ok }
        outcome = try await host.deliverAlerts(at: now.addingTimeInterval(90), through: channels)
        #expect(outcome.sent == 2)
        #expect(sink.received.count == 1 && receiver.received.count == 1)
        #expect(try host.alerts().allSatisfy { $0.status == .sent && $0.attempts == 2 })
    }

    @Test func alertSettingsThatCannotWorkAreRefusedWhenTheSiteLoads() throws {
        for (from, to) in [
            ("qa@leeds.example", "not-an-address"), ("smtp://127.0.0.1", "ftp://127.0.0.1"),
            ("  webhook_secret_env: TAKT_TEST_HOOK_KEY\n", ""), ("after: 15m", "after: 0m"),
            ("\"http://127.0.0.1", "\"file://127.0.0.1"),
        ] {
            let text = site(smtp: 25, webhook: 80).replacingOccurrences(of: from, with: to)
            #expect(throws: HostError.self, "\(from) → \(to)") { try host(text) }
        }
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
