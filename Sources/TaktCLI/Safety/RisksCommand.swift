import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt risks`: risk assessments per task or work centre, their reviews, and what is overdue.
struct RisksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risks", abstract: "Risk assessments: add one, review one, list them with what is overdue.",
        subcommands: [List.self, Add.self, Review.self], defaultSubcommand: List.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a risk assessment: hazard, who is at risk, likelihood × severity before and after controls.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The task assessed.") var task: String?
        @Option(name: .customLong("work-centre"), help: "The work centre assessed.") var workCentre: String?
        @Option(help: "The hazard.") var hazard: String
        @Option(help: "Who could be harmed, and how.") var who: String
        @Option(help: "Likelihood × severity before controls, each 1–5: L×S, e.g. 4x5.") var initial: String
        @Option(name: .customLong("control"), help: "A control in place (repeat).") var controls: [String] = []
        @Option(help: "Likelihood × severity with the controls: L×S, e.g. 2x5.") var residual: String
        @Option(name: .customLong("review-by"), help: "Review by this date (YYYY-MM-DD).") var reviewBy: String
        @Option(help: "Staff id of the assessor.") var by: String
        @Option(help: "When (site-local); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            guard let review = LocalDate(parsing: reviewBy) else {
                throw ValidationError("--review-by: '\(reviewBy)' is not a date (YYYY-MM-DD)")
            }
            let assessment = try host.assess(
                RiskAssessment(
                    task: task, workCentre: workCentre, hazard: hazard, whoAtRisk: who,
                    initial: try RisksCommand.score(initial, "--initial"), controls: controls,
                    residual: try RisksCommand.score(residual, "--residual"), assessedBy: by,
                    assessedAt: try parseInstant(at, option: "--at", in: host.definition.timeZone), reviewBy: review))
            if output.json { return try output.print(json: assessment) }
            print(RisksCommand.line(assessment))
        }
    }

    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a review of an assessment: what was found, the residual risk now, the next review date.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The assessment (RA-n).") var id: String
        @Option(help: "What the review found.") var note: String
        @Option(help: "The residual risk now, L×S; unchanged when absent.") var residual: String?
        @Option(name: .customLong("next-review-by"), help: "The next review date (YYYY-MM-DD).") var next: String
        @Option(help: "Staff id of the reviewer.") var by: String
        @Option(help: "When (site-local); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            guard let date = LocalDate(parsing: next) else {
                throw ValidationError("--next-review-by: '\(next)' is not a date (YYYY-MM-DD)")
            }
            let assessment = try host.review(
                riskAssessment: id, by: by, note: note,
                residual: try residual.map { try RisksCommand.score($0, "--residual") }, nextReviewBy: date,
                at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
            if output.json { return try output.print(json: assessment) }
            print(RisksCommand.line(assessment))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every assessment, soonest review first.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let assessments = try host.riskAssessments()
            if output.json { return try output.print(json: assessments) }
            if assessments.isEmpty { print("no risk assessments") }
            let today = LocalDate(Date(), in: host.definition.timeZone)
            for assessment in assessments {
                print(RisksCommand.line(assessment) + (today > assessment.nextReviewBy ? "  REVIEW OVERDUE" : ""))
            }
        }
    }

    /// `4x5` (or `4×5`, `4*5`) as a score.
    static func score(_ text: String, _ option: String) throws -> RiskAssessment.Score {
        let parts = text.lowercased().split(whereSeparator: { "x×*".contains($0) })
        guard parts.count == 2, let likelihood = Int(parts[0]), let severity = Int(parts[1]) else {
            throw ValidationError("\(option): '\(text)' is not likelihood × severity (write it as 4x5)")
        }
        return .init(likelihood: likelihood, severity: severity)
    }

    static func line(_ assessment: RiskAssessment) -> String {
        let residual = assessment.currentResidual
        return "\(assessment.id) \(assessment.task ?? assessment.workCentre ?? "") — \(assessment.hazard): "
            + "\(assessment.initial.value) → \(residual.value) (\(residual.rating.rawValue.replacingOccurrences(of: "_", with: " "))), "
            + "review by \(assessment.nextReviewBy); controls: \(assessment.controls.joined(separator: "; "))"
    }
}
