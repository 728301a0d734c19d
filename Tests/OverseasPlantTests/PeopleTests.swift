import Foundation
import Testing

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktHost
@testable import TaktScheduling
@testable import TaktStore

/// People as capacity: crews planned on the roster, absence repaired like a breakdown, rosters from patterns
/// checked against working-time law, the skills matrix and training.
@Suite struct PeopleTests {
    static let zone = TimeZone(identifier: "Europe/London")!
    /// Monday 7 December 2026.
    static let monday = LocalDate(year: 2026, month: 12, day: 7)

    static func at(_ day: LocalDate, _ hour: Int, _ minute: Int = 0) -> Date {
        day.instant(at: LocalTime(hour: hour, minute: minute), in: zone)
    }

    func host(extra: String = "", patterns: String = "") throws -> SiteHost {
        let text = """
            site: {id: pies, name: Pies, region: r, time_zone: Europe/London, currency: GBP}
            modules:
              overseas_plant:
                working_time: eu
            calendars:
              - id: two-shifts
                shifts:
                  - {name: early, days: [mon, tue, wed, thu, fri, sat, sun], start: "06:00", end: "14:00"}
                  - {name: late, days: [mon, tue, wed, thu, fri, sat, sun], start: "14:00", end: "22:00"}
            work_centres:
              - {id: line-1, name: Line 1, calendar: two-shifts, splits_across_breaks: true}
            products:
              - id: pie
                routing:
                  - id: fill
                    work_centres: [line-1]
                    units_per_hour: 100
                    crew: [{skill: operator}, {skill: packing, count: 2}]
            rules:
              eligibility:
                - {id: site.line_hygiene, work_centres: [line-1], certificate: food_hygiene_level_2}
            people:
              courses:
                - {id: hygiene-2, name: Food hygiene level 2, certificate: food_hygiene_level_2, valid_months: 36}
                - {id: line-ops, name: Line operation, skill: operator, level: supervised}
            \(patterns)
            staff:
              - {id: ann, name: Ann, skills: [operator], certificates: [{kind: food_hygiene_level_2}]}
              - {id: bob, name: Bob, skills: [operator], certificates: [{kind: food_hygiene_level_2}]}
              - id: tom
                name: Tom
                skills: [operator]
                skill_levels: {operator: can_train}
                certificates: [{kind: food_hygiene_level_2}]
              - {id: pat, name: Pat, skills: [packing], certificates: [{kind: food_hygiene_level_2}]}
              - {id: sam, name: Sam, skills: [packing], certificates: [{kind: food_hygiene_level_2}]}
              - {id: kim, name: Kim, skills: [packing], certificates: [{kind: food_hygiene_level_2}]}
              - {id: lee, name: Lee, skills: [packing], certificates: [{kind: food_hygiene_level_2}]}
              - {id: new, name: Nia, certificates: [{kind: food_hygiene_level_2}]}
            \(extra)
            """
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("people-\(UUID().uuidString).sqlite")
        return SiteHost(
            definition: definition, store: try SiteStore(path: path.path, siteID: definition.site.id),
            clock: { Self.at(Self.monday, 5) })
    }

    /// Monday and Tuesday: Bob on the early shifts, Ann on Monday's late, Tom on Tuesday's late; two packers on each.
    func roster(_ host: SiteHost) throws {
        let now = Self.at(Self.monday, 5)
        for day in [Self.monday, Self.monday.adding(days: 1)] {
            for person in ["bob", "pat", "sam"] {
                try host.assign(
                    ShiftAssignment(
                        staff: person, start: Self.at(day, 6), end: Self.at(day, 14), breakTime: .minutes(30)),
                    at: now)
            }
            for person in [day == Self.monday ? "ann" : "tom", "kim", "lee"] {
                try host.assign(
                    ShiftAssignment(
                        staff: person, start: Self.at(day, 14), end: Self.at(day, 22), breakTime: .minutes(30)),
                    at: now)
            }
        }
    }

    func order(_ host: SiteHost) throws {
        _ = try host.importOrders(
            csv: "id,product,quantity,due\nO-1,pie,1200,2026-12-07T22:00\n", file: "orders.csv",
            at: Self.at(Self.monday, 5))
    }

    static let limits = SearchLimits(timeLimit: .seconds(1), iterations: 200, seed: 1, workers: 1)

