import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt staff clearance`: may this person work at this station now?
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "People: may someone work at a station now?", subcommands: [Clearance.self])

    struct Clearance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check skills, certificates, personal tests (ESD) and blocks; exit 3 when not cleared.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Staff id.") var staff: String
        @Option(name: .customLong("work-centre"), help: "The station.") var workCentre: String
        @Option(help: "When (site-local); now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            let instant = try parseInstant(at, option: "--at", in: host.definition.timeZone)
            let reasons = try host.clearance(of: staff, at: workCentre, now: instant)
            if output.json {
                try output.print(
                    json: Result(staff: staff, workCentre: workCentre, cleared: reasons.isEmpty, reasons: reasons))
            } else if reasons.isEmpty {
                print("\(staff) is cleared to work at \(workCentre)")
            } else {
                print("\(staff) may NOT work at \(workCentre):")
                reasons.forEach { print("  \($0)") }
            }
            if !reasons.isEmpty { throw ExitCode(3) }
        }

        struct Result: Encodable {
            var staff: String
            var workCentre: String
            var cleared: Bool
            var reasons: [String]
        }
    }
}
