import Foundation

extension RuleBook {
    /// A check that is due at a work centre: when it was last recorded and when it is due next.
    public struct CheckDue: Hashable, Sendable, Codable {
        public var check: RuleID
        public var name: String
        public var workCentre: String?
        public var lastRecorded: Date?
        public var due: Date
        public var overdue: Bool
    }

    /// Every check with a frequency, per work centre it covers, with when it is due at `now`. A check never
    /// recorded is due one interval after `since` (when the site's database began).
    public func checksDue(lastReadings: [RuleID: [String: Date]], since: Date, now: Date) -> [CheckDue] {
        checks.flatMap { check -> [CheckDue] in
            guard let every = check.every else { return [] }
            let byPlace = lastReadings[check.id] ?? [:]
            let places: [String?] = check.workCentres.isEmpty ? [nil] : check.workCentres
            return places.map { place in
                let last = place.map { byPlace[$0] } ?? byPlace.values.max()
                let due = (last ?? since).addingTimeInterval(TimeInterval(every.seconds))
                return CheckDue(
                    check: check.id, name: check.name, workCentre: place, lastRecorded: last, due: due,
                    overdue: now > due)
            }
        }
    }

    /// A finding for each check that is overdue at `now`; each missed due time is raised once (its key).
    /// Times in the message are in the site's zone, named; the key keeps UTC so it never changes.
    func overdueFindings(in snapshot: SiteSnapshot, now: Date, timeZone: TimeZone) -> [Finding] {
        checksDue(lastReadings: snapshot.lastReadings, since: snapshot.since, now: now).filter(\.overdue).map { due in
            let place = due.workCentre.map { " at \($0)" } ?? ""
            let last = due.lastRecorded.map { "last recorded \(Instant.format($0, in: timeZone))" } ?? "never recorded"
            let check = self.check(due.check)
            return Finding(
                rule: due.check, severity: .major,
                subject: due.workCentre.map { .init(.workCentre, $0) } ?? .init(.check, due.check.rawValue),
                message:
                    "\(due.name)\(place) is overdue since \(Instant.format(due.due, in: timeZone)) (\(last); every \(check?.every?.description ?? "?"))",
                actions: [FindingAction(.correctiveAction, "record the check now and find out why it was missed")],
                raisedAt: now, key: "overdue:\(due.check):\(due.workCentre ?? ""):\(Instant.iso(due.due))")
        }
    }
}
