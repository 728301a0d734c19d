import Foundation

/// A non-conformance report (NCR) and its corrective and preventive actions (CAPA): what went wrong, where and in
/// which lots, how it was contained, why it happened, and what was done so it does not happen again, each action
/// checked for effectiveness by someone other than who did it.
///
/// The life of a report, as ISO 9001:2015 clause 10.2 and the BRCGS Food Safety Issue 9 clause 3.7 ask for it:
/// opened (from a finding, a customer complaint, an audit observation or an incident) → contained (the affected
/// product is under control: a lot it holds can be released only from here on) → root cause recorded (5 whys,
/// and the fishbone category) → actions done → each verified effective after its waiting time → closed.
/// Every change is a new state of the report sent to central; nothing is edited in place at central.
public struct NonConformance: Hashable, Sendable, Codable {
    /// What the report was opened from.
    public enum Source: String, Hashable, Sendable, Codable, CaseIterable {
        case finding, complaint, audit, incident
    }

    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Opened; containment not yet done.
        case open
        /// Containment done; root cause and actions under way.
        case contained
        case closed
    }

    /// The fishbone (Ishikawa) categories a root cause falls in: the six Ms.
    public enum CauseCategory: String, Hashable, Sendable, Codable, CaseIterable {
        case people, machine, method, material, measurement, environment
    }

    /// Why it happened: the chain of whys, the root cause it ends in, and its fishbone category.
    public struct RootCause: Hashable, Sendable, Codable {
        /// The answers to "why?", in order; the last is the root cause.
        public var whys: [String]
        public var category: CauseCategory
        public var by: String
        public var at: Date

        public init(whys: [String], category: CauseCategory, by: String, at: Date) {
            self.whys = whys
            self.category = category
            self.by = by
            self.at = at
        }
    }

    /// One check of whether a done action worked.
    public struct Verification: Hashable, Sendable, Codable {
        public var by: String
        public var at: Date
        public var effective: Bool
        public var note: String

        public init(by: String, at: Date, effective: Bool, note: String) {
            self.by = by
            self.at = at
            self.effective = effective
            self.note = note
        }
    }

    /// A corrective action (removes the cause of this non-conformance) or a preventive one (of one that could
    /// happen elsewhere), with an owner, a due date and a verification of effectiveness.
    public struct Action: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            case corrective, preventive
        }

        /// 1, 2, … within the report.
        public var number: Int
        public var kind: Kind
        public var description: String
        /// A staff id.
        public var owner: String
        /// The local date by the end of which it must be done.
        public var due: LocalDate
        /// Days to wait after it is done before its effectiveness can be judged.
        public var verifyAfterDays: Int
        public var doneAt: Date?
        public var doneBy: String?
        public var doneNote: String?
        /// Every verification, oldest first; an ineffective one sends the action back to be done again.
        public var verifications: [Verification]

        public init(
            number: Int, kind: Kind, description: String, owner: String, due: LocalDate, verifyAfterDays: Int
        ) {
            self.number = number
            self.kind = kind
            self.description = description
            self.owner = owner
            self.due = due
            self.verifyAfterDays = verifyAfterDays
            self.verifications = []
        }

        /// Done, and its latest verification found it effective.
        public var verifiedEffective: Bool { doneAt != nil && verifications.last?.effective == true }

        /// When its effectiveness may be judged: `verifyAfterDays` after it was done; nil until it is done.
        public var verifiableFrom: Date? { doneAt.map { $0.addingTimeInterval(Double(verifyAfterDays) * 86_400) } }
    }

    /// `NCR-n`.
    public var id: String
    public var source: Source
    /// What it came from: a finding's number, a complaint or audit reference, an incident id.
    public var reference: String?
    public var description: String
    public var workCentre: String?
    /// The lots affected; each stays on hold until containment is done.
    public var lots: [String]
    public var openedBy: String
    public var openedAt: Date
    public var status: Status
    /// What was done to control the affected product and stop it happening again meanwhile.
    public var containment: String?
    public var containedBy: String?
    public var containedAt: Date?
    public var rootCause: RootCause?
    public var actions: [Action]
    public var closedBy: String?
    public var closedAt: Date?

    public init(
        id: String = "", source: Source, reference: String? = nil, description: String, workCentre: String? = nil,
        lots: [String] = [], openedBy: String, openedAt: Date
    ) {
        self.id = id
        self.source = source
        self.reference = reference
        self.description = description
        self.workCentre = workCentre
        self.lots = lots
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.status = .open
        self.actions = []
    }
}

