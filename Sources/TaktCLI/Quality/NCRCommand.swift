import ArgumentParser
import Foundation
import TaktCore
import TaktHost

extension NonConformance.CauseCategory: ExpressibleByArgument {}
extension NonConformance.Action.Kind: ExpressibleByArgument {}

/// `takt ncr`: non-conformance reports and their corrective and preventive actions.
struct NCRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ncr",
        abstract: "Non-conformance reports: open, contain, root cause, actions, verify effectiveness, close.",
        subcommands: [
            List.self, Show.self, Open.self, Contain.self, Cause.self, Action.self, Done.self, Verify.self,
            Close.self,
        ],
        defaultSubcommand: List.self)

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a report from a finding, an incident, a customer complaint or an audit observation; "
                + "its lots go on hold until containment.")
        @OptionGroup var step: StepOptions
        @Option(help: "What does not conform.") var description: String
        @Option(help: "The finding it comes from (its number); its held lots and work centre come with it.")
        var finding: String?
        @Option(help: "The incident it comes from (INC-n).") var incident: String?
        @Option(help: "A customer complaint's reference.") var complaint: String?
        @Option(help: "An audit observation's reference.") var audit: String?
        @Option(name: .customLong("work-centre"), help: "Where.") var workCentre: String?
        @Option(name: .customLong("lot"), help: "An affected lot (repeat).") var lots: [String] = []

        func run() throws {
            let host = try step.site.open()
            let given: [(NonConformance.Source, String)] = [
                (.finding, finding), (.incident, incident), (.complaint, complaint), (.audit, audit),
            ].compactMap { source, reference in reference.map { (source, $0) } }
            guard given.count == 1, let (source, reference) = given.first else {
                throw ValidationError(
                    "name what the report comes from: one of --finding, --incident, --complaint, --audit")
            }
            let report = try host.openNonConformance(
                NonConformance(
                    source: source, reference: reference, description: description, workCentre: workCentre,
                    lots: lots, openedBy: step.by, openedAt: try step.time(host)))
            try step.show(report, host)
        }
    }

    struct Contain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the containment; the finding it came from closes and its lots may be released.")
        @OptionGroup var step: StepOptions
        @Argument(help: "The report (NCR-n).") var id: String
        @Option(help: "What was done to control the affected product.") var containment: String

        func run() throws {
            let host = try step.site.open()
            try step.show(
                try host.contain(nonConformance: id, containment, by: step.by, at: try step.time(host)), host)
        }
    }

    struct Cause: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the root cause: the answers to 'why?' in order (5 whys), the last the root cause.")
        @OptionGroup var step: StepOptions
        @Argument(help: "The report (NCR-n).") var id: String
        @Option(name: .customLong("why"), help: "An answer to 'why?' (repeat, in order).") var whys: [String] = []
        @Option(help: "people, machine, method, material, measurement or environment.")
        var category: NonConformance.CauseCategory

        func run() throws {
            let host = try step.site.open()
            try step.show(
                try host.recordRootCause(
                    nonConformance: id, whys: whys, category: category, by: step.by, at: try step.time(host)), host)
        }
    }

    struct Action: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a corrective or preventive action with an owner and a due date.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The report (NCR-n).") var id: String
        @Option(help: "corrective or preventive.") var kind: NonConformance.Action.Kind = .corrective
        @Option(help: "What will be done.") var description: String
        @Option(help: "Staff id of who owns it.") var owner: String
        @Option(help: "Due by the end of this day (YYYY-MM-DD).") var due: String
        @Option(name: .customLong("verify-after"), help: "Days after it is done before its effectiveness is judged.")
        var verifyAfter: Int = 30
        @Option(help: "When (site-local); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            guard let date = LocalDate(parsing: due) else {
                throw ValidationError("--due: '\(due)' is not a date (YYYY-MM-DD)")
            }
            let report = try host.addAction(
                nonConformance: id, kind: kind, description: description, owner: owner, due: date,
                verifyAfterDays: verifyAfter, at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
            if output.json { return try output.print(json: report) }
            print(NCRCommand.text(report, in: host.definition.timeZone))
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an action done, saying what was done.")
        @OptionGroup var step: StepOptions
        @Argument(help: "The report (NCR-n).") var id: String
        @Argument(help: "The action's number.") var action: Int
        @Option(help: "What was done.") var note: String

        func run() throws {
            let host = try step.site.open()
            try step.show(
                try host.completeAction(
                    nonConformance: id, action: action, by: step.by, note: note, at: try step.time(host)),
                host)
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record whether a done action worked (by someone other than its owner, after its wait).")
        @OptionGroup var step: StepOptions
        @Argument(help: "The report (NCR-n).") var id: String
        @Argument(help: "The action's number.") var action: Int
        @Flag(inversion: .prefixedNo, help: "Whether it worked; --no-effective sends it back to be done again.")
        var effective: Bool = true
        @Option(help: "The evidence.") var note: String

        func run() throws {
            let host = try step.site.open()
            try step.show(
                try host.verifyAction(
                    nonConformance: id, action: action, by: step.by, effective: effective, note: note,
                    at: try step.time(host)), host)
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a report whose containment, root cause and verified actions are recorded.")
        @OptionGroup var step: StepOptions
        @Argument(help: "The report (NCR-n).") var id: String

        func run() throws {
            let host = try step.site.open()
            try step.show(try host.closeNonConformance(id, by: step.by, at: try step.time(host)), host)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One report with its actions.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The report (NCR-n).") var id: String

        func run() throws {
            let host = try site.open()
            let report = try host.nonConformance(id)
            if output.json { return try output.print(json: report) }
            print(NCRCommand.text(report, in: host.definition.timeZone))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reports not yet closed (--all for every one).")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Closed reports too.") var all = false

        func run() throws {
            let host = try site.open()
            let reports = try host.nonConformances(openOnly: !all)
            if output.json { return try output.print(json: reports) }
            if reports.isEmpty { print(all ? "no reports" : "no open reports") }
            let zone = host.definition.timeZone
            for report in reports {
                let open = report.actions.filter { !$0.verifiedEffective }.count
                print(
                    "\(report.id) [\(report.status.rawValue)] \(Instant.format(report.openedAt, in: zone)) "
                        + "\(report.source.rawValue) \(report.reference ?? ""): \(report.description) — "
                        + "\(report.actions.count) action(s), \(open) not verified")
            }
        }
    }

    /// A report as the terminal shows it: a heading, containment, cause, then one line per action.
    static func text(_ report: NonConformance, in zone: TimeZone) -> String {
        var lines = [
            "\(report.id) [\(report.status.rawValue)] opened \(Instant.format(report.openedAt, in: zone)) by "
                + "\(report.openedBy) from \(report.source.rawValue) \(report.reference ?? "")",
            "  \(report.description)",
        ]
        if let centre = report.workCentre { lines.append("  where: \(centre)") }
        if !report.lots.isEmpty { lines.append("  lots: \(report.lots.joined(separator: ", "))") }
        lines.append(
            "  containment: "
                + (report.containment.map {
                    "\($0) (\(report.containedBy ?? "?"), "
                        + "\(Instant.format(report.containedAt ?? report.openedAt, in: zone)))"
                } ?? "not yet recorded"))
        if let cause = report.rootCause {
            for (index, why) in cause.whys.enumerated() { lines.append("  why \(index + 1): \(why)") }
            lines.append("  root cause category: \(cause.category.rawValue)")
        } else {
            lines.append("  root cause: not yet recorded")
        }
        for action in report.actions {
            let state =
                action.verifiedEffective
                ? "verified effective by \(action.verifications.last?.by ?? "?")"
                : action.doneAt.map { "done \(Instant.format($0, in: zone)) by \(action.doneBy ?? "?"), to verify" }
                    ?? "due \(action.due)"
            lines.append(
                "  #\(action.number) \(action.kind.rawValue) (\(action.owner)): \(action.description) — \(state)")
        }
        if let closedBy = report.closedBy {
            lines.append("  closed by \(closedBy) \(Instant.format(report.closedAt ?? report.openedAt, in: zone))")
        }
        return lines.joined(separator: "\n")
    }
}

extension StepOptions {
    /// Prints the report as it now stands (or as JSON).
    func show(_ value: NonConformance, _ host: SiteHost) throws {
        try print(value) { NCRCommand.text($0, in: host.definition.timeZone) }
    }
}
