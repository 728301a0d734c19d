import TaktCore

/// A site's own declarative rules in `site.yaml`, under `rules:`. Their ids start with `site.`.
public struct RulesSpec: Codable, Sendable {
    /// A monitored check with limits: `{id: site.chill.walk_in, name: ..., unit: °C, max: 5, every: 4h,
    /// on_breach: [hold_lot], corrective_action: ...}`.
    public struct CheckSpec: Codable, Sendable {
        public enum Slot: String, Codable, Sendable {
            case hygiene, safety
        }
        public var id: RuleID
        public var name: String
        public var unit: String
        public var min: Double?
        public var max: Double?
        public var every: TimeSpan?
        /// Where it is recorded; each is tracked for being overdue on its own.
        public var workCentres: [String]?
        /// `critical` when absent.
        public var severity: Severity?
        public var onBreach: [CheckDefinition.BreachAction]?
        public var correctiveAction: String
        public var source: String?
        /// `hygiene` when absent.
        public var slot: Slot?
        /// Does a passing reading lift the blocks a failing one placed? false when absent.
        public var releasesOnPass: Bool?

        enum CodingKeys: String, CodingKey {
            case id, name, unit, min, max, every, severity, source, slot
            case releasesOnPass = "releases_on_pass"
            case workCentres = "work_centres"
            case onBreach = "on_breach"
            case correctiveAction = "corrective_action"
        }
    }

    /// A changeover between products selected by attribute; `forbidden: true` forbids it instead.
    public struct ChangeoverSpec: Codable, Sendable {
        public var id: RuleID
        public var from: ProductSelector
        public var to: ProductSelector
        public var workCentres: [String]?
        public var duration: TimeSpan?
        public var forbidden: Bool?
        public var task: String

        enum CodingKeys: String, CodingKey {
            case id, from, to, duration, forbidden, task
            case workCentres = "work_centres"
        }
    }

    /// At most `maximum` of running on the work centres, then `task` of `task_duration`.
    public struct MaximumRunSpec: Codable, Sendable {
        public var id: RuleID
        public var workCentres: [String]
        public var maximum: TimeSpan
        public var task: String
        public var taskDuration: TimeSpan

        enum CodingKeys: String, CodingKey {
            case id, maximum, task
            case workCentres = "work_centres"
            case taskDuration = "task_duration"
        }
    }

    /// Who may run operations at the work centres.
    public struct EligibilitySpec: Codable, Sendable {
        public var id: RuleID
        public var workCentres: [String]
        public var skill: String?
        public var certificate: String?

        enum CodingKeys: String, CodingKey {
            case id, skill, certificate
            case workCentres = "work_centres"
        }
    }

    /// Who may record which checks.
    public struct QualificationSpec: Codable, Sendable {
        public var id: RuleID
        public var checks: [RuleID]?
        public var workCentres: [String]?
        public var certificate: String?
        public var skill: String?
        public var severity: Severity?

        enum CodingKeys: String, CodingKey {
            case id, checks, certificate, skill, severity
            case workCentres = "work_centres"
        }
    }

    public var checks: [CheckSpec]?
    public var changeovers: [ChangeoverSpec]?
    public var maximumRuns: [MaximumRunSpec]?
    public var eligibility: [EligibilitySpec]?
    public var qualifications: [QualificationSpec]?
    /// Tighter limits for rules that modules or this file register.
    public var limits: [LimitOverride]?

    enum CodingKeys: String, CodingKey {
        case checks, changeovers, eligibility, qualifications, limits
        case maximumRuns = "maximum_runs"
    }
}