// MARK: the life of a report

extension NonConformance {
    /// A step that does not fit the report's state, in words for the person who tried it.
    public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Records the containment; the lots the report holds can be released from now on.
    public mutating func contain(_ text: String, by person: String, at now: Date) throws(Refusal) {
        try requireOpen()
        guard status == .open else { throw Refusal("\(id) was already contained by \(containedBy ?? "?")") }
        let text = try Self.text(text, "the containment")
        try requireNotBefore(now, openedAt, "containment", "it was opened")
        containment = text
        containedBy = person
        containedAt = now
        status = .contained
    }

    /// Records (or replaces, while actions are not yet verified) the root cause: at least one why.
    public mutating func recordRootCause(whys: [String], category: CauseCategory, by person: String, at now: Date)
        throws(Refusal)
    {
        try requireOpen()
        var answers: [String] = []
        for (index, why) in whys.enumerated() { answers.append(try Self.text(why, "why #\(index + 1)")) }
        guard !answers.isEmpty else { throw Refusal("give at least one answer to 'why?' (the last is the root cause)") }
        guard answers.count <= 10 else { throw Refusal("at most 10 whys; the root cause is the last") }
        rootCause = RootCause(whys: answers, category: category, by: person, at: now)
    }

    /// Adds an action (numbered next) and returns its number.
    @discardableResult
    public mutating func addAction(
        kind: Action.Kind, description: String, owner: String, due: LocalDate, verifyAfterDays: Int, at now: Date,
        in zone: TimeZone
    ) throws(Refusal) -> Int {
        try requireOpen()
        let text = try Self.text(description, "the action")
        guard (0...365).contains(verifyAfterDays) else {
            throw Refusal("the wait before verifying effectiveness must be 0 to 365 days, not \(verifyAfterDays)")
        }
        guard due >= LocalDate(now, in: zone) else { throw Refusal("the due date \(due) is already past") }
        guard actions.count < 50 else { throw Refusal("\(id) already has 50 actions") }
        let number = (actions.map(\.number).max() ?? 0) + 1
        actions.append(
            Action(
                number: number, kind: kind, description: text, owner: owner, due: due,
                verifyAfterDays: verifyAfterDays))
        return number
    }

    /// Marks action `number` done.
    public mutating func complete(action number: Int, by person: String, note: String, at now: Date) throws(Refusal) {
        try requireOpen()
        let index = try actionIndex(number)
        guard actions[index].doneAt == nil else {
            throw Refusal("action \(number) of \(id) was already done by \(actions[index].doneBy ?? "?")")
        }
        try requireNotBefore(now, openedAt, "the action", "the report was opened")
        actions[index].doneAt = now
        actions[index].doneBy = person
        actions[index].doneNote = try Self.text(note, "what was done")
    }

    /// Records whether done action `number` worked. The verifier must be neither its owner nor who did it, and
    /// the action's waiting time must have passed. An ineffective verdict sends the action back to be done again.
    public mutating func verify(action number: Int, by person: String, effective: Bool, note: String, at now: Date)
        throws(Refusal)
    {
        try requireOpen()
        let index = try actionIndex(number)
        let action = actions[index]
        guard let doneAt = action.doneAt, let from = action.verifiableFrom else {
            throw Refusal("action \(number) of \(id) is not done yet; verify it after it is done")
        }
        guard person != action.owner, person != action.doneBy else {
            throw Refusal(
                "\(person) owns or did action \(number) of \(id); its effectiveness is verified by someone else")
        }
        guard now >= from else {
            throw Refusal(
                "action \(number) of \(id) was done at \(Instant.iso(doneAt)); its effectiveness can be judged from "
                    + "\(Instant.iso(from)) (\(action.verifyAfterDays) days after)")
        }
        guard action.verifications.last?.effective != true else {
            throw Refusal("action \(number) of \(id) was already verified effective")
        }
        actions[index].verifications.append(
            Verification(by: person, at: now, effective: effective, note: try Self.text(note, "the verification")))
        if !effective {
            actions[index].doneAt = nil
            actions[index].doneBy = nil
            actions[index].doneNote = nil
        }
    }

