import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt production`: what was made, and OEE from it.
struct ProductionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "production", abstract: "Report production; see OEE per work centre.",
        subcommands: [OEEReport.self, Report.self, Losses.self], defaultSubcommand: OEEReport.self)

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report what a work centre made over a period (good and scrap counts, down time).")
        @OptionGroup var site: SiteOptions
        @Option(name: .customLong("work-centre"), help: "The work centre.") var workCentre: String
        @Option(help: "The product.") var product: String
        @Option(help: "The order, if any.") var order: String?
        @Option(help: "Good units.") var good: Double
        @Option(help: "Scrapped units.") var scrap: Double = 0
        @Option(help: "Start of the period (site-local).") var from: String
        @Option(help: "End of the period (site-local).") var to: String
        @Option(help: "Time the work centre stood still in the period (20m, 1h30m; bare seconds).")
        var down: DurationArgument = DurationArgument(seconds: 0)
        @Option(name: .customLong("down-reason"), help: "Why it stood still: one of the site's downtime_reasons.")
        var downReason: String?
        @Option(help: "The lot the good units make; what it used is taken from stock into it (back-flush).")
        var lot: String?
        @Option(name: .customLong("lot-expires"), help: "The new lot's use-by; the product's shelf_life when absent.")
        var lotExpires: String?
        @Option(
            help: "A lot used and how much (LOT=QUANTITY, repeatable) instead of back-flushing the bill of materials.")
        var consume: [String] = []
        @Option(help: "Staff id of who reports it.") var by: String?
        @OptionGroup var output: OutputOptions

        struct Recorded: Encodable {
            var report: ProductionReport
            var oee: OEE?
            var lot: String?
            var consumed: [StockMovement]
        }

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let stopped = TimeSpan(seconds: down.seconds)
            let used = try consume.map { entry -> (lot: String, quantity: Double) in
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let quantity = Double(parts[1]) else {
                    throw ValidationError("--consume '\(entry)': write LOT=QUANTITY, e.g. F-1=12.5")
                }
                return (parts[0], quantity)
            }
            guard lot != nil || (used.isEmpty && lotExpires == nil) else {
                throw ValidationError("--consume and --lot-expires need --lot: the lot the report makes")
            }
            let expiry = try lotExpires.map { text in
                guard let date = Instant.parseDeadline(text, in: zone) else {
                    throw ValidationError("--lot-expires: '\(text)' is not a date (2026-12-01) or a date and time")
                }
                return date
            }
            let report = try host.reportProduction(
                workCentre: workCentre, product: product, order: order, good: good, scrap: scrap,
                from: try parseInstant(from, option: "--from", in: zone),
                to: try parseInstant(to, option: "--to", in: zone),
                down: stopped, downReason: downReason,
                output: lot.map { .init(lot: $0, expiresAt: expiry, consume: used.isEmpty ? nil : used) }, by: by)
            let consumed = try lot.map { try host.store.movements(into: $0) } ?? []
            if output.json {
                return try output.print(
                    json: Recorded(report: report, oee: OEE([report]), lot: lot, consumed: consumed))
            }
            if let lot {
                print("made lot \(lot): \(CriticalLimits.format(good)) \(product)")
                for movement in consumed {
                    print("  used \(CriticalLimits.format(-movement.quantity)) of \(movement.lot)")
                }
            }
            if report.outsideShifts == true {
                print(
                    "note: \(workCentre) has no shift in this period; the report is recorded with the period itself as planned time"
                )
            }
            if let oee = OEE([report]) {
                print(
                    String(
                        format: "recorded; OEE %.1f %% (availability %.1f %%, performance %.1f %%, quality %.1f %%)",
                        oee.value * 100, oee.availability * 100, oee.performance * 100, oee.quality * 100))
            }
        }
    }

    struct OEEReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "oee",
            abstract: "OEE per work centre and for the site over a period (availability × performance × quality).")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "From (site-local); 24 hours ago when absent.") var from: String?
        @Option(help: "To (site-local); now when absent.") var to: String?

        struct Row: Encodable {
            var workCentre: String
            var oee: OEE?
        }

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let end = try parseInstant(to, option: "--to", in: zone)
            let start =
                try from.map { try parseInstant($0, option: "--from", in: zone) } ?? end.addingTimeInterval(-86_400)
            let reports = try host.store.productionReports(in: DateInterval(start: start, end: max(end, start)))
            var rows = Dictionary(grouping: reports, by: \.workCentre).sorted { $0.key < $1.key }.map {
                Row(workCentre: $0.key, oee: OEE($0.value))
            }
            rows.append(Row(workCentre: "site", oee: OEE(reports)))
            if output.json { return try output.print(json: rows) }
            for row in rows {
                guard let oee = row.oee else {
                    print("\(row.workCentre): no production reported")
                    continue
                }
                print(
                    String(
                        format: "%@: OEE %.1f %% = availability %.1f %% × performance %.1f %% × quality %.1f %%",
                        row.workCentre, oee.value * 100, oee.availability * 100, oee.performance * 100,
                        oee.quality * 100))
            }
        }
    }
}

extension ProductionCommand {
    /// `takt production losses`: where the planned time went, by the six big losses, and a Pareto of stop reasons.
    struct Losses: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Where planned time went: the six big losses and a Pareto of downtime reasons (they add up).")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "From (site-local); 30 days ago when absent.") var from: String?
        @Option(help: "To (site-local); now when absent.") var to: String?
        @Option(name: .customLong("work-centre"), help: "Only this work centre.") var workCentre: String?

        func run() throws {
            let host = try site.open()
            let period = try parsePeriod(from: from, to: to, days: 30, in: host.definition.timeZone)
            let losses = try host.losses(in: period, workCentre: workCentre)
            if output.json { return try output.print(json: losses) }
            guard losses.plannedSeconds > 0 else { return print("no production reported in the period") }
            func hours(_ seconds: Double) -> String { String(format: "%.1f h", seconds / 3600) }
            func share(_ seconds: Double) -> String { String(format: "%.1f %%", seconds / losses.plannedSeconds * 100) }
            print("planned \(hours(losses.plannedSeconds))")
            for loss in Loss.allCases {
                let seconds = losses.losses[loss] ?? 0
                print(
                    "  \(loss.rawValue.replacingOccurrences(of: "_", with: " ")): \(hours(seconds)) (\(share(seconds)))"
                )
            }
            print(
                "  valuable (ideal time of good units): \(hours(losses.valuableSeconds)) (\(share(losses.valuableSeconds)))"
            )
            if !losses.pareto.isEmpty { print("downtime by reason:") }
            for line in losses.pareto {
                print(
                    "  \(line.reason) (\(line.loss.rawValue), \(line.planned ? "planned" : "unplanned")): "
                        + "\(hours(line.seconds)), cumulative \(String(format: "%.0f %%", line.cumulativeShare * 100))")
            }
        }
    }
}
