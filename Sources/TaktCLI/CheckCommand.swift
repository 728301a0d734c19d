import ArgumentParser
import Foundation
import TaktCore
import TaktHost

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Record check readings and see which checks are due.",
        subcommands: [Record.self, Due.self])

    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every check with a frequency, per work centre: last recorded, next due, overdue.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The instant to judge at (site-local); now when absent.")
        var at: String?

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let due = try host.checksDue(at: try parseInstant(at, option: "--at", in: zone))
            if output.json { return try output.print(json: due) }
            for item in due {
                let place = item.workCentre.map { " @ \($0)" } ?? ""
                let last = item.lastRecorded.map { Instant.format($0, in: zone) } ?? "never"
                print(
                    "\(item.overdue ? "OVERDUE" : "ok     ")  \(item.check)\(place)  last \(last)  due "
                        + Instant.format(item.due, in: zone))
            }
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a reading; prints the findings it caused and the actions taken.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The check id, e.g. site.chill.walk_in.")
        var check: String

        @Option(help: "The measured value; for pass/fail checks: pass or fail (or 1 or 0).")
        var value: ReadingValue

        @Option(help: "The lot the reading concerns.")
        var lot: String?

        @Option(name: .customLong("work-centre"), help: "The work centre the reading was taken at.")
        var workCentre: String?

        @Option(help: "When it was measured (site-local unless a zone is given); now when absent.")
        var at: String?

        @Option(help: "Staff id of the person who recorded it (for a personal test: the person tested).")
        var by: String?

        @Option(help: "How long the value was held, for time-at-temperature checks: 30s, 2m.")
        var held: DurationArgument?

        @Option(help: "The instrument that took it (a probe's id from site.yaml's instruments).")
        var instrument: String?

        func run() throws {
            let host = try site.open()
            guard let checkID = try? RuleID(validating: check) else {
                throw ValidationError("--check: '\(check)' is not a check id")
            }
            let instant = try parseInstant(at, option: "--at", in: host.definition.timeZone)
            let heldFor = held.map { TimeSpan(seconds: $0.seconds) }
            let reading = CheckReading(
                check: checkID, value: value.number, lot: lot, workCentre: workCentre, recordedBy: by, heldFor: heldFor,
                instrument: instrument, at: instant)
            let recorded = try host.record(reading)
            if output.json {
                try output.print(
                    json: Recorded(
                        reading: recorded.readingID, findings: recorded.findings, released: recorded.released))
                return
            }
            print("recorded reading \(recorded.readingID): \(check) = \(CriticalLimits.format(value.number))")
            if recorded.findings.isEmpty { print("within limits: no findings") }
            for release in recorded.released { print("released: \(release.kind.rawValue) \(release.target)") }
            for finding in recorded.findings {
                print(FindingsCommand.line(for: finding, timeZone: host.definition.timeZone))
            }
        }

        struct Recorded: Encodable {
            var reading: Int64
            var findings: [Finding]
            var released: [FindingAction]
        }
    }
}

/// A reading's value on the command line: a number, or `pass` / `fail` (1 / 0) for pass/fail checks.
struct ReadingValue: ExpressibleByArgument {
    var number: Double

    init?(argument: String) {
        switch argument.trimmingCharacters(in: .whitespaces).lowercased() {
        case "pass": number = 1
        case "fail": number = 0
        default:
            guard let value = Double(argument), value.isFinite else { return nil }
            number = value
        }
    }
}
