import Foundation
import TaktCore
import TaktScheduling
import TaktStore

/// Permits to work: issued, accepted by someone else, suspended and resumed, closed. Accepting one that isolates
/// energy needs the lock-out recorded on the asset first, where the site's modules name a lock-out check; while a
/// permit is open its window is closed time on the asset for the scheduler.
extension SiteHost {
    /// Issues a permit. Refused, naming every problem and writing nothing: an unknown asset, issuer or work order,
    /// no precautions, isolation work without isolation points, a window that ends before it starts or runs over
    /// 24 hours, or one that overlaps another open permit of the same kind on the asset.
    public func issue(_ permit: PermitToWork) throws(HostError) -> PermitToWork {
        var permit = permit
        try requireStaff(permit.issuedBy)
        try requireWorkCentre(permit.asset)
        try requireNotAhead(permit.issuedAt, "the permit's time")
        guard permit.asset.isEmpty == false else { throw .invalidInput("name the asset (--asset)") }
        permit.description = permit.description.trimmingCharacters(in: .whitespacesAndNewlines)
        permit.precautions = permit.precautions.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        permit.isolations = permit.isolations.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var problems = permit.problems
        if let order = permit.workOrder {
            if let found = try stored({ () throws(StoreError) in try store.workOrder(order) }) {
                if found.asset != permit.asset {
                    problems.append("work order \(order) is on \(found.asset), not \(permit.asset)")
                }
            } else {
                problems.append("there is no work order \(order)")
            }
        }
        let clash = try permits(openOnly: true).first {
            $0.asset == permit.asset && $0.kind == permit.kind && $0.from < permit.to && permit.from < $0.to
        }
        if let clash { problems.append("\(clash.id) already permits \(clash.kind.rawValue) on \(permit.asset) then") }
        for text in [permit.description] + permit.precautions + permit.isolations where text.count > 2_000 {
            problems.append("'\(text.prefix(40))…' is longer than 2,000 characters")
        }
        guard problems.isEmpty else { throw .refused(problems) }
        permit.id = ""
        permit.status = .issued
        let issued = permit
        return try stored { () throws(StoreError) in try store.save(issued, isNew: true, at: issued.issuedAt) }
    }

    /// The person who will do the work accepts the permit: not its issuer, within its window, and — for work that
    /// isolates energy where a lock-out check is named — after a passing lock-out reading on the asset since issue.
    public func accept(permit id: String, by person: String, at now: Date) throws(HostError) -> PermitToWork {
        try requireStaff(person)
        var permit = try permit(id)
        guard permit.status == .issued else { throw .invalidInput("permit \(id) is \(permit.status.rawValue)") }
        guard person != permit.issuedBy else {
            throw .invalidInput("\(person) issued permit \(id); the person doing the work accepts it")
        }
        guard now <= permit.to else {
            throw .invalidInput("permit \(id) ended at \(Instant.iso(permit.to)); issue a new one")
        }
        if permit.kind.requiresIsolation || !permit.isolations.isEmpty {
            permit.lockedOutAt = try lockOut(on: permit.asset, since: permit.issuedAt, until: now, for: "permit \(id)")
        }
        permit.status = .accepted
        permit.acceptedBy = person
        permit.acceptedAt = now
        return try save(permit, at: now)
    }

