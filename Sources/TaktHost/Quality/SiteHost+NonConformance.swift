import Foundation
import TaktCore
import TaktStore

/// Non-conformance reports and their corrective and preventive actions (`NonConformance`): each step checked
/// against the site (staff, work centres, lots, findings) and the report's own state, then stored whole.
extension SiteHost {
    /// Opens a report. From a finding (`reference` its number), the lots it held and its work centre are taken
    /// from it when not given; from an incident, `reference` must name one; a complaint or an audit observation
    /// carries its own reference. The lots it names go on hold until its containment is recorded.
    public func openNonConformance(_ report: NonConformance) throws(HostError) -> NonConformance {
        var report = report
        try requireStaff(report.openedBy)
        try requireNotAhead(report.openedAt, "the report's time")
        report.description = report.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !report.description.isEmpty, report.description.count <= 4_000 else {
            throw .invalidInput("say what does not conform (1 to 4,000 characters)")
        }
        report.reference = report.reference?.trimmingCharacters(in: .whitespaces)
        if report.reference?.isEmpty == true { report.reference = nil }
        switch report.source {
        case .finding:
            guard let text = report.reference, let number = Int64(text.drop { $0 == "#" }) else {
                throw .invalidInput("a report opened from a finding names the finding's number (--finding)")
            }
            guard let finding = try stored({ () throws(StoreError) in try store.finding(number) }) else {
                throw .unknown(kind: "finding", id: String(number), known: [])
            }
            report.reference = String(number)
            if report.lots.isEmpty { report.lots = finding.actions.filter { $0.kind == .holdLot }.map(\.target) }
            if report.workCentre == nil, finding.subject.kind == .workCentre { report.workCentre = finding.subject.id }
        case .incident:
            guard let id = report.reference,
                try stored({ () throws(StoreError) in try store.incident(id) }) != nil
            else {
                throw .invalidInput("a report opened from an incident names an incident that was reported (--incident)")
            }
        case .complaint, .audit:
            guard let reference = report.reference, reference.count <= 200 else {
                throw .invalidInput(
                    "a report from a \(report.source.rawValue) names its reference, up to 200 characters (--reference)")
            }
        }
        try requireWorkCentre(report.workCentre)
        report.lots = Array(Set(report.lots.map { $0.trimmingCharacters(in: .whitespaces) })).sorted()
        guard report.lots.count <= 500 else { throw .invalidInput("a report names at most 500 lots") }
        report.id = ""
        report.status = .open
        let opened = report
        return try stored { () throws(StoreError) in try store.save(opened, isNew: true, at: opened.openedAt) }
    }

    /// Records the containment; a finding the report was opened from closes with it, and its lots may be released.
    public func contain(nonConformance id: String, _ text: String, by person: String, at now: Date) throws(HostError)
        -> NonConformance
    {
        try requireStaff(person)
        return try change(nonConformance: id, at: now) { (report) throws(NonConformance.Refusal) in
            try report.contain(text, by: person, at: now)
        }
    }

    /// Records the root cause: the whys, the last one the cause, and its fishbone category.
    public func recordRootCause(
        nonConformance id: String, whys: [String], category: NonConformance.CauseCategory, by person: String,
        at now: Date
    ) throws(HostError) -> NonConformance {
        try requireStaff(person)
        return try change(nonConformance: id, at: now) { (report) throws(NonConformance.Refusal) in
            try report.recordRootCause(whys: whys, category: category, by: person, at: now)
        }
    }

    /// Adds a corrective or preventive action owned by a staff member, due by the end of `due`.
    public func addAction(
        nonConformance id: String, kind: NonConformance.Action.Kind, description: String, owner: String,
        due: LocalDate, verifyAfterDays: Int, at now: Date
    ) throws(HostError) -> NonConformance {
        guard definition.staff[owner] != nil else {
            throw .unknown(kind: "staff member (the action's owner)", id: owner, known: Array(definition.staff.keys))
        }
        let zone = definition.timeZone
        return try change(nonConformance: id, at: now) { (report) throws(NonConformance.Refusal) in
            try report.addAction(
                kind: kind, description: description, owner: owner, due: due, verifyAfterDays: verifyAfterDays,
                at: now, in: zone)
        }
    }

