import Foundation

/// Something that happened at the site and that hygiene and safety rules judge.
public enum SiteEvent: Hashable, Sendable {
    case reading(CheckReading)
    case incident(Incident)
    /// A module record being written (a reel taken out of dry storage); rules read it with
    /// ``RecordEvent/value(as:)``.
    case record(RecordEvent)
    /// A roster entry someone wants to add: rules that find a problem refuse it.
    case assignment(ShiftAssignment)
    case issue(LotIssue)
    /// The clock reached this instant: rules look for what became overdue or expired (`RuleContext.snapshot`).
    case tick(Date)

    /// When it happened.
    public var at: Date {
        switch self {
        case .reading(let reading): return reading.at
        case .incident(let incident): return incident.at
        case .record(let event): return event.at
        case .assignment(let assignment): return assignment.start
        case .issue(let issue): return issue.at
        case .tick(let instant): return instant
        }
    }
}

/// The site's state as a `tick` sees it: what may have become overdue or expired.
public struct SiteSnapshot: Sendable {
    /// Lots that are released (not held or rejected).
    public var releasedLots: [Lot]
    /// The latest reading of each check, keyed by check id and then work centre (`""` for none).
    public var lastReadings: [RuleID: [String: Date]]
    /// When the site's database began, so a check never recorded is due from then.
    public var since: Date
    /// The readings of the last `SiteSnapshot.recentHours` hours, oldest first, for rules whose deadlines run
    /// from a reading (cooling: 21 °C within 2 h of the start) and must be raised by the clock when nobody
    /// records again.
    public var recentReadings: [CheckReading]
    /// Each instrument's latest calibration.
    public var calibrations: [String: Calibration]

    /// How far back `recentReadings` reaches.
    public static let recentHours = 24

    public init(
        releasedLots: [Lot] = [], lastReadings: [RuleID: [String: Date]] = [:], since: Date,
        recentReadings: [CheckReading] = [], calibrations: [String: Calibration] = [:]
    ) {
        self.calibrations = calibrations
        self.releasedLots = releasedLots
        self.lastReadings = lastReadings
        self.since = since
        self.recentReadings = recentReadings
    }
}

/// Everything a rule may look at while it judges one event. Rules are pure: the clock and the site's state
/// come in here, so the same context always gives the same findings.
public struct RuleContext: Sendable {
    public var site: Site
    public var timeZone: TimeZone
    /// The instant of evaluation (the event's time for recorded events).
    public var now: Date
    public var staff: [String: Staff]
    /// The lot named on the event, as it is before the event.
    public var lot: Lot?
    /// Earlier readings of the same check (and the same lot, when the event names one), oldest first.
    public var history: [CheckReading]
    /// The module records the rule declared it reads (``EventRule/reads``), as they are before the event.
    public var records: ModuleRecords
    /// The same person's other roster entries around an assignment (about five weeks back and ahead).
    public var assignments: [ShiftAssignment]
    /// Released lots of the same product as an issued lot, for first-expiry-first-out.
    public var stock: [Lot]
    /// The site's state, for `tick` events.
    public var snapshot: SiteSnapshot?
    /// The latest calibration, at or before the reading, of the instrument a reading names.
    public var calibration: Calibration?
    /// The site's products, with what their ingredients bring (for rules about labels and recipes).
    public var products: [String: Product] = [:]

    public init(
        site: Site, timeZone: TimeZone, now: Date, staff: [String: Staff] = [:], lot: Lot? = nil,
        history: [CheckReading] = [], records: ModuleRecords = ModuleRecords(), assignments: [ShiftAssignment] = [],
        stock: [Lot] = [],
        snapshot: SiteSnapshot? = nil
    ) {
        self.site = site
        self.timeZone = timeZone
        self.now = now
        self.staff = staff
        self.lot = lot
        self.history = history
        self.records = records
        self.assignments = assignments
        self.stock = stock
        self.snapshot = snapshot
    }

    /// The site-local date of `now`: certificates expire by local date.
    public var today: LocalDate { LocalDate(now, in: timeZone) }
}
