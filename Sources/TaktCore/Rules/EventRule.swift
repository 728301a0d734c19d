/// A hygiene or safety rule: it judges one site event and returns what it found.
///
/// ## Implementation requirements
///
/// - `id` is stable and namespaced by the module that registers it (`food_processing.ccp.chill`).
/// - `evaluate` is pure: read only the event and the context, return the same findings for the same input,
///   and never throw for an event it does not concern: return `[]`.
/// - Put every consequence in the findings' `actions` (hold a lot, block a work centre, a corrective action);
///   the host applies them in the same transaction as the event.
public protocol EventRule: Sendable {
    var id: RuleID { get }
    /// One line for `takt site show`: what the rule checks.
    var summary: String { get }
    /// The module records the rule reads from ``RuleContext/records``; the host loads these, and only these,
    /// before the rule judges an event. None by default.
    var reads: [RecordRead] { get }
    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding]
}

extension EventRule {
    public var reads: [RecordRead] { [] }
}

/// A rule whose limits a site may tighten in `site.yaml` (`limits:`), but never loosen.
public protocol LimitAdjustable: EventRule {
    /// The rule with `override` applied; throws `CoreError.looserThanAllowed` when it would loosen a limit.
    func adjusted(by override: LimitOverride) throws(CoreError) -> Self
}

/// A site's tighter limit for a registered rule: `{rule: food_processing.ccp.chill, max: 4}`.
public struct LimitOverride: Hashable, Sendable, Codable {
    public var rule: RuleID
    public var min: Double?
    public var max: Double?

    public init(rule: RuleID, min: Double? = nil, max: Double? = nil) {
        self.rule = rule
        self.min = min
        self.max = max
    }
}
