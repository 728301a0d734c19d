import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt production`: what was made, and OEE from it.
struct ProductionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "production", abstract: "Report production; see OEE per work centre.",
        subcommands: [OEEReport.self, Report.self], defaultSubcommand: OEEReport.self)

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
        @OptionGroup var output: OutputOptions

        struct Recorded: Encodable {
            var report: ProductionReport
            var oee: OEE?
        }

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let stopped = TimeSpan(seconds: down.seconds)
            let report = try host.reportProduction(
                workCentre: workCentre, product: product, order: order, good: good, scrap: scrap,
                from: try parseInstant(from, option: "--from", in: zone),
                to: try parseInstant(to, option: "--to", in: zone),
                down: stopped, downReason: downReason)
            if output.json { return try output.print(json: Recorded(report: report, oee: OEE([report]))) }
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
