import ArgumentParser
import Foundation
import TaktCore
import TaktHost
import TaktScheduling

/// `takt staff`: the people, their skills matrix, absence, their coming shifts, and whether they may work at a
/// station now.
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "People: skills matrix, assessments, absence, shifts and clearance.",
        subcommands: [
            Matrix.self, Assess.self, Absent.self, Absences.self, Shifts.self, Clearance.self,
        ], defaultSubcommand: Matrix.self)

    struct Matrix: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The skills matrix (1 in training, 2 supervised, 3 competent, 4 can train) and single points "
                + "of failure on the coming shifts.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let host = try site.open()
            let now = Date()
            let matrix = try host.skillsMatrix(at: now)
            let singlePoints = try host.singlePoints(at: now)
            if output.json { return try output.print(json: Result(matrix: matrix, singlePoints: singlePoints)) }
            let width = max(8, matrix.rows.map(\.staff.count).max() ?? 0)
            print(
                "staff".padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + matrix.skills.joined(separator: "  "))
            for row in matrix.rows {
                let cells = matrix.skills.map { skill in
                    (row.levels[skill].map { String($0.rank) } ?? "-").padding(
                        toLength: skill.count, withPad: " ", startingAt: 0)
                }
                print(
                    row.staff.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                        + cells.joined(separator: "  "))
            }
            for (centre, skills) in matrix.workCentres.sorted(by: { $0.key < $1.key }) {
                print("\(centre) needs: \(skills.joined(separator: ", "))")
            }
            if !singlePoints.isEmpty { print("\nsingle points of failure:") }
            for point in singlePoints {
                print(
                    "  \(point.workCentre) \(point.skill) on the \(point.shift) shift: "
                        + (point.people.isEmpty ? "nobody" : "only \(point.people.joined())"))
            }
        }

        struct Result: Encodable {
            var matrix: SkillsMatrix
            var singlePoints: [PeopleAnalysis.SinglePoint]
        }
    }

    struct Assess: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a skill level; the assessor must be able to train the skill.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Who is assessed.") var staff: String
        @Option(help: "The skill.") var skill: String
        @Option(help: "in_training, supervised, competent or can_train (or 1–4).") var level: String
        @Option(help: "Who assessed (staff id, at can_train).") var by: String
        @Option(help: "The day assessed (site-local); today when absent.") var on: String?
        @Option(help: "What was seen.") var note: String?

        func run() throws {
            let host = try site.open()
            guard let parsed = SkillLevel(parsing: level) else {
                throw ValidationError("--level: '\(level)' is not in_training, supervised, competent or can_train")
            }
            let assessment = SkillAssessment(
                staff: staff, skill: skill, level: parsed,
                assessedOn: try parseDay(on, option: "--on", in: host.definition.timeZone), by: by, note: note)
            try host.assess(assessment, at: Date())
            if output.json { return try output.print(json: assessment) }
            print("\(staff) is \(parsed.rawValue) at \(skill) (assessed by \(by) on \(assessment.assessedOn))")
        }
    }

    struct Absent: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report an absence; a plan that counted on the person is repaired and what moved is shown.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Who is away.") var staff: String
        @Option(help: "holiday, sickness, training or other.") var kind: String
        @Option(help: "From (site-local).") var from: String
        @Option(help: "Until (site-local).") var to: String
        @Option(help: "Who reports it.") var by: String?
        @Option(help: "A note.") var note: String?
        @Option(help: "Seconds the plan repair may search.") var limit: Int = 5

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            guard let parsed = Absence.Kind(rawValue: kind) else {
                throw ValidationError("--kind: '\(kind)' is not holiday, sickness, training or other")
            }
            let absence = Absence(
                staff: staff, kind: parsed, from: try parseInstant(from, option: "--from", in: zone),
                to: try parseInstant(to, option: "--to", in: zone), note: note, reportedBy: by)
            let result = try host.reportAbsence(
                absence, limits: SearchLimits(timeLimit: .seconds(max(1, limit))), at: Date())
            if output.json {
                return try output.print(
                    json: Result(
                        absence: result.absence, changes: result.replan?.changes, replanProblem: result.replanProblem))
            }
            print(
                "\(staff) is away (\(parsed.rawValue)) \(Instant.format(absence.from, in: zone)) – "
                    + Instant.format(absence.to, in: zone))
            if let problem = result.replanProblem { return print("the plan could not be repaired: \(problem)") }
            guard let replan = result.replan else { return print("the plan of record does not count on them") }
            let changes = replan.changes
            print(
                "the plan was repaired: \(changes?.moved.count ?? 0) operation(s) moved, "
                    + "\(replan.summary.late.count) late")
            for end in changes?.orderEnds ?? [] {
                print(
                    "  \(end.order): \(end.before.map { Instant.format($0, in: zone) } ?? "-") → "
                        + (end.after.map { Instant.format($0, in: zone) } ?? "not planned"))
            }
            for late in replan.summary.late {
                print("  \(late.order) late: " + (late.reasons.first ?? ""))
            }
        }

        struct Result: Encodable {
            var absence: Absence
            var changes: ScheduleChanges?
            var replanProblem: String?
        }
    }

    struct Absences: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List absences from a day on.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "First day (site-local); today when absent.") var from: String?
        @Option(help: "How many days.") var days: Int = 14

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let start = try parseDay(from, option: "--from", in: zone).instant(in: zone)
            let list = try host.absences(in: DateInterval(start: start, duration: Double(max(1, days)) * 86_400))
            if output.json { return try output.print(json: list) }
            if list.isEmpty { print("no absences") }
            for absence in list {
                print(
                    "\(absence.staff)  \(absence.kind.rawValue)  \(Instant.format(absence.from, in: zone)) – "
                        + Instant.format(absence.to, in: zone) + (absence.note.map { "  \($0)" } ?? ""))
            }
        }
    }

    struct Shifts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A person's coming shifts and the operations the plan puts them on.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Staff id.") var staff: String
        @Option(help: "First day (site-local); today when absent.") var from: String?
        @Option(help: "How many days.") var days: Int = 7

        func run() throws {
            let host = try site.open()
            let zone = host.definition.timeZone
            let start = try parseDay(from, option: "--from", in: zone).instant(in: zone)
            let mine = try host.shifts(of: staff, from: start, days: days)
            if output.json { return try output.print(json: mine) }
            if mine.shifts.isEmpty { print("\(staff) is not rostered") }
            for shift in mine.shifts {
                print(
                    "shift \(Instant.format(shift.start, in: zone)) – \(Instant.format(shift.end, in: zone))"
                        + (shift.workCentre.map { " at \($0)" } ?? ""))
                for work in mine.work where work.start < shift.end && shift.start < work.end {
                    print(
                        "  \(Instant.format(work.start, in: zone)) – \(Instant.format(work.end, in: zone))  "
                            + "\(work.order) \(work.operation) on \(work.workCentre) with "
                            + work.crew.filter { $0 != staff }.joined(separator: ", "))
                }
            }
            for absence in mine.absences {
                print(
                    "away (\(absence.kind.rawValue)) \(Instant.format(absence.from, in: zone)) – "
                        + Instant.format(absence.to, in: zone))
            }
        }
    }

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