    /// Golden: the order needs 12 h of filling with an operator and two packers. Ann, the only operator on
    /// Monday's late shift, is on leave, so the late half waits for Tuesday's early shift and the order is late,
    /// with the reason named; once Tom swaps his Tuesday late shift for Ann's Monday one it is on time again.
    @Test func anOrderIsLateWhileTheOnlyOperatorIsOnLeaveAndOnTimeAfterASwap() throws {
        let host = try host()
        try roster(host)
        try order(host)
        let now = Self.at(Self.monday, 5)
        let planned = try host.plan(from: Self.at(Self.monday, 6), horizon: .days(2), limits: Self.limits, now: now)
        #expect(planned.summary.late.isEmpty)
        let fill = try #require(planned.rows.first { $0.kind == .operation })
        #expect(fill.crew == ["ann", "bob", "kim", "lee", "pat", "sam"])
        #expect(fill.crewPieces?.map(\.crew) == [["bob", "pat", "sam"], ["ann", "kim", "lee"]])

        // Ann's holiday: the plan is repaired at once and says what moved.
        let absence = Absence(
            staff: "ann", kind: .holiday, from: Self.at(Self.monday, 0), to: Self.at(Self.monday.adding(days: 1), 0))
        let repaired = try #require(try host.reportAbsence(absence, limits: Self.limits, at: now).replan)
        let late = try #require(repaired.summary.late.first)
        #expect(late.order == "O-1")
        #expect(
            late.reasons.contains {
                $0.contains("no qualified operator free on the late shift") && $0.contains("waited")
            }, "\(late.reasons)")
        #expect(repaired.changes?.orderEnds.first?.order == "O-1")
        #expect(try host.shifts(of: "ann", from: Self.at(Self.monday, 0), days: 2).work.isEmpty)

