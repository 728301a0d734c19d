import Foundation
import TaktCore
import TaktStore

/// Alerts: the sweep queues one per finding, level and recipient as the site's `alerts:` routes say, and the
/// escalation once a serious finding has waited unacknowledged; `deliverAlerts` sends what is due (e-mail over SMTP,
/// signed webhooks) and records each attempt, so a failure is retried with backoff and a delivered alert is not
/// sent again.
extension SiteHost {
    /// Queues the alerts due at `now` for the open findings: first-level alerts for findings raised in the last
    /// day, escalations for those that waited unacknowledged. Returns how many are new.
    @discardableResult
    public func queueAlerts(at now: Date) throws(HostError) -> Int {
        let policy = definition.alerts
        guard !policy.isEmpty else { return 0 }
        let (open, acknowledged) = try stored { () throws(StoreError) in
            (try store.findings(openOnly: true), try store.acknowledgedFindings())
        }
        var entries: [(finding: Int64, level: Int, target: AlertPolicy.Target)] = []
        for finding in open {
            guard let id = finding.id else { continue }
            if now.timeIntervalSince(finding.raisedAt) < 86_400 {
                entries += policy.targets(for: finding).map { (id, 0, $0) }
            }
            entries += policy.escalationTargets(for: finding, acknowledged: acknowledged.contains(id), at: now).map {
                (id, 1, $0)
            }
        }
        guard !entries.isEmpty else { return 0 }
        return try stored { () throws(StoreError) in try store.queueAlerts(entries, at: now) }
    }

    /// Notes that `person` has seen finding `id`: it no longer escalates.
    public func acknowledge(finding id: Int64, by person: String, at now: Date) throws(HostError) {
        try requireStaff(person)
        try requireNotAhead(now, "the time")
        try stored { () throws(StoreError) in try store.acknowledge(finding: id, by: person, at: now) }
    }

    /// Sends every alert due at `now` through `channels`, recording each attempt. Returns how many were sent and
    /// how many failed this time.
    public func deliverAlerts(at now: Date, through channels: any AlertChannels) async throws(HostError) -> (
        sent: Int, failed: Int
    ) {
        let due = try stored { () throws(StoreError) in try store.dueAlerts(at: now) }
        var sent = 0
        var failed = 0
        for alert in due {
            guard let finding = try stored({ () throws(StoreError) in try store.finding(alert.finding) }) else {
                continue
            }
            let message = AlertMessage(alert: alert, finding: finding, site: definition.site, zone: definition.timeZone)
            var failure: String?
            do { try await channels.send(message, to: alert.target, policy: definition.alerts) } catch {
                failure = "\(error)"
            }
            try stored { () throws(StoreError) in try store.recordAttempt(alert: alert.id, error: failure, at: now) }
            if failure == nil { sent += 1 } else { failed += 1 }
        }
        return (sent, failed)
    }

    /// The newest alerts, at most `limit`.
    public func alerts(limit: Int = 100) throws(HostError) -> [Alert] {
        try stored { () throws(StoreError) in try store.alerts(limit: limit) }
    }
}

/// What an alert says: a subject line and a plain-text body for e-mail, and the JSON document a webhook receives.
public struct AlertMessage: Sendable, Codable {
    public var site: String
    public var siteName: String
    /// `<site>-<alert id>`: the same on every retry, so a receiver can drop a repeat (`X-Takt-Delivery`,
    /// the e-mail's `Message-ID`).
    public var delivery: String
    public var level: Int
    public var finding: Finding
    public var subject: String
    public var text: String

    public init(alert: Alert, finding: Finding, site: Site, zone: TimeZone) {
        self.site = site.id
        self.siteName = site.name
        self.delivery = "\(site.id)-\(alert.id)"
        self.level = alert.level
        self.finding = finding
        let escalated = alert.level > 0 ? "ESCALATED: " : ""
        // One line, whatever the finding says: a subject is a header.
        let oneLine = finding.message.components(separatedBy: .newlines).joined(separator: " ")
        self.subject =
            "[Takt \(site.name)] \(escalated)\(finding.severity.rawValue.uppercased()): \(oneLine.prefix(150))"
        var body = [
            "\(escalated)\(finding.severity.rawValue.uppercased()) finding #\(finding.id ?? 0) at \(site.name)",
            "", finding.message, "",
            "Subject: \(finding.subject)", "Rule: \(finding.rule)",
            "Raised: \(Instant.format(finding.raisedAt, in: zone))",
        ]
        body += finding.actions.map { "Action: \($0)" }
        if alert.level > 0 {
            body += ["", "Nobody has acknowledged it yet (takt alerts ack \(finding.id ?? 0) --site … --by STAFF)."]
        }
        self.text = body.joined(separator: "\n")
    }
}

/// The ways alerts leave the site; tests and other deployments can give their own.
public protocol AlertChannels: Sendable {
    /// Sends `message` to `target`; throws when it was not accepted.
    func send(_ message: AlertMessage, to target: AlertPolicy.Target, policy: AlertPolicy) async throws
}
