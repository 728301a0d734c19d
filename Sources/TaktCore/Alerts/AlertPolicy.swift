import Foundation

/// Who is told about which findings, how, and when it escalates (`alerts:` in `site.yaml`). A site sends its own
/// alerts, so they go out while it is offline from central.
public struct AlertPolicy: Hashable, Sendable {
    /// A way an alert leaves the site.
    public enum Channel: String, Hashable, Sendable, Codable, CaseIterable {
        /// E-mail over SMTP (with TLS where the URL is `smtps://` or the server offers STARTTLS).
        case email
        /// A JSON POST signed with HMAC-SHA256 (`X-Takt-Signature`), for chat tools and other systems.
        case webhook
    }

    /// One recipient on one channel.
    public struct Target: Hashable, Sendable, Codable {
        public var channel: Channel
        /// An e-mail address or a webhook URL.
        public var address: String

        public init(_ channel: Channel, _ address: String) {
            self.channel = channel
            self.address = address
        }
    }

    /// Findings at or above `minSeverity` whose rule starts with one of `rules` (all rules when empty) go to
    /// `targets`.
    public struct Route: Hashable, Sendable {
        public var minSeverity: Severity
        public var rules: [String]
        public var targets: [Target]

        public init(minSeverity: Severity, rules: [String] = [], targets: [Target]) {
            self.minSeverity = minSeverity
            self.rules = rules
            self.targets = targets
        }

        public func matches(_ finding: Finding) -> Bool {
            finding.severity >= minSeverity
                && (rules.isEmpty
                    || rules.contains { finding.rule.rawValue == $0 || finding.rule.rawValue.hasPrefix($0 + ".") })
        }
    }

    /// A finding at or above `minSeverity` still open and not acknowledged `after` it was raised goes to the next
    /// level: `targets`.
    public struct Escalation: Hashable, Sendable {
        public var after: TimeSpan
        public var minSeverity: Severity
        public var targets: [Target]

        public init(after: TimeSpan, minSeverity: Severity = .critical, targets: [Target]) {
            self.after = after
            self.minSeverity = minSeverity
            self.targets = targets
        }
    }

    /// How the site reaches its mail server.
    public struct SMTP: Hashable, Sendable {
        /// `smtp://host:port` (STARTTLS when offered) or `smtps://host:port` (TLS from the start).
        public var url: String
        public var from: String
        public var user: String?
        /// The environment variable holding the password; never the password itself in `site.yaml`.
        public var passwordEnvironment: String?

        public init(url: String, from: String, user: String? = nil, passwordEnvironment: String? = nil) {
            self.url = url
            self.from = from
            self.user = user
            self.passwordEnvironment = passwordEnvironment
        }
    }

    public var routes: [Route]
    public var escalation: Escalation?
    public var smtp: SMTP?
    /// The environment variable holding the webhook signing key.
    public var webhookSecretEnvironment: String?

    public init(
        routes: [Route] = [], escalation: Escalation? = nil, smtp: SMTP? = nil, webhookSecretEnvironment: String? = nil
    ) {
        self.routes = routes
        self.escalation = escalation
        self.smtp = smtp
        self.webhookSecretEnvironment = webhookSecretEnvironment
    }

    /// Whether any alert can be raised at all.
    public var isEmpty: Bool { routes.isEmpty && escalation == nil }

    /// The first-level recipients of `finding`, each once.
    public func targets(for finding: Finding) -> [Target] {
        var seen = Set<Target>()
        return routes.filter { $0.matches(finding) }.flatMap(\.targets).filter { seen.insert($0).inserted }
    }

    /// The escalation recipients of `finding` at `now`: it is open, serious enough, unacknowledged, and has waited
    /// the escalation time.
    public func escalationTargets(for finding: Finding, acknowledged: Bool, at now: Date) -> [Target] {
        guard let escalation, finding.status == .open, !acknowledged, finding.severity >= escalation.minSeverity,
            now.timeIntervalSince(finding.raisedAt) >= Double(escalation.after.seconds)
        else { return [] }
        return escalation.targets
    }
}

/// One alert: a finding told to one recipient at one level, queued in the site's database and retried with backoff
/// until it is delivered or given up.
public struct Alert: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case queued, sent, failed
    }

    public var id: Int64
    public var finding: Int64
    /// 0: the first alert; 1: the escalation.
    public var level: Int
    public var target: AlertPolicy.Target
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?

    public init(
        id: Int64, finding: Int64, level: Int, target: AlertPolicy.Target, status: Status, attempts: Int,
        nextAttemptAt: Date, lastError: String?, createdAt: Date, sentAt: Date?
    ) {
        self.id = id
        self.finding = finding
        self.level = level
        self.target = target
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }

    /// Attempts before an alert is given up as failed.
    public static let maxAttempts = 10

    /// The wait after the `attempts`-th failure: 30 s doubling, at most an hour.
    public static func backoff(after attempts: Int) -> TimeInterval {
        min(3600, 30 * pow(2, Double(max(0, attempts - 1))))
    }
}
