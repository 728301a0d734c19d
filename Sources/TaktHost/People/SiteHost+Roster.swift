import Foundation
import TaktCore
import TaktStore

/// The roster: entries added one by one, generated from a rotating pattern, swapped, covered or added as overtime —
/// every change checked against the working-time rules and the work centre's clearance before anything is written.
extension SiteHost {
    /// Adds a roster entry after the working-time rules have accepted it; refuses it, naming each broken rule,
    /// otherwise.
    public func assign(_ assignment: ShiftAssignment, at now: Date) throws(HostError) {
        try requireSingle(assignment)
        let problems = try rosterProblems(adding: [assignment])
        guard problems.isEmpty else { throw .refused(problems) }
        try stored { () throws(StoreError) in try store.addAssignment(assignment, at: now) }
    }

    /// Adds overtime: an extra shift the person asked for or agreed to, judged like any other entry.
    public func addOvertime(_ assignment: ShiftAssignment, at now: Date) throws(HostError) {
        try requireSingle(assignment)
        let problems = try rosterProblems(adding: [assignment])
        guard problems.isEmpty else { throw .refused(problems) }
        try stored { () throws(StoreError) in try store.addAssignments([assignment], note: "overtime", at: now) }
    }

    /// One entry's plain errors, as input errors: an unknown person or work centre, a shift that ends before it
    /// starts, an overlap with the person's roster.
    func requireSingle(_ entry: ShiftAssignment) throws(HostError) {
        try requireStaff(entry.staff)
        try requireWorkCentre(entry.workCentre)
        guard entry.end > entry.start else { throw .invalidInput("a shift must end after it starts") }
        let overlapping = try stored { () throws(StoreError) in
            try store.assignments(of: entry.staff, in: DateInterval(start: entry.start, end: entry.end))
        }
        if overlapping.contains(where: { $0.start < entry.end && entry.start < $0.end }) {
            throw .invalidInput("\(entry.staff) is already rostered in that time")
        }
    }

    /// What is wrong with adding `entries` (and cancelling `removing`) to the stored roster: unknown people or
    /// work centres, a shift that does not end after it starts, someone rostered twice at once, a work centre's
    /// clearance not met, and every working-time rule broken — each naming the person and the rule. Empty when the
    /// change may be saved.
    public func rosterProblems(adding entries: [ShiftAssignment], removing: [ShiftAssignment] = [])
        throws(HostError) -> [String]
    {
        var problems: [String] = []
        let reach = Double(definition.rules.rosterReach.seconds)
        // One context for the batch (the people as the store knows them: assessments and certificates cannot be
        // dated ahead of today), moved to each entry's start.
        let base = try context(at: clock())
        let people = base.staff
        var accepted: [String: [ShiftAssignment]] = [:]
        // One entry's refusals read as before: the rule and its message; a batch names the entry too.
        let named = entries.count > 1 || !removing.isEmpty
        for entry in entries.sorted(by: { ($0.start, $0.staff) < ($1.start, $1.staff) }) {
            let when = Instant.format(entry.start, in: definition.timeZone)
            let label = named ? "\(entry.staff) at \(when): " : ""
            guard let staff = people[entry.staff] else {
                problems.append(
                    "unknown staff member '\(entry.staff)' (known: \(definition.staff.keys.sorted().joined(separator: ", ")))"
                )
                continue
            }
            if let centre = entry.workCentre, !definition.workCentres.contains(where: { $0.id == centre }) {
                problems.append("\(entry.staff) at \(when): unknown work centre '\(centre)'")
                continue
            }
            guard entry.end > entry.start else {
                problems.append("\(entry.staff) at \(when): a shift must end after it starts")
                continue
            }
            let window = DateInterval(
                start: entry.start.addingTimeInterval(-reach), end: entry.end.addingTimeInterval(reach))
            var context = base
            context.now = entry.start
            let stored = try stored { () throws(StoreError) in try store.assignments(of: entry.staff, in: window) }
                .filter { kept in
                    !removing.contains { $0.staff == kept.staff && $0.start == kept.start && $0.end == kept.end }
                }
            context.assignments = (stored + (accepted[entry.staff] ?? [])).sorted { $0.start < $1.start }
            if context.assignments.contains(where: { $0.start < entry.end && entry.start < $0.end }) {
                problems.append(
                    "\(entry.staff) is already rostered at \(when): a person cannot be in two shifts at once")
                continue
            }
            // The same clearance as `takt staff clearance`, on every day the shift touches: skills and certificates
            // (personal tests such as ESD are taken at the start of the shift, so they are not judged here).
            if let centre = entry.workCentre {
                let days = Set(
                    [entry.start, entry.end.addingTimeInterval(-1)].map { LocalDate($0, in: definition.timeZone) }
                ).sorted()
                for rule in definition.rules.scheduling.eligibility where rule.workCentres.contains(centre) {
                    for day in days where !rule.admits(staff, on: day) {
                        problems.append("\(label)\(rule.id): \(rule.summary) (not met on \(day))")
                    }
                }
            }
            let findings = definition.rules.evaluate(.assignment(entry), in: context)
            problems += findings.map { "\(label)\($0.rule): \($0.message)" }
            accepted[entry.staff, default: []].append(entry)
        }
        return problems
    }

