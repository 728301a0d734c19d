import Foundation

/// What a rule found: a breach, a missed check, an unqualified person, with the actions it demands.
public struct Finding: Hashable, Sendable, Codable {
    /// What the finding is about.
    public struct Subject: Hashable, Sendable, Codable, CustomStringConvertible {
        public enum Kind: String, Hashable, Sendable, Codable {
            case lot, workCentre = "work_centre", staff, check, order, site, reel
        }
        public var kind: Kind
        public var id: String

        public init(_ kind: Kind, _ id: String) {
            self.kind = kind
            self.id = id
        }

        public var description: String { "\(kind.rawValue) \(id)" }
    }

    /// Whether the finding still needs someone to act.
    public enum Status: String, Hashable, Sendable, Codable {
        case open, closed
    }

    /// The store's id; nil until the finding is stored.
    public var id: Int64?
    public var rule: RuleID
    public var severity: Severity
    public var subject: Subject
    public var message: String
    public var actions: [FindingAction]
    public var raisedAt: Date
    public var status: Status
    /// For findings a `tick` raises (an overdue check, an expired lot): what makes it the same finding next
    /// time, so it is raised once. nil for findings about a recorded event.
    public var key: String?
    /// Who closed it and how, once it is closed.
    public var closedBy: String?
    public var closedAt: Date?
    public var resolution: String?

    public init(
        id: Int64? = nil, rule: RuleID, severity: Severity, subject: Subject, message: String,
        actions: [FindingAction] = [], raisedAt: Date, status: Status = .open, key: String? = nil
    ) {
        self.id = id
        self.rule = rule
        self.severity = severity
        self.subject = subject
        self.message = message
        self.actions = actions
        self.raisedAt = raisedAt
        self.status = status
        self.key = key
    }
}

/// One thing a finding makes happen: a lot on hold, a work centre blocked, a corrective action to close.
public struct FindingAction: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        case holdLot = "hold_lot"
        case blockWorkCentre = "block_work_centre"
        /// Blocks one person at one work centre; the target is `staff@work-centre`.
        case blockOperator = "block_operator"
        /// Blocks a component reel from use until it is baked.
        case blockReel = "block_reel"
        case correctiveAction = "corrective_action"
    }
    public var kind: Kind
    /// The lot, work centre, `staff@work-centre` or reel id, or the corrective action's text.
    public var target: String

    public init(_ kind: Kind, _ target: String) {
        self.kind = kind
        self.target = target
    }

    public var description: String {
        switch kind {
        case .holdLot: return "lot \(target) on hold"
        case .blockWorkCentre: return "work centre \(target) blocked"
        case .blockOperator: return "operator \(target.replacingOccurrences(of: "@", with: " blocked at "))"
        case .blockReel: return "reel \(target) blocked"
        case .correctiveAction: return "corrective action: \(target)"
        }
    }
}
