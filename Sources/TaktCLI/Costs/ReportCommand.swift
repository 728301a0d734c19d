import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt report monthly`: the month's report for senior management, as a printable page or a spreadsheet.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports for senior management.", subcommands: [Monthly.self])

    struct Monthly: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A month's site report: output and OEE, losses, adherence, cost and variance against budget, "
                + "quality and safety, open actions.")
        @OptionGroup var site: SiteOptions
        @Option(help: "The month, YYYY-MM; last month when absent.") var month: String?
        @Option(help: "html (printable), csv or json.") var format: Format = .html
        @Option(help: "Write it to this file instead of printing it.", completion: .file()) var out: String?

        enum Format: String, ExpressibleByArgument, CaseIterable { case html, csv, json }

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let chosen =
                try month.map { try parseMonth($0, in: zone) } ?? CostMonth(LocalDate(Date(), in: zone)).previous
            let report = try host.monthlyReport(of: chosen, at: Date())
            let text: String
            switch format {
            case .html: text = report.html(in: zone)
            case .csv: text = report.csv()
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                text = String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
            }
            guard let out else { return print(text, terminator: "") }
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: out)) } catch {
                throw CommandFailure(message: "could not write \(out): \(error.localizedDescription)", code: 1)
            }
            print("wrote \(out)")
        }
    }
}
