import Foundation
import TaktCore

extension SiteBuilder {
    /// Loads `alerts`: e-mail addresses and webhook URLs that can be used, routes with rule prefixes that name a
    /// module or `site`, a mail server for any e-mail and a signing key's variable for any webhook.
    mutating func loadAlerts() {
        guard let spec = configuration.alerts else { return }
        var usesEmail = false
        var usesWebhook = false
        func targets(email: [String]?, webhook: [String]?, at path: [Any]) -> [AlertPolicy.Target] {
            var result: [AlertPolicy.Target] = []
            for (index, address) in (email ?? []).enumerated() {
                if Self.isEmailAddress(address) {
                    result.append(.init(.email, address))
                } else {
                    report("'\(address)' is not an e-mail address", at: path + ["email", index])
                }
                usesEmail = true
            }
            for (index, url) in (webhook ?? []).enumerated() {
                if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil {
                    result.append(.init(.webhook, url))
                } else {
                    report("'\(url)' is not an http or https URL", at: path + ["webhook", index])
                }
                usesWebhook = true
            }
            if result.isEmpty, (email ?? []).isEmpty, (webhook ?? []).isEmpty {
                report("name at least one e-mail address or webhook", at: path)
            }
            return result
        }
        var policy = AlertPolicy()
        for (index, route) in (spec.routes ?? []).enumerated() {
            let path: [Any] = ["alerts", "routes", index]
            for (ruleIndex, prefix) in (route.rules ?? []).enumerated() where (try? RuleID(validating: prefix)) == nil {
                report(
                    "'\(prefix)' is not a rule id or prefix (food_processing, site.spc)",
                    at: path + ["rules", ruleIndex])
            }
            policy.routes.append(
                .init(
                    minSeverity: route.severity ?? .critical, rules: route.rules ?? [],
                    targets: targets(email: route.email, webhook: route.webhook, at: path)))
        }
        if let escalation = spec.escalation {
            let path: [Any] = ["alerts", "escalation"]
            if escalation.after.seconds <= 0 { report("escalation waits a time above 0 (15m)", at: path + ["after"]) }
            policy.escalation = .init(
                after: escalation.after, minSeverity: escalation.severity ?? .critical,
                targets: targets(email: escalation.email, webhook: escalation.webhook, at: path))
        }
        if let smtp = spec.smtp {
            let path: [Any] = ["alerts", "smtp"]
            if let url = URL(string: smtp.url), ["smtp", "smtps"].contains(url.scheme ?? ""), url.host != nil {
                policy.smtp = .init(
                    url: smtp.url, from: smtp.from, user: smtp.user, passwordEnvironment: smtp.passwordEnv)
            } else {
                report("'\(smtp.url)' is not an smtp:// or smtps:// URL", at: path + ["url"])
            }
            if !Self.isEmailAddress(smtp.from) {
                report("'\(smtp.from)' is not an e-mail address", at: path + ["from"])
            }
        } else if usesEmail {
            report("e-mail alerts need a mail server: alerts.smtp {url, from}", at: ["alerts"])
        }
        policy.webhookSecretEnvironment = spec.webhookSecretEnv
        if usesWebhook, spec.webhookSecretEnv == nil {
            report(
                "webhooks are signed: name the environment variable holding the key (alerts.webhook_secret_env)",
                at: ["alerts"])
        }
        definition.alerts = policy
    }

    /// A plain address (`name@host`) with nothing a mail header could be bent with.
    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.count <= 254
            && text.allSatisfy { $0.isASCII && !$0.isWhitespace && !"<>,;\"()\\[]".contains($0) }
    }
}