    /// Rosters `teams` (staff ids per team, as many teams as the pattern has) on `pattern` from `from` for `days`
    /// days: the whole roster is checked first and saved only when every entry passes; otherwise refused naming
    /// each entry and the rule it breaks. Returns the entries saved.
    @discardableResult
    public func generateRoster(
        pattern id: String, teams: [[String]], from: LocalDate, days: Int, workCentre: String? = nil,
        at now: Date
    ) throws(HostError) -> [ShiftAssignment] {
        guard let pattern = definition.people.pattern(id) else {
            let known = (Array(ShiftPattern.builtIn.keys) + definition.people.patterns.map(\.id)).sorted()
            throw .unknown(kind: "shift pattern", id: id, known: known)
        }
        let problems = pattern.problems
        guard problems.isEmpty else { throw .invalidInput("pattern \(id): " + problems.joined(separator: "; ")) }
        guard teams.count == pattern.teams else {
            throw .invalidInput(
                "pattern \(id) is worked by \(pattern.teams) teams; \(teams.count) were given (--team once per team)")
        }
        guard (1...366).contains(days) else { throw .invalidInput("--days must be between 1 and 366, not \(days)") }
        let everyone = teams.flatMap { $0 }
        guard !everyone.isEmpty else { throw .invalidInput("name the people of each team") }
        if let twice = Dictionary(grouping: everyone, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw .invalidInput("\(twice) is in more than one team: a person cannot work two shifts at once")
        }
        for (index, team) in teams.enumerated() where team.isEmpty {
            throw .invalidInput("team \(index + 1) has nobody in it")
        }
        var entries = pattern.assignments(teams: teams, from: from, days: days, timeZone: definition.timeZone)
        if let workCentre { for index in entries.indices { entries[index].workCentre = workCentre } }
        let refused = try rosterProblems(adding: entries)
        guard refused.isEmpty else {
            throw .refused(["the \(id) roster breaks the site's rules; nothing was saved:"] + refused)
        }
        try stored { () throws(StoreError) in try store.addAssignments(entries, note: "pattern \(id)", at: now) }
        return entries
    }

    /// Swaps shifts: `staff`'s shift starting on `day` goes to `other`; when `theirs` is given, `other`'s shift
    /// starting that day goes to `staff` (a two-way swap), otherwise `other` covers. Both people's rosters are
    /// checked as they would be after the change; nothing changes unless both pass.
    @discardableResult
    public func swapShift(
        of staff: String, on day: LocalDate, with other: String, theirs: LocalDate? = nil, at now: Date
    ) throws(HostError) -> (removed: [ShiftAssignment], added: [ShiftAssignment]) {
        try requireStaff(staff)
        try requireStaff(other)
        guard staff != other else { throw .invalidInput("a swap needs two different people") }
        func shift(of person: String, on day: LocalDate) throws(HostError) -> ShiftAssignment {
            let start = day.instant(in: definition.timeZone)
            let dayWindow = DateInterval(start: start, end: day.adding(days: 1).instant(in: definition.timeZone))
            let found = try stored { () throws(StoreError) in try store.assignments(of: person, in: dayWindow) }
                .filter { dayWindow.contains($0.start) }
            guard let first = found.first else {
                throw .invalidInput("\(person) has no shift starting on \(day) to swap")
            }
            return first
        }
        let mine = try shift(of: staff, on: day)
        var removed = [mine]
        var added = [
            ShiftAssignment(
                staff: other, start: mine.start, end: mine.end, breakTime: mine.breakTime, workCentre: mine.workCentre)
        ]
        if let theirs {
            let their = try shift(of: other, on: theirs)
            removed.append(their)
            added.append(
                ShiftAssignment(
                    staff: staff, start: their.start, end: their.end, breakTime: their.breakTime,
                    workCentre: their.workCentre))
        }
        let problems = try rosterProblems(adding: added, removing: removed)
        guard problems.isEmpty else {
            throw .refused(["the swap breaks the site's rules; nothing changed:"] + problems)
        }
        let note =
            theirs == nil ? "\(other) covers \(staff) on \(day)" : "\(staff) and \(other) swap \(day) and \(theirs!)"
        try stored { () throws(StoreError) in try store.changeRoster(remove: removed, add: added, note: note, at: now) }
        return (removed, added)
    }
}
