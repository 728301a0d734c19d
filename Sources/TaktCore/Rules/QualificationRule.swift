/// A safety gate on who may record a check or work at a work centre: a valid certificate or a skill.
///
/// A reading recorded by someone without it (or by nobody named) raises a finding; the reading itself is
/// kept, because a real measurement is never thrown away.
public struct QualificationRule: EventRule, Hashable, Codable {
    public var id: RuleID
    /// The checks it applies to; empty means every check.
    public var checks: [RuleID]
    /// The work centres it applies to; empty means everywhere.
    public var workCentres: [String]
    public var certificate: String?
    public var skill: String?
    public var severity: Severity

    public init(
        id: RuleID, checks: [RuleID] = [], workCentres: [String] = [], certificate: String? = nil,
        skill: String? = nil, severity: Severity = .major
    ) {
        self.id = id
        self.checks = checks
        self.workCentres = workCentres
        self.certificate = certificate
        self.skill = skill
        self.severity = severity
    }

    /// What `person` lacks on `day` to be trusted with the checks this rule covers; empty when nothing.
    public func missing(_ person: Staff, on day: LocalDate) -> [String] {
        var missing: [String] = []
        if let certificate, !person.holdsValidCertificate(certificate, on: day) {
            missing.append("a valid \(certificate) certificate on \(day)")
        }
        if let skill, !person.skills.contains(skill) { missing.append("the skill \(skill)") }
        return missing
    }

    /// Whether a finding raised by rule `rule` is about one of this rule's checks: the check itself, or a rule
    /// under it (`food_processing.ccp.cooling.time` is about `food_processing.ccp.cooling`).
    public func covers(findingOf rule: RuleID) -> Bool {
        checks.isEmpty || checks.contains { rule == $0 || rule.rawValue.hasPrefix($0.rawValue + ".") }
    }

    /// The checks both rules cover (every check of the other when one covers all).
    public func overlap(with other: QualificationRule) -> [RuleID] {
        if checks.isEmpty { return other.checks }
        if other.checks.isEmpty { return checks }
        return checks.filter(other.checks.contains)
    }

    /// Whether this rule asks for nothing `other` does not already ask for, for some of the same readings: the
    /// same certificate and skill, overlapping checks and work centres. Such a rule only doubles findings.
    public func repeats(_ other: QualificationRule) -> Bool {
        guard certificate == other.certificate, skill == other.skill else { return false }
        guard checks.isEmpty || other.checks.isEmpty || !overlap(with: other).isEmpty else { return false }
        return workCentres.isEmpty || other.workCentres.isEmpty
            || workCentres.contains(where: other.workCentres.contains)
    }

    public var summary: String {
        let need = [certificate.map { "a valid \($0) certificate" }, skill.map { "the skill \($0)" }]
            .compactMap { $0 }.joined(separator: " and ")
        let scope = checks.isEmpty ? "any check" : checks.map(\.rawValue).joined(separator: ", ")
        let place = workCentres.isEmpty ? "" : " at " + workCentres.joined(separator: ", ")
        return "recording \(scope)\(place) needs \(need)"
    }

    public func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .reading(let reading) = event else { return [] }
        guard checks.isEmpty || checks.contains(reading.check) else { return [] }
        if !workCentres.isEmpty {
            guard let workCentre = reading.workCentre, workCentres.contains(workCentre) else { return [] }
        }
        guard let person = reading.recordedBy.flatMap({ context.staff[$0] }) else {
            return [
                finding("\(reading.check) was recorded without naming who recorded it", context: context).translated([
                    .spanish: (
                        "\(reading.check) se registró sin indicar quién lo registró", Self.repeatCheck[.spanish]
                    ),
                    .malay: (
                        "\(reading.check) direkod tanpa menyatakan siapa yang merekodnya", Self.repeatCheck[.malay]
                    ),
                ])
            ]
        }
        let missing = self.missing(person, on: context.today)
        guard !missing.isEmpty else { return [] }
        return [
            finding(
                "\(person.name) (\(person.id)) recorded \(reading.check) without "
                    + missing.joined(separator: " or "), subject: .init(.staff, person.id), context: context
            ).translated([
                .spanish: (
                    "\(person.name) (\(person.id)) registró \(reading.check) sin " + missing.joined(separator: " ni "),
                    Self.repeatCheck[.spanish]
                ),
                .malay: (
                    "\(person.name) (\(person.id)) merekod \(reading.check) tanpa "
                        + missing.joined(separator: " atau "),
                    Self.repeatCheck[.malay]
                ),
            ])
        ]
    }

    static let repeatCheck: [SiteLocale: String] = [
        .spanish: "haga que una persona calificada repita el control",
        .malay: "minta orang yang layak mengulangi pemeriksaan",
    ]

    private func finding(_ message: String, subject: Finding.Subject? = nil, context: RuleContext) -> Finding {
        Finding(
            rule: id, severity: severity, subject: subject ?? .init(.site, context.site.id), message: message,
            actions: [FindingAction(.correctiveAction, "have a qualified person repeat the check")],
            raisedAt: context.now)
    }
}
