import ArgumentParser
import Foundation
import TaktCore
import TaktHost

extension PermitToWork.Kind: ExpressibleByArgument {}

/// `takt permits`: permits to work for hot work, confined spaces, work at height and electrical isolation.
struct PermitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permits",
        abstract: "Permits to work: issue, accept, suspend, resume, close; open ones are closed time on the asset.",
        subcommands: [List.self, Issue.self, Accept.self, Suspend.self, Resume.self, Close.self],
        defaultSubcommand: List.self)

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a permit for work on an asset over a window.")
        @OptionGroup var step: StepOptions
        @Option(help: "hot_work, confined_space, work_at_height or electrical_isolation.") var kind: PermitToWork.Kind
        @Option(help: "The work centre worked on.") var asset: String
        @Option(help: "The work permitted.") var description: String
        @Option(name: .customLong("work-order"), help: "The work order it covers.") var workOrder: String?
        @Option(help: "Start of the window (site-local).") var from: String
        @Option(help: "End of the window (site-local), at most 24 hours later.") var to: String
        @Option(name: .customLong("precaution"), help: "A precaution taken (repeat).") var precautions: [String] = []
        @Option(name: .customLong("isolation"), help: "A point isolated, locked and tagged (repeat).")
        var isolations: [String] = []

        func run() throws {
            let host = try step.site.open()
            let zone = host.definition.timeZone
            let permit = try host.issue(
                PermitToWork(
                    kind: kind, asset: asset, description: description, workOrder: workOrder,
                    from: try parseInstant(from, option: "--from", in: zone),
                    to: try parseInstant(to, option: "--to", in: zone), precautions: precautions,
                    isolations: isolations, issuedBy: step.by, issuedAt: try step.time(host)))
            try step.show(permit, host)
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept a permit as the person doing the work (after the lock-out, where one is required).")
        @OptionGroup var step: StepOptions
        @Argument(help: "The permit (PTW-n).") var id: String

        func run() throws {
            let host = try step.site.open()
            try step.show(try host.accept(permit: id, by: step.by, at: try step.time(host)), host)
        }
    }

    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend accepted work, saying why.")
        @OptionGroup var step: StepOptions
        @Argument(help: "The permit (PTW-n).") var id: String
        @Option(help: "Why the work stops.") var reason: String

        func run() throws {
            let host = try step.site.open()
            try step.show(try host.suspend(permit: id, reason: reason, by: step.by, at: try step.time(host)), host)
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let suspended work go on, within the window.")
        @OptionGroup var step: StepOptions
        @Argument(help: "The permit (PTW-n).") var id: String

        func run() throws {
            let host = try step.site.open()
            try step.show(try host.resume(permit: id, by: step.by, at: try step.time(host)), host)
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a permit: work done, isolations removed, area safe.")
        @OptionGroup var step: StepOptions
        @Argument(help: "The permit (PTW-n).") var id: String
        @Option(help: "How the area was left.") var note: String

        func run() throws {
            let host = try step.site.open()
            try step.show(try host.close(permit: id, by: step.by, note: note, at: try step.time(host)), host)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open permits (--all for every one).")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Closed permits too.") var all = false

        func run() throws {
            let host = try site.open()
            let permits = try host.permits(openOnly: !all)
            if output.json { return try output.print(json: permits) }
            if permits.isEmpty { print(all ? "no permits" : "no open permits") }
            for permit in permits { print(PermitsCommand.line(permit, in: host.definition.timeZone)) }
        }
    }

    static func line(_ permit: PermitToWork, in zone: TimeZone) -> String {
        "\(permit.id) [\(permit.status.rawValue)] \(permit.kind.rawValue) on \(permit.asset) "
            + "\(Instant.format(permit.from, in: zone)) – \(Instant.format(permit.to, in: zone)): \(permit.description)"
            + (permit.isolations.isEmpty ? "" : "; isolated: \(permit.isolations.joined(separator: ", "))")
            + (permit.acceptedBy.map { "; accepted by \($0)" } ?? "")
            + (permit.suspendedReason.map { permit.status == .suspended ? "; suspended: \($0)" : "" } ?? "")
    }
}

extension StepOptions {
    /// Prints the permit as it now stands (or as JSON).
    func show(_ value: PermitToWork, _ host: SiteHost) throws {
        try print(value) { PermitsCommand.line($0, in: host.definition.timeZone) }
    }
}
