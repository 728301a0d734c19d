import ArgumentParser
import Foundation
import TaktCore
import TaktHost

/// `takt training`: the site's courses, sessions with a trainer and attendees, and their outcomes.
struct TrainingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training", abstract: "Courses, training sessions and their outcomes.",
        subcommands: [Courses.self, Schedule.self, Record.self, List.self], defaultSubcommand: List.self)

    struct Courses: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The site's courses (people.courses).")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let courses = host.definition.people.courses
            if output.json { return try output.print(json: courses) }
            if courses.isEmpty { print("no courses: add them under people.courses in site.yaml") }
            for course in courses {
                let gives = [
                    course.certificate.map {
                        "certificate \($0)" + (course.validMonths.map { " for \($0) months" } ?? "")
                    },
                    course.skill.map { "skill \($0) at \((course.level ?? .competent).rawValue)" },
                ].compactMap { $0 }.joined(separator: "; ")
                print("\(course.id): \(course.name) (\(gives))")
            }
        }
    }

    struct Schedule: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan a session; the trainer must be able to give the course.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Course id.") var course: String
        @Option(help: "When (site-local).") var at: String
        @Option(help: "A staff id who can train it, or external:NAME.") var trainer: String
        @Option(help: "An attendee's staff id; repeat for each.") var attendee: [String] = []

        func run() throws {
            let host = try site.open()
            let session = try host.scheduleSession(
                TrainingSession(
                    course: course, at: try parseInstant(at, option: "--at", in: host.definition.timeZone),
                    trainer: trainer, attendees: attendee.map { .init(staff: $0) }), at: Date())
            if output.json { return try output.print(json: session) }
            print(
                "session \(session.id ?? 0): \(course) on \(Instant.format(session.at, in: host.definition.timeZone)) "
                    + "with \(trainer) for \(attendee.joined(separator: ", "))")
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a session as held: who attended and passed (certificates and the matrix follow).")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Session id.") var session: Int64
        @Option(help: "Who attended; repeat for each.") var attended: [String] = []
        @Option(help: "Who passed; repeat for each.") var passed: [String] = []
        @Flag(help: "The session did not take place.") var cancelled = false

        func run() throws {
            let host = try site.open()
            let recorded = try host.recordSession(
                session, attended: attended, passed: passed, cancelled: cancelled, at: Date())
            if output.json { return try output.print(json: recorded) }
            print(
                "session \(session) \(recorded.status.rawValue): \(passed.count) passed of \(attended.count) attending")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Training sessions, soonest first.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let sessions = try host.sessions()
            if output.json { return try output.print(json: sessions) }
            if sessions.isEmpty { print("no training sessions") }
            for session in sessions {
                let people = session.attendees.map { attendee in
                    attendee.staff
                        + (attendee.passed == true ? " (passed)" : attendee.attended == false ? " (absent)" : "")
                }
                print(
                    "\(session.id ?? 0)  \(session.status.rawValue)  \(session.course)  "
                        + "\(Instant.format(session.at, in: host.definition.timeZone))  trainer \(session.trainer): "
                        + people.joined(separator: ", "))
            }
        }
    }
}
