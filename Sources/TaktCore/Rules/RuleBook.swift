/// All the rules one site runs under, in one slot per concern: scheduling, hygiene and safety.
///
/// Modules and the site's own declarative rules register into it once, when the site is loaded; after that it
/// is an immutable value that the host and the scheduler read. Every rule id is unique across all slots.
public struct RuleBook: Sendable {
    /// Rules the scheduler must respect: changeovers, forbidden transitions, run limits, eligibility.
    public struct Scheduling: Sendable {
        public fileprivate(set) var changeovers: [any ChangeoverRule] = []
        public fileprivate(set) var maximumRuns: [MaximumRunRule] = []
        public fileprivate(set) var eligibility: [EligibilityRule] = []
        public fileprivate(set) var clearances: [ClearanceRule] = []
        /// Lead time (transit and customs) of each material from abroad; a product's `materials` attribute names
        /// what it needs, and planning starts it no sooner than the longest lead time from now.
        public fileprivate(set) var materialLeadTimes: [String: TimeSpan] = [:]
        /// The share of a product's shelf life it must still have at its due date, when the product does not
        /// say (`minimum_remaining_shelf_life`); set by a module such as food_processing.
        public fileprivate(set) var remainingShelfLifeShare: Double?
        /// Parts whose stock goes off once opened (a module's reels): planning finishes work that uses one
        /// while a unit of it is usable.
        public fileprivate(set) var partStock: [PartStockRule] = []
    }

    public private(set) var scheduling = Scheduling()
    /// Rules a module would register but the site turned off, each with the setting that did it, so `takt site
    /// show` can say what is not checked and why.
    public private(set) var off: [RuleID: String] = [:]
    public private(set) var hygiene: [any EventRule] = []
    public private(set) var safety: [any EventRule] = []
    /// The legal limits the site's modules enforce where it is, every period they know (`takt site show` lists
    /// them with their citations and dates).
    public private(set) var legalLimits: [LegalLimit] = []
    private var ids: Set<RuleID> = []

    public init() {}

    public mutating func addChangeover(_ rule: any ChangeoverRule) throws(CoreError) {
        try claim(rule.id)
        scheduling.changeovers.append(rule)
    }

    public mutating func addMaximumRun(_ rule: MaximumRunRule) throws(CoreError) {
        try claim(rule.id)
        scheduling.maximumRuns.append(rule)
    }

    public mutating func addEligibility(_ rule: EligibilityRule) throws(CoreError) {
        try claim(rule.id)
        scheduling.eligibility.append(rule)
    }

    public mutating func addClearance(_ rule: ClearanceRule) throws(CoreError) {
        try claim(rule.id)
        scheduling.clearances.append(rule)
    }

    /// Sets the lead time of a material from abroad; a material may be set once.
    public mutating func setLeadTime(_ leadTime: TimeSpan, forMaterial material: String) throws(CoreError) {
        guard scheduling.materialLeadTimes[material] == nil else {
            throw .invalidConfiguration(path: "", message: "material '\(material)' has two lead times")
        }
        scheduling.materialLeadTimes[material] = leadTime
    }

    /// How far before and after a new roster entry the person's other entries must be read for the working-time
    /// rules to judge it (the longest reference period a module averages over); 35 days at least.
    public private(set) var rosterReach: TimeSpan = .days(35)

    /// Asks the host to read the roster at least `reach` either side of a new entry.
    public mutating func needRoster(within reach: TimeSpan) {
        if reach.seconds > rosterReach.seconds { rosterReach = reach }
    }

    /// The check that judges a delivery on receipt (a chilled delivery's temperature), set by a module.
    public private(set) var receivingCheck: RuleID?

    /// Names the check `takt materials receive --temperature` records for a delivery.
    public mutating func setReceivingCheck(_ id: RuleID) { receivingCheck = id }

    /// The check that proves an asset is locked out and tagged before anyone works on it, set by a module: a
    /// work order starts only after a passing reading of it on the asset.
    public private(set) var lockOutCheck: RuleID?

    public mutating func setLockOutCheck(_ id: RuleID) { lockOutCheck = id }

    /// The check that clears a work centre for production again after maintenance on it (a food-contact line's
    /// hygiene clearance), set by a module: finishing a work order on one of the check's work centres blocks it
    /// until a passing reading.
    public private(set) var afterMaintenanceCheck: RuleID?

    public mutating func setAfterMaintenanceCheck(_ id: RuleID) { afterMaintenanceCheck = id }

    /// Notes the legal limits a module enforces at this site.
    public mutating func addLegalLimits(_ limits: [LegalLimit]) { legalLimits += limits }

    /// Sets the share of shelf life a product must have left at its due date unless it says otherwise.
    public mutating func requireRemainingShelfLife(share: Double) { scheduling.remainingShelfLifeShare = share }

    /// What modules keep of their own when a delivery is received (see `ReceiptRule`).
    public private(set) var receiptRules: [ReceiptRule] = []

