import Foundation

/// What a rule found: a breach, a missed check, an unqualified person, with the actions it demands.
public struct Finding: Hashable, Sendable, Codable {
    /// What the finding is about.
    public struct Subject: Hashable, Sendable, Codable, CustomStringConvertible {
        /// What kind of thing the subject is: the core's kinds below, or one a module names for its records
        /// (`reel`). Written as its raw value in the database, the outbox and central.
        public struct Kind: RawRepresentable, Hashable, Sendable, Codable {
            public let rawValue: String

            public init(rawValue: String) { self.rawValue = rawValue }

            public static let lot = Kind(rawValue: "lot")
            public static let workCentre = Kind(rawValue: "work_centre")
            public static let staff = Kind(rawValue: "staff")
            public static let check = Kind(rawValue: "check")
            public static let order = Kind(rawValue: "order")
            public static let site = Kind(rawValue: "site")
            /// A measuring instrument (a probe, a torque driver).
            public static let instrument = Kind(rawValue: "instrument")
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
    /// The finding's message and corrective action in other languages, by language code (`es`, `ms`), for the
    /// site app; nil when the rule gave none (the message is then shown as it is).
    public var translations: [String: Text]?

    /// A finding's words in one language.
    public struct Text: Hashable, Sendable, Codable {
        public var message: String
        public var correctiveAction: String?

        public init(message: String, correctiveAction: String? = nil) {
            self.message = message
            self.correctiveAction = correctiveAction
        }
    }

    /// The finding with its message and corrective action in other languages too.
    public func translated(_ texts: [SiteLocale: (message: String, correctiveAction: String?)]) -> Finding {
        var copy = self
        var all = translations ?? [:]
        for (locale, text) in texts where locale != .english {
            all[locale.rawValue] = Text(message: text.message, correctiveAction: text.correctiveAction)
        }
        copy.translations = all.isEmpty ? nil : all
        return copy
    }

    /// The message in `locale`, or as written.
    public func message(in locale: SiteLocale) -> String { translations?[locale.rawValue]?.message ?? message }

    /// The corrective action in `locale`, or as written; nil when the finding has none.
    public func correctiveAction(in locale: SiteLocale) -> String? {
        translations?[locale.rawValue]?.correctiveAction
            ?? actions.first { $0.kind == .correctiveAction }?.target
    }

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

extension Finding {
    /// The finding as `takt findings` prints it: id, severity, status, time, subject, message and rule, then
    /// one line per action and how it was closed.
    public func text(in timeZone: TimeZone) -> String {
        var text =
            "#\(id.map(String.init) ?? "-") \(severity.rawValue.uppercased()) [\(status.rawValue)] "
            + "\(Instant.format(raisedAt, in: timeZone)) \(subject): \(message) (\(rule))"
        for action in actions { text += "\n    → \(action)" }
        if let closedBy { text += "\n    closed by \(closedBy): \(resolution ?? "")" }
        return text
    }
}

/// One thing a finding makes happen: a lot on hold, a work centre blocked, a corrective action to close.
public struct FindingAction: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What an action does: the core's kinds below, or a block a module declares for its records
    /// (`block_reel`). Every kind whose raw value starts with `block_` blocks its target until it is lifted.
    public struct Kind: RawRepresentable, Hashable, Sendable, Codable {
        public let rawValue: String

        /// Any raw value; nil when it is not a lowercase word (letters, digits and `_`).
        public init?(rawValue: String) {
            guard let first = rawValue.first, first.isASCII, first.isLowercase, rawValue.count <= 64,
                rawValue.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" })
            else { return nil }
            self.rawValue = rawValue
        }

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A block of something a module keeps (`block(of: "reel")` is `block_reel`); the target is its id.
        public static func block(of thing: String) -> Kind {
            guard let kind = Kind(rawValue: "block_" + thing) else {
                preconditionFailure("'\(thing)' is not a lowercase word")
            }
            return kind
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let kind = Kind(rawValue: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an action kind (a lowercase word)")
            }
            self = kind
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public static let holdLot = Kind("hold_lot")
        public static let blockWorkCentre = Kind("block_work_centre")
        /// Blocks one person at one work centre; the target is `staff@work-centre`.
        public static let blockOperator = Kind("block_operator")
        public static let correctiveAction = Kind("corrective_action")

        /// Whether the action blocks its target until it is lifted.
        public var isBlock: Bool { rawValue.hasPrefix("block_") }

        /// For a module's block: what is blocked (`reel`).
        var blockedThing: String { String(rawValue.dropFirst("block_".count)).replacingOccurrences(of: "_", with: " ") }
    }
    public var kind: Kind
    /// The lot, work centre, `staff@work-centre` or the module's record id, or the corrective action's text.
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
        case .correctiveAction: return "corrective action: \(target)"
        case let kind where kind.isBlock: return "\(kind.blockedThing) \(target) blocked"
        default: return "\(kind.rawValue.replacingOccurrences(of: "_", with: " ")): \(target)"
        }
    }
}
