import Foundation

/// A risk assessment of one hazard of a task or at a work centre: who could be harmed, how likely and how badly
/// before and after the controls, and when it must be reviewed (the Management of Health and Safety at Work
/// Regulations 1999 reg. 3 in Great Britain; Malaysia's OSHA 1994 s. 15 with DOSH's HIRARC guidelines 2008;
/// Mexico's NOM-030-STPS-2009 diagnosis). Scored on the common 5 × 5 matrix: likelihood × severity, 1 to 25.
public struct RiskAssessment: Hashable, Sendable, Codable {
    /// A score's band on the 5 × 5 matrix.
    public enum Rating: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
        /// 1–4: acceptable; keep the controls.
        case low
        /// 5–9: reduce where reasonably practicable.
        case medium
        /// 10–16: work should not go on until the risk is reduced.
        case high
        /// 20–25: stop the work.
        case veryHigh = "very_high"

        public init(score: Int) {
            switch score {
            case ..<5: self = .low
            case ..<10: self = .medium
            case ..<20: self = .high
            default: self = .veryHigh
            }
        }

        public static func < (lhs: Rating, rhs: Rating) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Likelihood and severity, each 1 (rare; negligible) to 5 (almost certain; fatal).
    public struct Score: Hashable, Sendable, Codable {
        public var likelihood: Int
        public var severity: Int

        public init(likelihood: Int, severity: Int) {
            self.likelihood = likelihood
            self.severity = severity
        }

        public var value: Int { likelihood * severity }
        public var rating: Rating { Rating(score: value) }
    }

    /// `RA-n`.
    public var id: String
    /// The task assessed (`clean the slicer`), or nil for a work centre as a whole.
    public var task: String?
    public var workCentre: String?
    public var hazard: String
    /// Who could be harmed, and how.
    public var whoAtRisk: String
    public var initial: Score
    /// The controls in place.
    public var controls: [String]
    public var residual: Score
    public var assessedBy: String
    public var assessedAt: Date
    /// The local date by which it must be reviewed.
    public var reviewBy: LocalDate
    /// Every review, oldest first.
    public var reviews: [Review]

    public struct Review: Hashable, Sendable, Codable {
        public var by: String
        public var at: Date
        public var note: String
        public var residual: Score
        public var nextReviewBy: LocalDate

        public init(by: String, at: Date, note: String, residual: Score, nextReviewBy: LocalDate) {
            self.by = by
            self.at = at
            self.note = note
            self.residual = residual
            self.nextReviewBy = nextReviewBy
        }
    }

    public init(
        id: String = "", task: String? = nil, workCentre: String? = nil, hazard: String, whoAtRisk: String,
        initial: Score, controls: [String], residual: Score, assessedBy: String, assessedAt: Date, reviewBy: LocalDate
    ) {
        self.id = id
        self.task = task
        self.workCentre = workCentre
        self.hazard = hazard
        self.whoAtRisk = whoAtRisk
        self.initial = initial
        self.controls = controls
        self.residual = residual
        self.assessedBy = assessedBy
        self.assessedAt = assessedAt
        self.reviewBy = reviewBy
        self.reviews = []
    }

    /// What is wrong with it as entered, in words for whoever entered it; empty when it can be stored. The
    /// residual risk cannot be above the initial one, controls are required, and the review date must be after the
    /// assessment and within 3 years of it.
    public func problems(in zone: TimeZone) -> [String] {
        var problems: [String] = []
        for (name, score) in [("initial", initial), ("residual", residual)] {
            if !(1...5).contains(score.likelihood) { problems.append("\(name) likelihood must be 1 to 5") }
            if !(1...5).contains(score.severity) { problems.append("\(name) severity must be 1 to 5") }
        }
        if residual.value > initial.value {
            problems.append(
                "the residual risk (\(residual.value)) is above the initial risk (\(initial.value)): controls "
                    + "cannot make it worse")
        }
        if hazard.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("name the hazard") }
        if whoAtRisk.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("say who is at risk") }
        if controls.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            problems.append("list the controls in place")
        }
        if task == nil, workCentre == nil { problems.append("name the task or the work centre assessed") }
        let assessed = LocalDate(assessedAt, in: zone)
        if reviewBy <= assessed || reviewBy > assessed.adding(days: 3 * 366) {
            problems.append("the review date \(reviewBy) must be after \(assessed) and within 3 years of it")
        }
        return problems
    }

    /// The residual risk as it stands (after the latest review).
    public var currentResidual: Score { reviews.last?.residual ?? residual }

    /// When it is next due for review.
    public var nextReviewBy: LocalDate { reviews.last?.nextReviewBy ?? reviewBy }

    /// The findings it raises at `now`: a review past its date (major), and a residual risk rated high or very
    /// high (major; critical when very high), each raised once for that date or score.
    public func findings(at now: Date, in zone: TimeZone) -> [Finding] {
        let subject: Finding.Subject = workCentre.map { .init(.workCentre, $0) } ?? .init(.site, "safety")
        let what = "\(id) (\(task ?? workCentre ?? "site"): \(hazard))"
        var findings: [Finding] = []
        let due = nextReviewBy
        if LocalDate(now, in: zone) > due {
            findings.append(
                Finding(
                    rule: .riskReview, severity: .major, subject: subject,
                    message: "Risk assessment \(what) was due for review by \(due)",
                    actions: [
                        .init(.correctiveAction, "Review it with the people who do the work (takt risks review).")
                    ],
                    raisedAt: now, key: "\(id):review:\(due)"))
        }
        let residual = currentResidual
        if residual.rating >= .high {
            findings.append(
                Finding(
                    rule: .riskReview, severity: residual.rating == .veryHigh ? .critical : .major, subject: subject,
                    message:
                        "Risk assessment \(what) leaves a \(residual.rating.rawValue.replacingOccurrences(of: "_", with: " ")) "
                        + "residual risk (\(residual.likelihood) × \(residual.severity) = \(residual.value))",
                    actions: [.init(.correctiveAction, "Add controls until the residual risk is medium or low.")],
                    raisedAt: now, key: "\(id):residual:\(residual.value):\(reviews.count)"))
        }
        return findings
    }
}

extension RuleID {
    /// Findings about risk assessments: a review past its date, a residual risk that is too high.
    public static let riskReview: RuleID = "site.risk_assessment"
}