    /// Closes the report: refused, naming what is missing, until containment, the root cause, at least one
    /// corrective action and the verified effectiveness of every action are recorded.
    public mutating func close(by person: String, at now: Date) throws(Refusal) {
        try requireOpen()
        var missing: [String] = []
        if status == .open { missing.append("containment") }
        if rootCause == nil { missing.append("a root cause") }
        if !actions.contains(where: { $0.kind == .corrective }) { missing.append("a corrective action") }
        let unverified = actions.filter { !$0.verifiedEffective }.map { "#\($0.number)" }
        if !unverified.isEmpty {
            missing.append("the verified effectiveness of action(s) \(unverified.joined(separator: ", "))")
        }
        guard missing.isEmpty else {
            throw Refusal("\(id) cannot close yet; it lacks " + missing.joined(separator: ", "))
        }
        status = .closed
        closedBy = person
        closedAt = now
    }

    private func requireOpen() throws(Refusal) {
        guard status != .closed else { throw Refusal("\(id) was closed by \(closedBy ?? "?"); open a new report") }
    }

    private func actionIndex(_ number: Int) throws(Refusal) -> Int {
        guard let index = actions.firstIndex(where: { $0.number == number }) else {
            throw Refusal(
                "\(id) has no action \(number)"
                    + (actions.isEmpty ? "" : " (it has \(actions.map { "#\($0.number)" }.joined(separator: ", ")))"))
        }
        return index
    }

    private func requireNotBefore(_ time: Date, _ earliest: Date, _ what: String, _ event: String) throws(Refusal) {
        guard time >= earliest else { throw Refusal("\(what) cannot be recorded before \(event)") }
    }

    static func text(_ text: String, _ what: String) throws(Refusal) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Refusal("say \(what)") }
        guard trimmed.count <= 2_000 else { throw Refusal("\(what) is longer than 2,000 characters") }
        return trimmed
    }
}

// MARK: overdue actions and escalation

extension NonConformance {
    /// How long past due an action goes before it escalates to the site manager.
    public static let escalationDays = 7

    /// The findings this report's late actions raise at `now`: an action not done by the end of its due day is
    /// a major finding on its owner; one still not done `escalationDays` later is critical (escalated); a done
    /// action whose effectiveness has waited a week past its time unverified is a minor finding. Each has a
    /// `key`, so a repeated sweep raises it once.
    public func overdueFindings(at now: Date, in zone: TimeZone) -> [Finding] {
        guard status != .closed else { return [] }
        let rule = RuleID.capaOverdue
        var findings: [Finding] = []
        for action in actions {
            if action.doneAt == nil {
                let deadline = action.due.next(in: zone).instant(in: zone)
                guard now >= deadline else { continue }
                let late = Int(now.timeIntervalSince(deadline) / 86_400)
                let base =
                    "\(id) action \(action.number) (\(action.kind.rawValue), owner \(action.owner)) was due \(action.due)"
                let text = "Close it or agree a new date with the site manager."
                findings.append(
                    Finding(
                        rule: rule, severity: .major, subject: .init(.staff, action.owner),
                        message: "\(base) and is not done: \(action.description)",
                        actions: [.init(.correctiveAction, text)], raisedAt: now,
                        key: "\(id):\(action.number):due:\(action.due)"))
                if late >= Self.escalationDays {
                    findings.append(
                        Finding(
                            rule: rule, severity: .critical, subject: .init(.site, "quality"),
                            message: "\(base), \(late) days ago; escalated to the site manager",
                            actions: [.init(.correctiveAction, text)], raisedAt: now,
                            key: "\(id):\(action.number):escalated:\(action.due)"))
                }
            } else if let from = action.verifiableFrom, action.verifications.last?.effective != true,
                now >= from.addingTimeInterval(Double(Self.escalationDays) * 86_400)
            {
                let round = action.verifications.count
                findings.append(
                    Finding(
                        rule: rule, severity: .minor, subject: .init(.site, "quality"),
                        message: "\(id) action \(action.number) has waited since \(Instant.iso(from)) for someone "
                            + "other than \(action.owner) to verify it worked",
                        actions: [.init(.correctiveAction, "Verify its effectiveness (takt ncr verify).")],
                        raisedAt: now, key: "\(id):\(action.number):verify:\(round):\(Instant.iso(from))"))
            }
        }
        return findings
    }
}

extension RuleID {
    /// The finding raised for a corrective or preventive action past its due date.
    public static let capaOverdue: RuleID = "site.capa_overdue"
}
