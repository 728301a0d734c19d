import Foundation
import TaktCore
import TaktStore

/// Risk assessments: entered and reviewed by staff, checked before they are stored; the sweep raises a finding
/// for one past its review date or with a residual risk rated high.
extension SiteHost {
    /// Stores a new assessment (its id the next `RA-n`). Refused, with nothing written, naming every problem: a
    /// score outside 1–5, a residual risk above the initial one, no controls, a review date out of range, an
    /// unknown assessor or work centre.
    public func assess(_ assessment: RiskAssessment) throws(HostError) -> RiskAssessment {
        var assessment = assessment
        try requireStaff(assessment.assessedBy)
        try requireWorkCentre(assessment.workCentre)
        try requireNotAhead(assessment.assessedAt, "the assessment's time")
        assessment.controls = assessment.controls.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        assessment.id = ""
        assessment.reviews = []
        var problems = assessment.problems(in: definition.timeZone)
        for text in [assessment.hazard, assessment.whoAtRisk, assessment.task ?? ""] + assessment.controls
        where text.count > 2_000 {
            problems.append("'\(text.prefix(40))…' is longer than 2,000 characters")
        }
        guard problems.isEmpty else { throw .refused(problems) }
        let checked = assessment
        return try stored { () throws(StoreError) in try store.save(checked, isNew: true, at: checked.assessedAt) }
    }

    /// Records a review: what was found, the residual risk now, and the next review date.
    public func review(
        riskAssessment id: String, by person: String, note: String, residual: RiskAssessment.Score?,
        nextReviewBy: LocalDate, at now: Date
    ) throws(HostError) -> RiskAssessment {
        try requireStaff(person)
        try requireNotAhead(now, "the review's time")
        guard var assessment = try riskAssessments().first(where: { $0.id == id }) else {
            throw .unknown(kind: "risk assessment", id: id, known: try riskAssessments().map(\.id))
        }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= 2_000 else { throw .invalidInput("say what the review found (--note)") }
        let score = residual ?? assessment.currentResidual
        var problems: [String] = []
        if !(1...5).contains(score.likelihood) || !(1...5).contains(score.severity) {
            problems.append("the residual likelihood and severity must be 1 to 5")
        }
        if score.value > assessment.initial.value {
            problems.append(
                "the residual risk (\(score.value)) is above the initial risk (\(assessment.initial.value))")
        }
        let today = LocalDate(now, in: definition.timeZone)
        if nextReviewBy <= today || nextReviewBy > today.adding(days: 3 * 366) {
            problems.append("the next review date \(nextReviewBy) must be after today and within 3 years")
        }
        guard problems.isEmpty else { throw .refused(problems) }
        assessment.reviews.append(
            .init(by: person, at: now, note: note, residual: score, nextReviewBy: nextReviewBy))
        let reviewed = assessment
        return try stored { () throws(StoreError) in try store.save(reviewed, isNew: false, at: now) }
    }

    /// Every assessment, soonest review first.
    public func riskAssessments() throws(HostError) -> [RiskAssessment] {
        try stored { () throws(StoreError) in try store.riskAssessments() }
    }

    /// The findings the assessments raise at `now` (the sweep stores each once).
    func riskFindings(at now: Date) throws(HostError) -> [Finding] {
        let zone = definition.timeZone
        return try riskAssessments().flatMap { $0.findings(at: now, in: zone) }
    }
}
