import Foundation
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// Risk assessments: refused when they cannot be right, a finding when the review date passes or the residual
/// risk stays high, and a review that moves the date clears it.
@Suite struct RiskAssessmentTests {
    let site = NonConformanceTests()
    var zone: TimeZone { NonConformanceTests.zone }

    func assessment(initial: (Int, Int) = (4, 4), residual: (Int, Int) = (2, 3), reviewBy: LocalDate? = nil)
        -> RiskAssessment
    {
        let at = site.hour(1)
        return RiskAssessment(
            task: "Clean the walk-in chiller", workCentre: "walk-in-chiller", hazard: "Slippery floor, cold",
            whoAtRisk: "Cleaners: slips, cold stress", initial: .init(likelihood: initial.0, severity: initial.1),
            controls: ["Non-slip boots", "Thermal gloves, 20 min rotation"],
            residual: .init(likelihood: residual.0, severity: residual.1), assessedBy: "amara", assessedAt: at,
            reviewBy: reviewBy ?? LocalDate(at, in: zone).adding(days: 30))
    }

    @Test func aWrongAssessmentIsRefusedNamingEveryProblem() throws {
        let host = try site.host()
        let wrong = assessment(initial: (2, 2), residual: (3, 6), reviewBy: LocalDate(site.hour(1), in: zone))
        let error = try #require(throws: HostError.self) { try host.assess(wrong) }
        let problems = "\(error)"
        #expect(problems.contains("residual severity must be 1 to 5"))
        #expect(problems.contains("above the initial risk"))
        #expect(problems.contains("review date"))
        var noControls = assessment()
        noControls.controls = ["  "]
        #expect(throws: HostError.self) { try host.assess(noControls) }
        var stranger = assessment()
        stranger.assessedBy = "zed"
        #expect(throws: HostError.self) { try host.assess(stranger) }
        #expect(try host.riskAssessments().isEmpty)
    }

    @Test func anOverdueReviewAndAHighResidualRiskRaiseFindingsOnce() throws {
        let host = try site.host()
        let stored = try host.assess(assessment())
        #expect(stored.id == "RA-1" && stored.residual.rating == .medium)
        let high = try host.assess(assessment(initial: (5, 4), residual: (3, 4)))
        #expect(high.currentResidual.rating == .high)
        let first = try host.sweep(at: site.hour(2)).filter { $0.rule == .riskReview }
        #expect(
            first.map(\.message) == [
                "Risk assessment RA-2 (Clean the walk-in chiller: Slippery floor, cold) leaves a high residual risk (3 × 4 = 12)"
            ])
        let late = site.hour(1 + 31 * 24)
        let overdue = try host.sweep(at: late).filter { $0.rule == .riskReview }
        #expect(overdue.count == 2 && overdue.allSatisfy { $0.message.contains("was due for review") })
        #expect(try host.sweep(at: late.addingTimeInterval(3600)).filter { $0.rule == .riskReview }.isEmpty)
        #expect(try host.qualityStatus(at: late).riskReviewsOverdue == 2)
        // The review lowers the residual risk and sets the next date; nothing more is raised.
        let reviewed = try host.review(
            riskAssessment: "RA-2", by: "ben", note: "Drain added by the door",
            residual: .init(likelihood: 2, severity: 4),
            nextReviewBy: LocalDate(late, in: zone).adding(days: 180), at: late)
        #expect(reviewed.currentResidual.rating == .medium && reviewed.reviews.count == 1)
        #expect(throws: HostError.self) {
            try host.review(
                riskAssessment: "RA-1", by: "ben", note: "x", residual: .init(likelihood: 5, severity: 5),
                nextReviewBy: LocalDate(late, in: zone).adding(days: 10), at: late)
        }
        #expect(try host.qualityStatus(at: late).riskReviewsOverdue == 1)
        #expect(try host.qualityStatus(at: late).highResidualRisks == 0)
    }
}
