import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt roster`: who works when; the site's working-time rules refuse a roster entry that breaks them.
struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster", abstract: "Roster staff to shifts; entries that break working-time rules are refused.",
        subcommands: [List.self, Add.self, Generate.self, Swap.self, Overtime.self, Patterns.self],
        defaultSubcommand: List.self)

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Roster teams on a rotating pattern for a period; the whole roster is checked against the "
                + "working-time rules first and saved only if every shift passes.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "2-2-3, 4-on-4-off, continental, or one of the site's people.patterns.") var pattern: String
        @Option(
            help: ArgumentHelp(
                "A team's staff ids, comma-separated; once per team, in the pattern's team order.",
                valueName: "ids"))
        var team: [String]
        @Option(help: "First day (site-local).") var from: String
        @Option(help: "How many days.") var days: Int = 28
        @Option(name: .customLong("work-centre"), help: "Tie the shifts to a work centre.") var workCentre: String?

        func run() throws {
            let host = try site.open()
            let teams = team.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            let saved = try host.generateRoster(
                pattern: pattern, teams: teams,
                from: try parseDay(from, option: "--from", in: host.definition.timeZone), days: days,
                workCentre: workCentre, at: Date())
            if output.json { return try output.print(json: saved) }
            print("rostered \(saved.count) shifts on \(pattern) for \(Set(saved.map(\.staff)).count) people")
        }
    }

    struct Swap: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give someone's shift to another person (a cover), or swap two shifts; both rosters are "
                + "checked as they would be after it.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Whose shift.") var staff: String
        @Option(help: "The day their shift starts (site-local).") var on: String
        @Option(name: .customLong("with"), help: "Who takes it.") var other: String
        @Option(help: "The day of the other person's shift to take in return; a cover when absent.") var theirs: String?

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let change = try host.swapShift(
                of: staff, on: try parseDay(on, option: "--on", in: zone), with: other,
                theirs: try theirs.map { try parseDay($0, option: "--theirs", in: zone) }, at: Date())
            if output.json { return try output.print(json: Result(removed: change.removed, added: change.added)) }
            for entry in change.added {
                print(
                    "\(entry.staff) now works \(Instant.format(entry.start, in: zone)) – "
                        + Instant.format(entry.end, in: zone))
            }
        }

        struct Result: Encodable {
            var removed: [ShiftAssignment]
            var added: [ShiftAssignment]
        }
    }

    struct Overtime: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an overtime shift; refused with the rule named if it breaks working-time law.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Staff id.") var staff: String
        @Option(help: "Start (site-local).") var start: String
        @Option(help: "End (site-local).") var end: String
        @Option(name: .customLong("break"), help: "Unpaid break taken in it (30m; bare seconds).")
        var breakTime: DurationArgument = DurationArgument(seconds: 0)
        @Option(name: .customLong("work-centre"), help: "Where.") var workCentre: String?

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let entry = ShiftAssignment(
                staff: staff, start: try parseInstant(start, option: "--start", in: zone),
                end: try parseInstant(end, option: "--end", in: zone), breakTime: TimeSpan(seconds: breakTime.seconds),
                workCentre: workCentre)
            try host.addOvertime(entry, at: Date())
            if output.json { return try output.print(json: entry) }
            print(
                "overtime for \(staff): \(Instant.format(entry.start, in: zone)) – \(Instant.format(entry.end, in: zone))"
            )
        }
    }

    struct Patterns: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The shift patterns rosters can be generated from.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let patterns = (Array(ShiftPattern.builtIn.values) + host.definition.people.patterns).sorted {
                $0.id < $1.id
            }
            if output.json { return try output.print(json: patterns) }
            for pattern in patterns {
                let shifts = pattern.shifts.map { "\($0.code)=\($0.start)–\($0.end)" }.joined(separator: " ")
                print(
                    "\(pattern.id): \(pattern.cycle) (\(pattern.teams) teams, \(pattern.offset) days apart; \(shifts))")
            }
        }
    }

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
