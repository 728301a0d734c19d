import ArgumentParser
import Foundation
import TaktCore
import TaktHost
import TaktScheduling

/// `takt schedule`: plan the open orders on finite capacity, and repair the plan after a disruption.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Plan open orders on finite capacity, or re-plan after a disruption.",
        subcommands: [Plan.self, Disrupt.self, ValidateSolution.self], defaultSubcommand: Plan.self)

    /// Options every planning command shares.
    struct PlanningOptions: ParsableArguments {
        @Option(help: "Plan from this instant (site-local); now when absent.") var from: String?
        @Option(help: "How far ahead to plan: 14d, 36h.") var horizon: DurationArgument = DurationArgument(
            seconds: 14 * 86_400)
        @Option(name: .customLong("time-limit"), help: "How long to improve the plan: 10s, 2m.")
        var timeLimit: DurationArgument = DurationArgument(seconds: 10)
        @Option(help: "Parallel searches (default: the number of cores).")
        var workers: Int = ProcessInfo.processInfo.activeProcessorCount
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Option(name: .customLong("csv"), help: "Also write the schedule as CSV to this file.") var csv: String?
        @Option(name: .customLong("svg"), help: "Also write a Gantt chart (SVG) to this file.") var svg: String?
        @Option(
            name: .customLong("export-problem"),
            help: "Also write the problem as the solver sees it (docs/plant-problem.schema.json) to this file.")
        var exportProblem: String?
        @Option(
            name: .customLong("export-solution"), help: "Also write the chosen schedule as a solution document.")
        var exportSolution: String?

        func spans() throws -> (horizon: TimeSpan, limit: TimeSpan) {
            guard horizon.seconds > 0 else { throw ValidationError("--horizon must be longer than 0 s (14d, 36h)") }
            guard timeLimit.seconds > 0 else { throw ValidationError("--time-limit must be longer than 0 s (10s, 2m)") }
            return (TimeSpan(seconds: horizon.seconds), TimeSpan(seconds: timeLimit.seconds))
        }

        func limits(_ limit: TimeSpan, quiet: Bool) -> SearchLimits {
            var limits = SearchLimits(timeLimit: .seconds(limit.seconds), seed: seed, workers: max(1, workers))
            if limit.seconds >= 5 && !quiet {
                limits.progress = { value, seconds in
                    FileHandle.standardError.write(
                        Data("  best cost \(value) at \(String(format: "%.1f", seconds)) s\n".utf8))
                }
            }
            return limits
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Schedule the open orders; print each work centre's sequence and the late orders with reasons.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var planning: PlanningOptions

        func run() throws {
            let host = try site.open()
            let (horizon, limit) = try planning.spans()
            let from = try parseInstant(planning.from, option: "--from", in: host.definition.timeZone)
            let result = try host.plan(from: from, horizon: horizon, limits: planning.limits(limit, quiet: output.json))
            try ScheduleCommand.report(result, host: host, output: output, planning: planning)
        }
    }

    struct Disrupt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-plan after a breakdown, a rush order, a cancellation or a changed quantity; print what moved."
        )

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var planning: PlanningOptions

        @Option(help: "A work centre that is down.") var down: String?
        @Option(name: .customLong("down-from"), help: "When it went down (site-local); --from when absent.")
        var downFrom: String?
        @Option(name: .customLong("down-to"), help: "When it is back (site-local).") var downTo: String?
        @Option(help: "An order to rush (highest priority).") var rush: [String] = []
        @Option(help: "An order to cancel.") var cancel: [String] = []
        @Option(name: .customLong("set-quantity"), help: "ORDER=QUANTITY, a changed quantity.") var setQuantity:
            [String] = []

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let (horizon, limit) = try planning.spans()
            let from = try parseInstant(planning.from, option: "--from", in: zone)
            var disruption = SiteHost.Disruption(rush: rush, cancel: cancel)
            if let down {
                guard let downTo else { throw ValidationError("--down needs --down-to (when the work centre is back)") }
                let start = try downFrom.map { try parseInstant($0, option: "--down-from", in: zone) } ?? from
                disruption.outages.append(
                    .init(
                        workCentre: down, from: start, to: try parseInstant(downTo, option: "--down-to", in: zone),
                        reason: "\(down) down (breakdown) until \(downTo)"))
            }
            for pair in setQuantity {
                let parts = pair.split(separator: "=")
                guard parts.count == 2, let quantity = Double(parts[1]) else {
                    throw ValidationError("--set-quantity: '\(pair)' is not ORDER=QUANTITY")
                }
                disruption.quantities[String(parts[0])] = quantity
            }
            guard !disruption.outages.isEmpty || !rush.isEmpty || !cancel.isEmpty || !disruption.quantities.isEmpty
            else {
                throw ValidationError(
                    "name a disruption: --down WC --down-to T, --rush ORDER, --cancel ORDER or --set-quantity ORDER=Q")
            }
            let result = try host.replan(
                disruption, from: from, horizon: horizon, limits: planning.limits(limit, quiet: output.json))
            // A breakdown is a repair to do: a corrective work order for it.
            if let down, let outage = disruption.outages.first {
                let order = try host.openWorkOrder(
                    asset: down, kind: .corrective,
                    description: "Breakdown from \(Instant.format(outage.from, in: zone)), expected back "
                        + Instant.format(outage.to, in: zone),
                    by: nil, at: Date())
                if !output.json { print("opened work order \(order.id) for the breakdown of \(down)") }
            }
            try ScheduleCommand.report(result, host: host, output: output, planning: planning)
        }
    }

    /// Checks any solver's solution against an exported problem and prints the objective's parts.
    struct ValidateSolution: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate-solution",
            abstract: "Check a solution (any solver's) against an exported plant problem; print the objective's parts.")
        @Argument(help: "The problem (takt schedule --export-problem).", completion: .file(extensions: ["json"]))
        var problem: String
        @Argument(help: "The solution (docs/plant-problem.schema.json).", completion: .file(extensions: ["json"]))
        var solution: String
        @Option(help: "An earlier solution, to count the tasks that moved.") var previous: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            func read(_ path: String) throws -> Data {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CommandFailure(message: "\(path): cannot read it", code: 2)
                }
                return data
            }
            let document: PlantProblemDocument
            do { document = try PlantProblemDocument.read(try read(problem)) } catch let failure as CommandFailure {
                throw failure
            } catch { throw CommandFailure(message: "\(problem): not a plant problem document: \(error)", code: 2) }
            let answer: PlantSolutionDocument
            let before: PlantSolutionDocument?
            do {
                answer = try PlantSolutionDocument.read(try read(solution))
                before = try previous.map { try PlantSolutionDocument.read(try read($0)) }
            } catch let failure as CommandFailure { throw failure } catch {
                throw CommandFailure(message: "\(solution): not a plant solution document: \(error)", code: 2)
            }
            let report = PlantSolutionChecker.check(document, answer, previous: before)
            if output.json {
                try output.print(json: report)
            } else {
                print(
                    "\(answer.solver): \(report.valid ? "valid" : "INVALID"); objective \(String(format: "%.1f", report.objective)) "
                        + "(weighted tardiness \(report.weightedTardiness / 60) weighted min, changeovers "
                        + "\(report.changeoverSeconds / 60) min, makespan \(report.makespan / 60) min, moves \(report.moves))"
                )
                for problem in report.problems { print("  \(problem)") }
            }
            if !report.valid { throw ExitCode(1) }
        }
    }

    /// Prints a plan (or its JSON) and writes the requested exports.
    static func report(_ result: SiteHost.PlanResult, host: SiteHost, output: OutputOptions, planning: PlanningOptions)
        throws
    {
        let zone = host.definition.timeZone
        if let csv = planning.csv {
            try ScheduleExport.csv(result.rows, timeZone: zone).write(toFile: csv, atomically: true, encoding: .utf8)
        }
        if let svg = planning.svg {
            let title = "\(host.definition.site.name): schedule from \(Instant.format(result.summary.from, in: zone))"
            let names = SiteNames(host.definition)
            try ScheduleExport.svg(
                result.rows, timeZone: zone, title: title, lateOrders: Set(result.summary.late.map(\.order)),
                names: names.workCentres, productNames: names.products
            )
            .write(toFile: svg, atomically: true, encoding: .utf8)
        }
        if let path = planning.exportProblem, let problem = result.problem {
            do {
                try PlantProblemDocument(problem, weights: host.definition.weights).encoded().write(
                    to: URL(fileURLWithPath: path))
            } catch { throw CommandFailure(message: "--export-problem: \(error)", code: 1) }
        }
        if let path = planning.exportSolution, let schedule = result.schedule {
            try PlantSolutionDocument(schedule, seconds: result.secondsToBest).encoded().write(
                to: URL(fileURLWithPath: path))
        }
        if output.json {
            return try output.print(json: PlanJSON(summary: result.summary, rows: result.rows, changes: result.changes))
        }
        let summary = result.summary
        print(
            "\(summary.orders) orders planned, \(summary.operations) operations; \(summary.late.count) late; "
                + "changeovers \(summary.changeoverMinutes) min; last operation ends \(Instant.format(summary.end, in: zone))"
        )
        print(
            String(format: "first feasible plan in %.3f s, best at %.1f s", result.secondsToFirst, result.secondsToBest)
        )
        var current = ""
        for row in result.rows {
            let lane = "\(row.workCentre)\(row.unit > 1 ? "#\(row.unit)" : "")"
            if lane != current {
                print("\n\(lane):")
                current = lane
            }
            let what =
                row.kind == .operation
                ? "\(row.order) \(row.operation) (\(row.product))" : "  \(row.kind.rawValue): \(row.task ?? "")"
            print("  \(Instant.format(row.start, in: zone)) – \(Instant.format(row.end, in: zone))  \(what)")
            if let pieces = row.crewPieces {
                for piece in pieces {
                    print(
                        "      crew \(Instant.format(piece.start, in: zone)) – \(Instant.format(piece.end, in: zone)): "
                            + piece.crew.joined(separator: ", "))
                }
            } else if let crew = row.crew {
                print("      crew: " + crew.joined(separator: ", "))
            }
        }
        if let unplannable = summary.unplannable, !unplannable.isEmpty {
            print("\ncould not be planned (\(unplannable.count)):")
            for order in unplannable { print("  \(order.order): \(order.reason)") }
        }
        if let deferred = summary.deferred, !deferred.isEmpty {
            print("\nnot to be made within the horizon yet (\(deferred.count)):")
            for order in deferred { print("  \(order.order): \(order.reason)") }
        }
        if !summary.late.isEmpty { print("\nlate orders:") }
        for late in summary.late {
            print(
                "  \(late.order) late by \(TimeSpan(seconds: late.lateSeconds).forPeople) (due \(Instant.formatDeadline(late.due, in: zone)), ends \(Instant.format(late.end, in: zone)))"
            )
            for reason in late.reasons.prefix(6) { print("    - \(reason)") }
        }
        if let changes = result.changes {
            print(
                "\nchanges: \(changes.moved.count) operation(s) moved, \(changes.orderEnds.count) order end(s) changed")
            for end in changes.orderEnds {
                let shift =
                    end.shiftSeconds == 0
                    ? "" : " (\(end.shiftSeconds > 0 ? "+" : "-")\(TimeSpan(seconds: abs(end.shiftSeconds))))"
                print(
                    "  \(end.order): \(end.before.map { Instant.format($0, in: zone) } ?? "-") → \(end.after.map { Instant.format($0, in: zone) } ?? "cancelled")\(shift)"
                )
            }
        }
    }

    struct PlanJSON: Encodable {
        var summary: ScheduleSummary
        var rows: [ScheduleRow]
        var changes: ScheduleChanges?
    }
}
