import Foundation
import TaktCore

/// Which incidents the law where the site is says must be reported to the authority, and by when. A reportable
/// incident raises a finding that names the authority, the regulation and the deadline.
///
/// - Great Britain, RIDDOR 2013: a death or specified injury (reg. 4(1), 6) and a dangerous occurrence (reg. 7)
///   are notified by the quickest practicable means without delay and reported within 10 days (reg. 4(1)(b)); an
///   injury that keeps the person from their normal work for more than seven consecutive days, not counting the
///   day of the accident, within 15 days of the accident (reg. 4(2)).
/// - Mexico, Ley Federal del Trabajo art. 504 fr. V: every work accident is notified in writing to the STPS
///   (and the labour inspector) within 72 hours.
/// - Malaysia, OSH (Notification of Accident, Dangerous Occurrence, Occupational Poisoning and Occupational
///   Diseases) Regulations 2004, regs. 5–6: a death, serious bodily injury or dangerous occurrence is notified to
///   the nearest DOSH office by the quickest means at once and in writing (JKKP 6) within 7 days; an injury that
///   keeps the person from work for more than 4 calendar days, in writing within 7 days.
///
/// The EU and Ireland are not judged yet.
struct IncidentReportingRule: EventRule {
    let id: RuleID
    let country: WorkingTimeProfile.Country
    var summary: String {
        switch country {
        case .uk: return "reportable incidents under RIDDOR 2013 get a finding with the deadline to report to the HSE"
        case .mexico: return "work accidents get a finding with the 72-hour deadline to notify the STPS (LFT art. 504)"
        case .malaysia:
            return "reportable incidents under NADOPOD 2004 get a finding with the deadline to report to DOSH"
        default: return "incident reporting"
        }
    }

    /// Why the incident is reportable, the deadline after it, and whether it must also be notified at once.
    func reportable(_ incident: Incident) -> (why: String, within: TimeInterval, atOnce: Bool, authority: String)? {
        let days = 86_400.0
        let serious = incident.outcome == .fatal || incident.outcome == .specified
        let lost = incident.daysLost ?? 0
        switch country {
        case .uk:
            if serious || incident.kind == "dangerous_occurrence" {
                let what =
                    incident.kind == "dangerous_occurrence"
                    ? "a dangerous occurrence (RIDDOR 2013 reg. 7)"
                    : incident.outcome == .fatal
                        ? "a death (RIDDOR 2013 reg. 6)" : "a specified injury (RIDDOR 2013 reg. 4(1))"
                return (what, 10 * days, true, "the HSE")
            }
            if incident.kind == "injury", lost > 7 {
                return (
                    "an injury keeping the person off normal work for \(lost) days, more than 7 (RIDDOR 2013 reg. 4(2))",
                    15 * days, false, "the HSE"
                )
            }
        case .mexico:
            if incident.kind == "injury" {
                return ("a work accident (Ley Federal del Trabajo art. 504 fr. V)", 3 * days, false, "the STPS")
            }
        case .malaysia:
            if serious || incident.kind == "dangerous_occurrence" {
                return (
                    "a death, serious bodily injury or dangerous occurrence (NADOPOD 2004 reg. 5)", 7 * days, true,
                    "DOSH"
                )
            }
            if incident.kind == "injury", lost > 4 {
                return (
                    "an injury keeping the person off work for \(lost) days, more than 4 (NADOPOD 2004 reg. 6)",
                    7 * days, false, "DOSH"
                )
            }
        default: break
        }
        return nil
    }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .incident(let incident) = event, let due = reportable(incident) else { return [] }
        let deadline = incident.at.addingTimeInterval(due.within)
        let when = Instant.format(deadline, in: context.timeZone)
        let name = incident.root.map { "\($0) (as corrected by \(incident.id))" } ?? incident.id
        return [
            Finding(
                rule: id, severity: due.atOnce ? .critical : .major, subject: .init(.site, context.site.id),
                message: "incident \(name) is \(due.why): "
                    + (due.atOnce
                        ? "notify \(due.authority) now, and report it by \(when)"
                        : "report it to \(due.authority) by \(when)"),
                actions: [
                    FindingAction(.correctiveAction, "Report incident \(name) to \(due.authority) by \(when)")
                ],
                // A correction that makes an incident reportable raises the finding when it is recorded; one that
                // changes nothing about what must be reported raises nothing new.
                raisedAt: incident.correctedAt ?? incident.at,
                key: "report:\(incident.root ?? incident.id):\(Int(due.within))")
        ]
    }
}
