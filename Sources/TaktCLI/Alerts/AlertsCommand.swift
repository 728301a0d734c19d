import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt alerts`: the alert queue, delivering what is due, and acknowledging a finding so it does not escalate.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Alerts: list the queue, send what is due (e-mail, webhooks), acknowledge a finding.",
        subcommands: [List.self, Send.self, Ack.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest alerts and their delivery state.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "How many.") var limit = 50

        func run() throws {
            let host = try site.open()
            let alerts = try host.alerts(limit: max(1, min(limit, 10_000)))
            if output.json { return try output.print(json: alerts) }
            if alerts.isEmpty { print("no alerts") }
            let zone = host.definition.timeZone
            for alert in alerts {
                print(
                    "#\(alert.id) finding #\(alert.finding)\(alert.level > 0 ? " (escalation)" : "") → "
                        + "\(alert.target.channel.rawValue) \(alert.target.address): \(alert.status.rawValue)"
                        + (alert.sentAt.map { " \(Instant.format($0, in: zone))" } ?? "")
                        + (alert.status == .queued && alert.attempts > 0
                            ? ", attempt \(alert.attempts + 1) at \(Instant.format(alert.nextAttemptAt, in: zone))"
                            : "")
                        + (alert.lastError.map { " — \($0)" } ?? ""))
            }
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue the alerts the open findings call for and send every one that is due.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        struct Outcome: Encodable { var queued: Int; var sent: Int; var failed: Int }

        func run() async throws {
            let host = try site.open()
            let now = Date()
            let queued = try host.queueAlerts(at: now)
            let outcome = try await host.deliverAlerts(at: now, through: NetworkAlertChannels())
            if output.json {
                return try output.print(json: Outcome(queued: queued, sent: outcome.sent, failed: outcome.failed))
            }
            print(
                "queued \(queued), sent \(outcome.sent), failed \(outcome.failed) (failures are retried with backoff)")
            if outcome.failed > 0 { throw ExitCode(1) }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge a finding: you have seen it, so it does not escalate.")
        @OptionGroup var site: SiteOptions
        @Argument(help: "The finding's number.") var finding: Int64
        @Option(help: "Staff id of who acknowledges it.") var by: String

        func run() throws {
            let host = try site.open()
            try host.acknowledge(finding: finding, by: by, at: Date())
            print("finding #\(finding) acknowledged by \(by)")
        }
    }
}
