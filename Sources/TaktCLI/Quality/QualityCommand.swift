import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt quality`: control charts of the checks in `quality.spc`.
struct QualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality", abstract: "Statistical process control of the checks in quality.spc.",
        subcommands: [SPC.self], defaultSubcommand: SPC.self)

    struct SPC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "spc",
            abstract: "A check's individuals chart: limits from its baseline, the newest readings, signals, Cp and Cpk."
        )
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The check (every charted check when absent).") var check: String?
        @Option(name: .customLong("work-centre"), help: "Its work centre, when it is charted at several.")
        var workCentre: String?
        @Option(help: "How many of the newest readings.") var points: Int = 50
        @Option(help: "Write the chart as SVG to this file (with --check).") var svg: String?

        func run() throws {
            let host = try site.open()
            guard (1...1_000).contains(points) else { throw ValidationError("--points must be 1 to 1000") }
            let now = Date()
            let targets: [(RuleID, String?)] =
                try check.map { [(try RuleID(validating: $0), workCentre)] }
                ?? host.definition.charts.map { ($0.check, $0.workCentre) }
            if targets.isEmpty { return print("no checks are charted (quality.spc in site.yaml)") }
            let reports = try targets.map {
                try host.controlChart(check: $0.0, workCentre: $0.1, points: points, at: now)
            }
            if let svg {
                guard reports.count == 1, let report = reports.first, let chart = report.chart else {
                    throw ValidationError("--svg needs one --check whose baseline is complete")
                }
                let text = chart.svg(
                    report.readings.map { ($0.at, $0.value) }, specification: report.limits,
                    title: "\(report.name)\(report.workCentre.map { " at \($0)" } ?? "")",
                    timeZone: host.definition.timeZone, signalling: chart.signalling(report.readings.map(\.value)))
                try text.write(toFile: svg, atomically: true, encoding: .utf8)
            }
            if output.json { return try output.print(json: reports) }
            for report in reports {
                let place = report.workCentre.map { " at \($0)" } ?? ""
                guard let chart = report.chart else {
                    print(
                        "\(report.check)\(place): no limits yet: the baseline needs \(report.baselineNeeded) readings "
                            + "that vary (a chart of readings that never change has no limits)")
                    continue
                }
                func f(_ value: Double) -> String { CriticalLimits.format((value * 100).rounded() / 100) }
                print(
                    "\(report.check)\(place): mean \(f(chart.mean)) \(report.unit), σ \(f(chart.sigma)), "
                        + "UCL \(f(chart.upperControlLimit)), LCL \(f(chart.lowerControlLimit))"
                        + (report.cp.map { ", Cp \(f($0))" } ?? "") + (report.cpk.map { ", Cpk \(f($0))" } ?? "")
                        + "; newest \(report.readings.count) reading(s)"
                        + (report.signals.isEmpty
                            ? ", in control" : ": " + report.signals.map(\.description).joined(separator: "; ")))
            }
        }
    }
}
