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
            let frequency = frequencies.first { $0.checks.contains(check.id) }
            guard frequency != nil || check.every != nil else { return [] }
            let byPlace = lastReadings[check.id] ?? [:]
            let places: [String?] = check.workCentres.isEmpty ? [nil] : check.workCentres
            return places.compactMap { place in
                let last = place.map { byPlace[$0] } ?? byPlace.values.max()
                // A frequency rule speaks first; the check's own `every` otherwise.
                let every: TimeSpan
                switch frequency?.interval(of: check.id, after: last ?? since) {
                case .after(let span)?: every = span
                case .notDue?: return nil
                case nil:
                    guard let own = check.every else { return nil }
                    every = own
                }
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
            let since = Instant.format(due.due, in: timeZone)
            let every = TimeSpan(seconds: Int(due.due.timeIntervalSince(due.lastRecorded ?? snapshot.since)))
                .description
            let recorded = due.lastRecorded.map { Instant.format($0, in: timeZone) }
            let name = { (locale: SiteLocale) in check?.translations[locale.rawValue]?.name ?? due.name }
            return Finding(
                rule: due.check, severity: .major,
                subject: due.workCentre.map { .init(.workCentre, $0) } ?? .init(.check, due.check.rawValue),
                message: "\(due.name)\(place) is overdue since \(since) (\(last); every \(every))",
                actions: [FindingAction(.correctiveAction, "record the check now and find out why it was missed")],
                raisedAt: now, key: "overdue:\(due.check):\(due.workCentre ?? ""):\(Instant.iso(due.due))"
            )
            .translated([
                .spanish: (
                    "\(name(.spanish))\(due.workCentre.map { " en \($0)" } ?? "") está vencido desde \(since) ("
                        + (recorded.map { "último registro \($0)" } ?? "nunca registrado") + "; cada \(every))",
                    "registre el control ahora y averigüe por qué se omitió"
                ),
                .malay: (
                    "\(name(.malay))\(due.workCentre.map { " di \($0)" } ?? "") lewat sejak \(since) ("
                        + (recorded.map { "direkod terakhir \($0)" } ?? "tidak pernah direkod") + "; setiap \(every))",
                    "rekod pemeriksaan sekarang dan cari sebab ia terlepas"
                ),
            ])
        }
    }
}
