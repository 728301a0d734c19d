import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt roster`: who works when; the site's working-time rules refuse a roster entry that breaks them.
struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster", abstract: "Roster staff to shifts; entries that break working-time rules are refused.",
        subcommands: [List.self, Add.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List roster entries from a day on (a week).")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "First day (site-local); today when absent.") var from: String?
        @Option(help: "How many days.") var days: Int = 7

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let start = try parseInstant(from, option: "--from", in: zone)
            let entries = try host.roster(in: DateInterval(start: start, duration: Double(days) * 86_400))
            if output.json { return try output.print(json: entries) }
            if entries.isEmpty { print("no roster entries") }
            for entry in entries {
                print(
                    "\(entry.staff)  \(Instant.format(entry.start, in: zone)) – \(Instant.format(entry.end, in: zone))  "
                        + "break \(entry.breakTime)" + (entry.workCentre.map { "  at \($0)" } ?? ""))
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Roster a person; refused with the rule named if it breaks one.")

        @OptionGroup var site: SiteOptions
        @Option(help: "Staff id.") var staff: String
        @Option(help: "Shift start (site-local).") var start: String
        @Option(help: "Shift end (site-local).") var end: String
        @Option(name: .customLong("break"), help: "Unpaid break taken in the shift (30m; bare seconds).")
        var breakTime: DurationArgument = DurationArgument(seconds: 0)
        @Option(name: .customLong("work-centre"), help: "Where they work.") var workCentre: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let pause = TimeSpan(seconds: breakTime.seconds)
            let entry = ShiftAssignment(
                staff: staff, start: try parseInstant(start, option: "--start", in: zone),
                end: try parseInstant(end, option: "--end", in: zone), breakTime: pause, workCentre: workCentre)
            try host.assign(entry, at: Date())
            if output.json { return try output.print(json: entry) }
            print(
                "rostered \(staff): \(Instant.format(entry.start, in: zone)) – \(Instant.format(entry.end, in: zone))")
        }
    }
}