        // Tom takes Ann's Monday late shift; Ann takes his on Tuesday.
        try host.swapShift(of: "ann", on: Self.monday, with: "tom", theirs: Self.monday.adding(days: 1), at: now)
        let swapped = try host.plan(from: Self.at(Self.monday, 6), horizon: .days(2), limits: Self.limits, now: now)
        #expect(swapped.summary.late.isEmpty)
        #expect(swapped.rows.first { $0.kind == .operation }?.crew?.contains("tom") == true)
        let toms = try host.shifts(of: "tom", from: Self.at(Self.monday, 0), days: 2)
        #expect(toms.work.map(\.order) == ["O-1"])
        #expect(toms.shifts.map { LocalDate($0.start, in: Self.zone) } == [Self.monday])
    }

    /// A certificate the line asks for that lapses inside the horizon ends that person's time on the line: Eve's
    /// hygiene certificate is valid through Monday, so Tuesday's filling goes to Tom, not to her.
    @Test func aCertificateLapsingInsideTheHorizonEndsThatPersonsTimeOnTheLine() throws {
        let host = try host(
            extra: """
                  - {id: eve, name: Eve, skills: [operator], certificates: [{kind: food_hygiene_level_2, expires: 2026-12-07}]}
                """)
        let now = Self.at(Self.monday, 5)
        let tuesday = Self.monday.adding(days: 1)
        for person in ["eve", "tom", "pat", "sam"] {
            try host.assign(
                ShiftAssignment(
                    staff: person, start: Self.at(tuesday, 6), end: Self.at(tuesday, 14), breakTime: .minutes(30)),
                at: now)
        }
        _ = try host.importOrders(
            csv: "id,product,quantity,due\nO-2,pie,600,2026-12-08T22:00\n", file: "orders.csv", at: now)
        let planned = try host.plan(from: Self.at(Self.monday, 6), horizon: .days(2), limits: Self.limits, now: now)
        #expect(planned.rows.first { $0.kind == .operation }?.crew == ["pat", "sam", "tom"])
    }

    /// A certificate's months count the same everywhere: what a course gives, what the planner and the findings
    /// read, and what the eligibility rules accept — also from the end of a long month.
    @Test func certificateMonthsCountTheSameInTheCourseTheRulesAndThePlanner() {
        for (issued, months, last) in [
            ((2026, 3, 10), 36, (2029, 3, 9)), ((2026, 1, 31), 1, (2026, 2, 28)), ((2027, 12, 31), 2, (2028, 2, 29)),
            ((2026, 5, 1), 24, (2028, 4, 30)),
        ] {
            let day = LocalDate(year: issued.0, month: issued.1, day: issued.2)
            let through = LocalDate(year: last.0, month: last.1, day: last.2)
            let course = TrainingCourse(id: "c", name: "C", certificate: "k", validMonths: months)
            #expect(course.expiry(from: day) == through, "\(day) + \(months)")
            let certificate = Staff.Certificate(kind: "k", issued: day)
            #expect(certificate.isValid(on: through, forMonths: months))
            #expect(!certificate.isValid(on: through.adding(days: 1), forMonths: months))
            let person = Staff(id: "p", name: "P", certificates: [certificate])
            #expect(person.validity(of: "k", forMonths: months) == .through(through))
        }
    }

    /// Nobody rostered who can fill a crew: the order is left out with the reason, not planned on ghosts.
    @Test func anOrderWithNoQualifiedPeopleRosteredIsUnplannableWithTheReason() throws {
        let host = try host()
        try order(host)
        let now = Self.at(Self.monday, 5)
        try host.assign(
            ShiftAssignment(
                staff: "pat", start: Self.at(Self.monday, 6), end: Self.at(Self.monday, 14), breakTime: .minutes(30)),
            at: now)
        let none = try host.plan(from: Self.at(Self.monday, 6), horizon: .days(2), limits: Self.limits, now: now)
        #expect(none.summary.unplannable?.first?.reason.contains("needs 1 × operator at line-1: nobody") == true)
        try host.assign(
            ShiftAssignment(
                staff: "bob", start: Self.at(Self.monday, 6), end: Self.at(Self.monday, 14), breakTime: .minutes(30)),
            at: now)
        let one = try host.plan(from: Self.at(Self.monday, 6), horizon: .days(2), limits: Self.limits, now: now)
        #expect(one.summary.unplannable?.first?.reason.contains("needs 2 × packing at line-1: only 1") == true)
        #expect(one.rows.isEmpty)
    }

    /// Golden: a rotating roster with too little weekly rest is refused naming the rule, and nothing is saved;
    /// the built-in 4-on-4-off pattern passes.
    @Test func aRotatingRosterWithTooLittleWeeklyRestIsRefused() throws {
        let host = try host(
            patterns: """
                  patterns:
                    - id: thirteen-on
                      cycle: "DDDDDDDDDDDDD-"
                      shifts: [{code: D, start: "06:00", end: "14:00"}]
                """)
        let now = Self.at(Self.monday, 5)
        do {
            try host.generateRoster(pattern: "thirteen-on", teams: [["pat"]], from: Self.monday, days: 14, at: now)
            Issue.record("a 13-day run was accepted")
        } catch {
            let reasons: [String]
            if case .refused(let found) = error { reasons = found } else { reasons = ["\(error)"] }
            #expect(reasons.contains { $0.contains("weekly_rest") }, "\(reasons)")
        }
        #expect(try host.roster(in: DateInterval(start: now, duration: 30 * 86_400)).isEmpty)
        let saved = try host.generateRoster(
            pattern: "4-on-4-off", teams: [["ann"], ["bob"], ["tom"], ["kim"]], from: Self.monday, days: 16, at: now)
        #expect(saved.count == 32)
        // Someone in two teams, a pattern for more teams than given, an unknown pattern: refused.
        #expect(throws: HostError.self) {
            try host.generateRoster(
                pattern: "2-2-3", teams: [["pat"], ["pat"], ["sam"], ["lee"]], from: Self.monday, days: 7, at: now)
        }
        #expect(throws: HostError.self) {
            try host.generateRoster(pattern: "2-2-3", teams: [["pat"]], from: Self.monday, days: 7, at: now)
        }
        #expect(throws: HostError.self) {
            try host.generateRoster(pattern: "9-80", teams: [["pat"]], from: Self.monday, days: 7, at: now)
        }
        // A pattern whose numbers could only overflow is a configuration error, not a crash.
        let hostile = ShiftPattern(
            id: "x", cycle: "D-",
            shifts: [.init(code: "D", start: LocalTime(hour: 6, minute: 0), end: LocalTime(hour: 14, minute: 0))],
            teams: 2, offset: Int.max)
        #expect(hostile.problems.contains { $0.contains("offset between teams is 0 to 366 days") })
        // A person assigned twice at once.
        #expect(throws: HostError.self) {
            try host.assign(
                ShiftAssignment(staff: "ann", start: Self.at(Self.monday, 8), end: Self.at(Self.monday, 12)), at: now)
        }
    }

    /// Golden: a certificate that lapses in 20 days raises a finding for next month's rostered work, proposing a
    /// session; booking the person on a session before then settles it.
    @Test func aCertificateExpiringIn20DaysRaisesAFindingForNextMonthsWork() throws {
        let host = try host(
            extra: """
                  - {id: eve, name: Eve, skills: [packing], certificates: [{kind: food_hygiene_level_2, expires: 2026-12-27}]}
                """)
        let now = Self.at(Self.monday, 5)
        try host.assign(
            ShiftAssignment(
                staff: "eve", start: Self.at(LocalDate(year: 2027, month: 1, day: 6), 6),
                end: Self.at(LocalDate(year: 2027, month: 1, day: 6), 14), breakTime: .minutes(30)), at: now)
        let findings = try host.peopleFindings(at: now).filter { $0.rule == "site.training.certificate_expiring" }
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.subject == .init(.staff, "eve"))
        #expect(finding.message.contains("valid through 2026-12-27 (20 days)"), "\(finding.message)")
        #expect(finding.actions.first?.target.contains("schedule a hygiene-2 session") == true)
        _ = try host.scheduleSession(
            TrainingSession(
                course: "hygiene-2", at: Self.at(Self.monday.adding(days: 7), 9), trainer: "external:Acme",
                attendees: [.init(staff: "eve")]), at: now)
        #expect(try host.peopleFindings(at: now).filter { $0.rule == "site.training.certificate_expiring" }.isEmpty)
    }

    /// Training: a session needs a trainer who may give it; recording it renews certificates and moves the matrix.
    /// Assessments need someone at can_train.
    @Test func trainingAndAssessmentsUpdateTheMatrixAndBadInputIsRefused() throws {
        let host = try host()
        let now = Self.at(Self.monday, 5)
        let session = TrainingSession(
            course: "line-ops", at: Self.at(Self.monday, 4), trainer: "tom", attendees: [.init(staff: "new")])
        #expect(throws: HostError.self) {
            try host.scheduleSession(
                TrainingSession(course: "line-ops", at: now, trainer: " ", attendees: [.init(staff: "new")]), at: now)
        }
        #expect(throws: HostError.self) {
            try host.scheduleSession(
                TrainingSession(course: "line-ops", at: now, trainer: "bob", attendees: [.init(staff: "new")]), at: now)
        }
        let planned = try host.scheduleSession(session, at: now)
        #expect(throws: HostError.self) { try host.recordSession(planned.id!, attended: [], passed: ["new"], at: now) }
        _ = try host.recordSession(planned.id!, attended: ["new"], passed: ["new"], at: now)
        #expect(throws: HostError.self) { try host.recordSession(planned.id!, attended: ["new"], passed: [], at: now) }
        #expect(try host.people(at: now)["new"]?.level(of: "operator") == .supervised)
        #expect(try host.people(at: now)["new"]?.skills.contains("operator") == false)

        // Bob may not assess (he is competent, not a trainer); Tom may; nobody assesses themself.
        let assessment = SkillAssessment(
            staff: "new", skill: "operator", level: .competent, assessedOn: Self.monday, by: "bob")
        #expect(throws: HostError.self) { try host.assess(assessment, at: now) }
        var byTom = assessment
        byTom.by = "tom"
        try host.assess(byTom, at: now)
        #expect(try host.people(at: now)["new"]?.skills.contains("operator") == true)
        var own = byTom
        own.staff = "tom"
        #expect(throws: HostError.self) { try host.assess(own, at: now) }
        var unknown = byTom
        unknown.skill = "juggling"
        #expect(throws: HostError.self) { try host.assess(unknown, at: now) }
        let matrix = try host.skillsMatrix(at: now)
        #expect(matrix.rows.first { $0.staff == "new" }?.levels["operator"] == .competent)
        #expect(matrix.workCentres["line-1"] == ["operator", "packing"])
    }

    /// Single points of failure: Bob is the only operator who works the early shift this week; the late shift has
    /// Ann and Tom, and four packers cover both.
    @Test func aSkillOnlyOnePersonHoldsOnAShiftIsAFinding() throws {
        let host = try host()
        try roster(host)
        let findings = try host.peopleFindings(at: Self.at(Self.monday, 5)).filter {
            $0.rule == "site.people.single_point_of_failure"
        }
        #expect(findings.count == 1)
        #expect(findings.contains { $0.message.hasPrefix("only Bob can do operator at line-1 on the early shift") })
        #expect(!findings.contains { $0.message.contains("packing") })
        let status = try host.peopleStatus(at: Self.at(Self.monday, 5))
        #expect(status.singlePoints.count == 1)
        #expect(status.certificatesNeeded > 0 && status.trainingCompliance == 1)
    }
}