    /// Suspends accepted work (a gas alarm, a change of shift), saying why; `resume` lets it go on.
    public func suspend(permit id: String, reason: String, by person: String, at now: Date) throws(HostError)
        -> PermitToWork
    {
        try requireStaff(person)
        var permit = try permit(id)
        guard permit.status == .accepted else {
            throw .invalidInput("permit \(id) is \(permit.status.rawValue), not accepted")
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 2_000 else { throw .invalidInput("say why the work is suspended") }
        permit.status = .suspended
        permit.suspendedReason = reason
        return try save(permit, at: now)
    }

    public func resume(permit id: String, by person: String, at now: Date) throws(HostError) -> PermitToWork {
        try requireStaff(person)
        var permit = try permit(id)
        guard permit.status == .suspended else {
            throw .invalidInput("permit \(id) is \(permit.status.rawValue), not suspended")
        }
        guard now <= permit.to else {
            throw .invalidInput("permit \(id) ended at \(Instant.iso(permit.to)); issue a new one")
        }
        permit.status = .accepted
        return try save(permit, at: now)
    }

    /// Closes the permit: the work is done or abandoned, the isolations removed and the area safe. Refused while
    /// the work order it covers is still in progress.
    public func close(permit id: String, by person: String, note: String, at now: Date) throws(HostError)
        -> PermitToWork
    {
        try requireStaff(person)
        var permit = try permit(id)
        guard permit.status != .closed else {
            throw .invalidInput("permit \(id) was already closed by \(permit.closedBy ?? "?")")
        }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= 2_000 else {
            throw .invalidInput("say how the area was left (isolations removed, area safe) (--note)")
        }
        if let order = permit.workOrder,
            let found = try stored({ () throws(StoreError) in try store.workOrder(order) }),
            found.status == .inProgress
        {
            throw .invalidInput(
                "work order \(order) is still in progress; complete it or stop work before closing \(id)")
        }
        permit.status = .closed
        permit.closedBy = person
        permit.closedAt = now
        permit.closingNote = note
        return try save(permit, at: now)
    }

    /// Permits, newest first; only open ones with `openOnly`.
    public func permits(openOnly: Bool = false) throws(HostError) -> [PermitToWork] {
        try stored { () throws(StoreError) in try store.permits(openOnly: openOnly) }
    }

    public func permit(_ id: String) throws(HostError) -> PermitToWork {
        guard let permit = try permits().first(where: { $0.id == id }) else {
            throw .unknown(kind: "permit", id: id, known: try permits(openOnly: true).map(\.id))
        }
        return permit
    }

    /// Open permits overlapping `from` + `horizon`, as closed time on their assets.
    func permitOutages(from: Date, horizon: TimeSpan) throws(HostError) -> [PlantProblemBuilder.Outage] {
        let end = from.addingTimeInterval(TimeInterval(horizon.seconds))
        return try permits(openOnly: true).filter { $0.to > from && $0.from < end }.map {
            PlantProblemBuilder.Outage(
                workCentre: $0.asset, from: max($0.from, from), to: min($0.to, end),
                reason:
                    "permit \($0.id) (\($0.kind.rawValue.replacingOccurrences(of: "_", with: " "))): \($0.description)")
        }
    }

    /// Findings for open permits past their window (the sweep stores each once).
    func permitFindings(at now: Date) throws(HostError) -> [Finding] {
        try permits(openOnly: true).compactMap { $0.overrunFinding(at: now) }
    }

    private func save(_ permit: PermitToWork, at now: Date) throws(HostError) -> PermitToWork {
        try requireNotAhead(now, "the time")
        return try stored { () throws(StoreError) in try store.save(permit, isNew: false, at: now) }
    }

    /// The time of the latest passing lock-out reading on `asset` in `since...until`, where the site names a lock-out
    /// check; nil when it names none. Refused when one is required and missing.
    func lockOut(on asset: String, since: Date, until: Date, for what: String) throws(HostError) -> Date? {
        guard let lockOut = definition.rules.lockOutCheck, let check = definition.rules.check(lockOut) else {
            return nil
        }
        let readings = try stored { () throws(StoreError) in try store.readings(of: lockOut, limit: 500) }
        let passing = readings.last {
            $0.workCentre == asset && $0.at >= since && $0.at <= until
                && check.limits(on: LocalDate($0.at, in: definition.timeZone)).within($0.value)
        }
        guard let passing else {
            throw .refused([
                "\(lockOut): lock out and tag \(asset) and record it first "
                    + "(takt check record --check \(lockOut) --work-centre \(asset) --value pass --by STAFF); "
                    + "\(what) cannot go ahead before"
            ])
        }
        return passing.at
    }
}