    /// Marks an action done, saying what was done.
    public func completeAction(nonConformance id: String, action: Int, by person: String, note: String, at now: Date)
        throws(HostError) -> NonConformance
    {
        try requireStaff(person)
        return try change(nonConformance: id, at: now) { (report) throws(NonConformance.Refusal) in
            try report.complete(action: action, by: person, note: note, at: now)
        }
    }

    /// Records whether a done action worked; by someone other than its owner and who did it, after its wait.
    public func verifyAction(
        nonConformance id: String, action: Int, by person: String, effective: Bool, note: String, at now: Date
    ) throws(HostError) -> NonConformance {
        try requireStaff(person)
        return try change(nonConformance: id, at: now) { (report) throws(NonConformance.Refusal) in
            try report.verify(action: action, by: person, effective: effective, note: note, at: now)
        }
    }

    /// Closes a report whose containment, root cause and verified actions are all recorded.
    public func closeNonConformance(_ id: String, by person: String, at now: Date) throws(HostError) -> NonConformance {
        try requireStaff(person)
        return try change(nonConformance: id, at: now) { (report) throws(NonConformance.Refusal) in
            try report.close(by: person, at: now)
        }
    }

    /// Reports, newest first; only those not closed with `openOnly`.
    public func nonConformances(openOnly: Bool = false) throws(HostError) -> [NonConformance] {
        try stored { () throws(StoreError) in try store.nonConformances(openOnly: openOnly) }
    }

    /// One report, or an error naming the open ones.
    public func nonConformance(_ id: String) throws(HostError) -> NonConformance {
        guard let report = try stored({ () throws(StoreError) in try store.nonConformance(id) }) else {
            throw .unknown(
                kind: "non-conformance report", id: id, known: try nonConformances(openOnly: true).map(\.id))
        }
        return report
    }

    /// The findings the open reports' late actions raise at `now` (the sweep stores them once each).
    func capaFindings(at now: Date) throws(HostError) -> [Finding] {
        let zone = definition.timeZone
        return try nonConformances(openOnly: true).flatMap { $0.overdueFindings(at: now, in: zone) }
    }

    /// Quality and safety as central compares it, counted to the start of the site's day at `now`.
    public func qualityStatus(at now: Date) throws(HostError) -> QualityStatus {
        let zone = definition.timeZone
        let today = LocalDate(now, in: zone)
        let dayStart = today.instant(in: zone)
        let month = DateInterval(start: today.adding(days: -30).instant(in: zone), end: dayStart)
        let year = DateInterval(start: today.adding(days: -365).instant(in: zone), end: dayStart)
        let incidents = Dictionary(grouping: try self.incidents(in: month), by: \.kind).mapValues(\.count)
        let injuries = try lostTimeInjuryFrequency(in: year)
        return QualityStatus(
            reports: try nonConformances(openOnly: true), at: now, in: zone, incidents: incidents,
            lostTimeInjuries: injuries.injuries, hoursWorked: injuries.hours, risks: try riskAssessments(),
            permits: try permits(openOnly: true),
            alerts: try stored { () throws(StoreError) in try store.alertCounts() },
            charts: try definition.charts.map { charted throws(HostError) in
                let report = try controlChart(check: charted.check, workCentre: charted.workCentre, points: 30, at: now)
                return QualityStatus.Chart(
                    check: report.check, name: report.name, unit: report.unit, workCentre: report.workCentre,
                    chart: report.chart, points: report.readings.map { .init(at: $0.at, value: $0.value) },
                    signals: report.signals, cpk: report.cpk, limits: report.limits)
            })
    }

    private func change(
        nonConformance id: String, at now: Date,
        _ body: (inout NonConformance) throws(NonConformance.Refusal) -> Void
    ) throws(HostError) -> NonConformance {
        try requireNotAhead(now, "the time")
        var report = try nonConformance(id)
        do { try body(&report) } catch { throw .invalidInput(error.description) }
        let changed = report
        return try stored { () throws(StoreError) in try store.save(changed, isNew: false, at: now) }
    }
}