    public mutating func addReceiptRule(_ rule: ReceiptRule) throws(CoreError) {
        try claim(rule.id)
        receiptRules.append(rule)
    }

    /// Adds a source of part stock that planning must respect.
    public mutating func addPartStock(_ rule: PartStockRule) throws(CoreError) {
        try claim(rule.id)
        scheduling.partStock.append(rule)
    }

    /// Every module record the registered rules declare they read, for the host to load before an event.
    public var reads: [RecordRead] {
        var seen: Set<RecordRead> = []
        return ((hygiene + safety).flatMap(\.reads) + scheduling.partStock.flatMap(\.reads)).filter {
            seen.insert($0).inserted
        }
    }

    /// Notes that the site turned rule `id` off with `setting`; it is not registered.
    public mutating func switchedOff(_ id: RuleID, by setting: String) { off[id] = setting }

    public mutating func addHygiene(_ rule: any EventRule) throws(CoreError) {
        try claim(rule.id)
        hygiene.append(rule)
    }

    public mutating func addSafety(_ rule: any EventRule) throws(CoreError) {
        try claim(rule.id)
        safety.append(rule)
    }

    /// Rules that set how often checks are due, beside (and before) each check's own `every`.
    public private(set) var frequencies: [any CheckFrequencyRule] = []

    public mutating func addFrequency(_ rule: any CheckFrequencyRule) throws(CoreError) {
        try claim(rule.id)
        frequencies.append(rule)
    }

    /// Tightens the limits of a registered hygiene or safety rule. Throws when no such rule exists, when it has
    /// no adjustable limits, or when the override would loosen them.
    public mutating func tighten(_ override: LimitOverride) throws(CoreError) {
        guard ids.contains(override.rule) else { throw .unknownRule(override.rule) }
        if let index = hygiene.firstIndex(where: { $0.id == override.rule }) {
            hygiene[index] = try Self.adjust(hygiene[index], by: override)
        } else if let index = safety.firstIndex(where: { $0.id == override.rule }) {
            safety[index] = try Self.adjust(safety[index], by: override)
        } else {
            throw .notAdjustable(override.rule)
        }
    }

    /// Every check operators record, from both the hygiene and the safety slot.
    public var checks: [CheckDefinition] {
        (hygiene + safety).compactMap { $0 as? CheckDefinition }
    }

    /// The check with `id`, if one is registered.
    public func check(_ id: RuleID) -> CheckDefinition? { checks.first { $0.id == id } }

    /// Every finding the hygiene and safety rules raise for `event`, in registration order.
    /// A `tick` also raises a finding for every check that has become overdue.
    public func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        var findings = (hygiene + safety).flatMap { rule in
            var own = context
            own.records = context.records.restricted(to: rule.reads)
            return rule.evaluate(event, in: own)
        }
        if case .tick(let now) = event, let snapshot = context.snapshot {
            findings += overdueFindings(in: snapshot, now: now, timeZone: context.timeZone)
        }
        return findings
    }

    /// What switching `workCentre` from `previous` to `next` takes: forbidden if any rule forbids it, otherwise
    /// the longest required changeover, or nil when no rule concerns the pair.
    public func changeover(from previous: Product, to next: Product, on workCentre: String) -> Changeover? {
        var longest: Changeover?
        for rule in scheduling.changeovers {
            switch rule.changeover(from: previous, to: next, on: workCentre) {
            case .forbidden(let reason, let id)?: return .forbidden(reason: reason, rule: id)
            case .required(let duration, _, _)?:
                if case .required(let current, _, _)? = longest, current >= duration { continue }
                longest = rule.changeover(from: previous, to: next, on: workCentre)
            case nil: continue
            }
        }
        return longest
    }

    /// Every registered rule id with its slot and summary, sorted by id: what `takt site show` lists.
    public var catalogue: [(slot: String, id: RuleID, summary: String)] {
        var rows: [(slot: String, id: RuleID, summary: String)] = []
        rows += scheduling.changeovers.map { ("scheduling", $0.id, $0.summary) }
        rows += scheduling.maximumRuns.map { ("scheduling", $0.id, $0.summary) }
        rows += scheduling.eligibility.map { ("scheduling", $0.id, $0.summary) }
        rows += scheduling.clearances.map { ("scheduling", $0.id, $0.summary) }
        rows += hygiene.map { ("hygiene", $0.id, $0.summary) }
        rows += safety.map { ("safety", $0.id, $0.summary) }
        return rows.sorted { ($0.slot, $0.id) < ($1.slot, $1.id) }
    }

    private mutating func claim(_ id: RuleID) throws(CoreError) {
        guard ids.insert(id).inserted else { throw .duplicateRule(id) }
    }

    private static func adjust(_ rule: any EventRule, by override: LimitOverride) throws(CoreError) -> any EventRule {
        guard let adjustable = rule as? any LimitAdjustable else { throw .notAdjustable(override.rule) }
        return try adjustable.adjusted(by: override)
    }
}
