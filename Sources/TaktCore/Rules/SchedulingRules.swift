/// What it takes to switch a work centre from one product to the next.
public enum Changeover: Hashable, Sendable {
    /// The switch needs `duration` of `task` (an allergen clean, a feeder change) between the two.
    case required(duration: TimeSpan, task: String, rule: RuleID)
    /// The switch is not allowed at all.
    case forbidden(reason: String, rule: RuleID)
}

/// A sequence-dependent changeover or forbidden transition between products.
///
/// ## Implementation requirements
///
/// Pure and fast: the scheduler calls `changeover` for many pairs. Return nil when the rule does not concern
/// the pair.
public protocol ChangeoverRule: Sendable {
    var id: RuleID { get }
    var summary: String { get }
    func changeover(from previous: Product, to next: Product, on workCentre: String) -> Changeover?
}

/// A declarative changeover: from products matching `from` to products matching `to`, on the listed work
/// centres (all when empty), either forbidden or taking `duration` of `task`.
public struct SelectorChangeover: ChangeoverRule, Hashable, Codable {
    public var id: RuleID
    public var from: ProductSelector
    public var to: ProductSelector
    public var workCentres: [String]
    /// nil for a forbidden transition.
    public var duration: TimeSpan?
    public var task: String

    public init(
        id: RuleID, from: ProductSelector, to: ProductSelector, workCentres: [String] = [], duration: TimeSpan?,
        task: String
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.workCentres = workCentres
        self.duration = duration
        self.task = task
    }

    public var summary: String {
        let place = workCentres.isEmpty ? "" : " on " + workCentres.joined(separator: ", ")
        guard let duration else { return "forbidden: \(from) → \(to)\(place) (\(task))" }
        return "\(from) → \(to)\(place): \(duration) \(task)"
    }

    public func changeover(from previous: Product, to next: Product, on workCentre: String) -> Changeover? {
        guard workCentres.isEmpty || workCentres.contains(workCentre), from.matches(previous), to.matches(next)
        else { return nil }
        guard let duration else { return .forbidden(reason: task, rule: id) }
        return .required(duration: duration, task: task, rule: id)
    }
}

/// A work centre may run at most `maximum` before `task` (a sanitation clean) of `taskDuration` must be done.
public struct MaximumRunRule: Hashable, Sendable, Codable {
    public var id: RuleID
    public var workCentres: [String]
    public var maximum: TimeSpan
    public var task: String
    public var taskDuration: TimeSpan

    public init(id: RuleID, workCentres: [String], maximum: TimeSpan, task: String, taskDuration: TimeSpan) {
        self.id = id
        self.workCentres = workCentres
        self.maximum = maximum
        self.task = task
        self.taskDuration = taskDuration
    }

    public var summary: String {
        "\(workCentres.isEmpty ? "every work centre" : workCentres.joined(separator: ", ")): "
            + "at most \(maximum) of running, then \(taskDuration) \(task)"
    }
}

/// Who may run operations at the listed work centres: a skill and/or a valid certificate.
public struct EligibilityRule: Hashable, Sendable, Codable {
    public var id: RuleID
    public var workCentres: [String]
    public var skill: String?
    public var certificate: String?
    /// How many months from its issue the certificate counts (IPC-A-610: 24); nil: until it expires.
    public var certificateMonths: Int?

    public init(
        id: RuleID, workCentres: [String], skill: String? = nil, certificate: String? = nil,
        certificateMonths: Int? = nil
    ) {
        self.id = id
        self.workCentres = workCentres
        self.skill = skill
        self.certificate = certificate
        self.certificateMonths = certificateMonths
    }

    public var summary: String {
        let need = [
            skill.map { "skill \($0)" },
            certificate.map {
                "valid \($0) certificate" + (certificateMonths.map { " (issued within \($0) months)" } ?? "")
            },
        ].compactMap { $0 }
        return "\(workCentres.joined(separator: ", ")): operators need " + need.joined(separator: " and ")
    }

    /// Whether `person` may work here on `date`.
    public func admits(_ person: Staff, on date: LocalDate) -> Bool {
        (skill.map { person.skills.contains($0) } ?? true)
            && (certificate.map { person.holdsValidCertificate($0, on: date, forMonths: certificateMonths) } ?? true)
    }
}
