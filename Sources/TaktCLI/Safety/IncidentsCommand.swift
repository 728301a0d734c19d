import ArgumentParser
import Foundation
import TaktCore
import TaktHost

extension Incident.Outcome: ExpressibleByArgument {}

/// `takt incidents`: report incidents and list them with the lost-time injury frequency rate.
struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents", abstract: "Report an incident; list incidents with the lost-time injury rate.",
        subcommands: [List.self, Report.self, Correct.self], defaultSubcommand: List.self)

    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct an incident (the outcome became known, more days were lost) as a new record that "
                + "references it; the rules judge it again.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The incident as it now stands (its latest correction).") var id: String
        @Option(help: "What happened, corrected.") var description: String?
        @Option(help: "info, minor, major or critical.") var severity: String?
        @Option(help: "Who was hurt.") var injured: String?
        @Option(help: "none, first_aid, medical, lost_time, specified or fatal.") var outcome: Incident.Outcome?
        @Option(name: .customLong("days-lost"), help: "Days off normal work, not counting the day of the accident.")
        var daysLost: Int?
        @Option(name: .customLong("first-aid"), help: "The first aid given, by whom.") var firstAid: String?
        @Option(help: "Staff id of who corrects it.") var by: String
        @Option(help: "When the correction is made; now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            var level: Severity?
            if let severity {
                guard let parsed = Severity(rawValue: severity) else {
                    throw ValidationError("--severity: '\(severity)' is not info, minor, major or critical")
                }
                level = parsed
            }
            let result = try host.correct(
                incident: id, by: by, at: try parseInstant(at, option: "--at", in: host.definition.timeZone)
            ) { incident in
                if let description { incident.description = description }
                if let level { incident.severity = level }
                if let injured { incident.injured = injured }
                if let outcome { incident.outcome = outcome }
                if let daysLost { incident.daysLost = daysLost }
                if let firstAid { incident.firstAid = firstAid }
            }
            if output.json { return try output.print(json: result.findings) }
            print("recorded \(result.incident.id), correcting \(id)")
            for finding in result.findings {
                print(FindingsCommand.line(for: finding, timeZone: host.definition.timeZone))
            }
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report an incident; one the law says must be reported gets a finding with the deadline.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "injury, near_miss, dangerous_occurrence, environmental or food_safety.") var kind: String
        @Option(help: "What happened.") var description: String
        @Option(help: "info, minor, major or critical.") var severity: String = "minor"
        @Option(name: .customLong("work-centre"), help: "Where.") var workCentre: String?
        @Option(help: "Who was hurt.") var injured: String?
        @Option(help: "none, first_aid, medical, lost_time, specified or fatal.") var outcome: Incident.Outcome?
        @Option(name: .customLong("days-lost"), help: "Days off normal work, not counting the day of the accident.")
        var daysLost: Int?
        @Option(name: .customLong("first-aid"), help: "The first aid given, by whom.") var firstAid: String?
        @Option(help: "Staff id of who reports it.") var by: String?
        @Option(help: "When it happened; now when absent.") var at: String?

        func run() throws {
            let host = try site.open()
            guard let level = Severity(rawValue: severity) else {
                throw ValidationError("--severity: '\(severity)' is not info, minor, major or critical")
            }
            var incident = Incident(
                id: "", kind: kind, severity: level, description: description, workCentre: workCentre, reportedBy: by,
                at: try parseInstant(at, option: "--at", in: host.definition.timeZone))
            incident.injured = injured
            incident.outcome = outcome
            incident.daysLost = daysLost
            incident.firstAid = firstAid
            let result = try host.report(incident)
            if output.json { return try output.print(json: result.findings) }
            print("recorded \(result.incident.id)")
            for finding in result.findings {
                print(FindingsCommand.line(for: finding, timeZone: host.definition.timeZone))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Incidents over a period (30 days unless --from), and the lost-time injury frequency rate.")
        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "From (site-local).") var from: String?
        @Option(help: "To (site-local); now when absent.") var to: String?

        struct Listing: Encodable {
            var incidents: [Incident]
            var lostTimeInjuries: Int
            var hoursWorked: Double
            var lostTimeInjuryFrequencyRate: Double?
        }

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let period = try parsePeriod(from: from, to: to, days: 30, in: zone)
            let incidents = try host.incidents(in: period)
            let rate = try host.lostTimeInjuryFrequency(in: period)
            if output.json {
                return try output.print(
                    json: Listing(
                        incidents: incidents, lostTimeInjuries: rate.injuries, hoursWorked: rate.hours,
                        lostTimeInjuryFrequencyRate: rate.rate))
            }
            if incidents.isEmpty { print("no incidents in the period") }
            for incident in incidents {
                print(
                    "\(incident.id) \(Instant.format(incident.at, in: zone)) \(incident.kind) (\(incident.severity.rawValue))"
                        + (incident.workCentre.map { " at \($0)" } ?? "") + ": \(incident.description)"
                        + (incident.outcome.map { "; \($0.rawValue.replacingOccurrences(of: "_", with: " "))" } ?? "")
                        + (incident.daysLost.map { ", \($0) day(s) lost" } ?? ""))
            }
            print(
                "lost-time injuries \(rate.injuries) in \(String(format: "%.0f", rate.hours)) rostered hours; LTIFR "
                    + (rate.rate.map { String(format: "%.1f per million hours", $0) } ?? "n/a (nobody rostered)"))
        }
    }
}
