import Foundation
import TaktCore
import TaktStore

/// Incidents: an injury, a near miss, a dangerous occurrence, an environmental or food-safety event, judged by
/// the rules of the law where the site is (which must be reported to whom, by when).
extension SiteHost {
    /// Records an incident (its id the next `INC-n` when empty) and the findings the rules raise for it: a
    /// reportable one gets a finding with the authority and the deadline. Refused, with nothing written, for an
    /// unknown kind, a time ahead of the clock, an unknown work centre or staff member, or days lost without an
    /// injury.
    public func report(_ incident: Incident) throws(HostError) -> (incident: Incident, findings: [Finding]) {
        var incident = try validated(incident)
        incident.corrects = nil
        incident.correctedAt = nil
        incident.root = nil
        incident.id = incident.id.trimmingCharacters(in: .whitespaces)
        // Numbered by the store in its transaction (an empty id), then judged by the rules with that id.
        let rules = definition.rules
        let context = try context(at: incident.at)
        let reported = incident
        return try stored { () throws(StoreError) in
            try store.record(reported) { numbered in rules.evaluate(.incident(numbered), in: context) }
        }
    }

    /// Corrects incident `id` — the outcome became known, the days lost grew — as a new record that references it;
    /// the record corrected stays as it was. `change` edits a copy of the incident as it stands; the time, kind and
    /// place of the accident stay. The rules judge the corrected incident, so an injury that turns out to keep
    /// someone off work for more than 7 days gets its RIDDOR finding, with the deadline counted from the accident.
    /// Refused, writing nothing, for a correction that changes nothing, or of a record already corrected.
    public func correct(
        incident id: String, by person: String, at now: Date, _ change: (inout Incident) -> Void
    ) throws(HostError) -> (incident: Incident, findings: [Finding]) {
        try requireStaff(person)
        try requireNotAhead(now, "the correction's time")
        guard let current = try stored({ () throws(StoreError) in try store.incident(id) }) else {
            throw .unknown(kind: "incident", id: id, known: [])
        }
        var corrected = current
        change(&corrected)
        corrected.kind = current.kind
        corrected.at = current.at
        corrected.workCentre = current.workCentre
        guard corrected != current else { throw .invalidInput("the correction changes nothing in incident \(id)") }
        corrected = try validated(corrected)
        corrected.corrects = current.id
        corrected.correctedAt = now
        corrected.reportedBy = person
        let rules = definition.rules
        let context = try context(at: now)
        let correction = corrected
        return try stored { () throws(StoreError) in
            try store.recordCorrection(correction) { numbered in rules.evaluate(.incident(numbered), in: context) }
        }
    }

    /// The incident checked and tidied as `report` and `correct` store it.
    private func validated(_ incident: Incident) throws(HostError) -> Incident {
        var incident = incident
        guard Incident.kinds.contains(incident.kind) else {
            throw .unknown(kind: "incident kind", id: incident.kind, known: Incident.kinds)
        }
        incident.description = incident.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !incident.description.isEmpty, incident.description.count <= 4_000 else {
            throw .invalidInput("say what happened (1 to 4,000 characters)")
        }
        try requireNotAhead(incident.at, "the incident's time")
        try requireWorkCentre(incident.workCentre)
        try requireStaff(incident.reportedBy)
        if let days = incident.daysLost {
            guard days >= 0, days < 3_650 else { throw .invalidInput("days lost must be 0 or more") }
            guard incident.kind == "injury" else { throw .invalidInput("days lost belong to an injury") }
        }
        if incident.outcome != nil, incident.kind != "injury" {
            throw .invalidInput("an outcome (first aid, lost time …) belongs to an injury")
        }
        if (incident.daysLost ?? 0) > 0, [nil, Incident.Outcome.none, .firstAid].contains(incident.outcome) {
            incident.outcome = .lostTime
        }
        return incident
    }

    /// Incidents in `window`, oldest first.
    public func incidents(in window: DateInterval) throws(HostError) -> [Incident] {
        try stored { () throws(StoreError) in try store.incidents(in: window) }
    }

    /// The lost-time injury frequency rate over `window`: injuries that cost at least a day (or worse) per million
    /// hours worked, the hours from the roster. Nil when nobody was rostered.
    public func lostTimeInjuryFrequency(in window: DateInterval) throws(HostError) -> (
        rate: Double?, injuries: Int, hours: Double
    ) {
        let injuries = try incidents(in: window).filter {
            $0.kind == "injury" && [.lostTime, .specified, .fatal].contains($0.outcome ?? .none)
        }.count
        let roster = try stored { () throws(StoreError) in try store.roster(in: window) }
        let hours =
            roster.map { max(0, $0.end.timeIntervalSince($0.start) - Double($0.breakTime.seconds)) }.reduce(0, +) / 3600
        return (hours > 0 ? Double(injuries) * 1_000_000 / hours : nil, injuries, hours)
    }
}
