import Foundation

/// Something that happened at the site and that hygiene and safety rules judge.
public enum SiteEvent: Hashable, Sendable {
    case reading(CheckReading)
    case incident(Incident)

    /// When it happened.
    public var at: Date {
        switch self {
        case .reading(let reading): return reading.at
        case .incident(let incident): return incident.at
        }
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

    public init(
        site: Site, timeZone: TimeZone, now: Date, staff: [String: Staff] = [:], lot: Lot? = nil,
        history: [CheckReading] = []
    ) {
        self.site = site
        self.timeZone = timeZone
        self.now = now
        self.staff = staff
        self.lot = lot
        self.history = history
    }

    /// The site-local date of `now`: certificates expire by local date.
    public var today: LocalDate { LocalDate(now, in: timeZone) }
}
