import Foundation
import TaktCore
import TaktScheduling
import TaktStore

/// People as the site knows them today: site.yaml's staff with the skills matrix's assessments and the
/// certificates training gave; absences; training sessions; the findings and the status central compares.
extension SiteHost {
    /// Everyone at the site as of `now`: site.yaml's skills and certificates, then each assessment made by then
    /// (the newest per skill wins), then the certificates training gave.
    public func people(at now: Date) throws(HostError) -> [String: Staff] {
        let (assessments, certificates) = try stored { () throws(StoreError) in
            (try store.assessments(), try store.trainedCertificates())
        }
        guard !assessments.isEmpty || !certificates.isEmpty else { return definition.staff }
        let today = LocalDate(now, in: definition.timeZone)
        var people = definition.staff
        for assessment in assessments where assessment.assessedOn <= today {
            guard let person = people[assessment.staff] else { continue }
            people[assessment.staff] = person.setting(assessment.skill, to: assessment.level)
        }
        for (id, granted) in certificates {
            people[id]?.certificates += granted.filter { ($0.issued ?? today) <= today }
        }
        return people
    }

    // MARK: skills matrix

    /// Records an assessment: refused unless the assessor can train the skill (and is someone else), the day is
    /// not ahead, and the skill is one the site uses.
    public func assess(_ assessment: SkillAssessment, at now: Date) throws(HostError) {
        try requireStaff(assessment.staff)
        try requireStaff(assessment.by)
        let people = try people(at: now)
        let skills = knownSkills(people)
        guard skills.contains(assessment.skill) else {
            throw .unknown(kind: "skill", id: assessment.skill, known: skills.sorted())
        }
        guard assessment.by != assessment.staff else {
            throw .invalidInput(
                "\(assessment.staff) cannot assess themself: ask someone who can train \(assessment.skill)")
        }
        let assessor = people[assessment.by]!
        guard assessor.level(of: assessment.skill) == .canTrain else {
            let level = assessor.level(of: assessment.skill).map { "is \($0.rawValue)" } ?? "does not have it"
            throw .refused([
                "\(assessor.name) (\(assessor.id)) may not assess \(assessment.skill): only someone at can_train may, "
                    + "and they \(level)"
            ])
        }
        guard assessment.assessedOn <= LocalDate(now, in: definition.timeZone) else {
            throw .invalidInput("the assessment's day \(assessment.assessedOn) is ahead of today")
        }
        try stored { () throws(StoreError) in try store.saveAssessment(assessment, at: now) }
    }

    /// Every skill the site names: in routings, crews, eligibility and qualification rules, courses and staff.
    func knownSkills(_ people: [String: Staff]) -> Set<String> {
        var skills = Set(PeopleAnalysis.neededSkills(definition).values.joined())
        skills.formUnion(people.values.flatMap { $0.skills + Array($0.levels.keys) })
        skills.formUnion(definition.people.courses.compactMap(\.skill))
        skills.formUnion(definition.rules.safety.compactMap { ($0 as? QualificationRule)?.skill })
        return skills
    }

    /// The skills matrix: each person's level at each skill the site names, and per work centre the skills it
    /// needs.
    public func skillsMatrix(at now: Date) throws(HostError) -> SkillsMatrix {
        let people = try people(at: now)
        let skills = knownSkills(people).sorted()
        let rows = people.values.sorted { $0.id < $1.id }.map { person in
            SkillsMatrix.Row(
                staff: person.id, name: person.name,
                levels: Dictionary(
                    uniqueKeysWithValues: skills.compactMap { skill in person.level(of: skill).map { (skill, $0) } }))
        }
        let needed = PeopleAnalysis.neededSkills(definition).mapValues { $0.sorted() }
        return SkillsMatrix(skills: skills, rows: rows, workCentres: needed)
    }

    // MARK: absence

    /// What reporting an absence did: the stored absence, and the repaired plan when the plan of record counted on
    /// the person (or why it could not be repaired; the absence is recorded either way).
    public struct AbsenceOutcome: Sendable {
        public var absence: Absence
        public var replan: PlanResult?
        public var replanProblem: String?
    }

    /// Records an absence; when the plan of record counts on the person in it, re-plans (started work stays, the
    /// rest moves as little as it can) and returns what moved.
    @discardableResult
    public func reportAbsence(_ absence: Absence, limits: SearchLimits? = nil, at now: Date) throws(HostError)
        -> AbsenceOutcome
    {
        try requireStaff(absence.staff)
        try requireStaff(absence.reportedBy)
        guard absence.to > absence.from else { throw .invalidInput("an absence must end after it starts") }
        guard absence.to.timeIntervalSince(absence.from) <= 366 * 86_400 else {
            throw .invalidInput("an absence is at most a year; report a longer one in parts")
        }
        guard abs(absence.from.timeIntervalSince(now)) <= 366 * 86_400 else {
            throw .invalidInput(
                "an absence starts within a year of today, not on "
                    + Instant.format(absence.from, in: definition.timeZone))
        }
        let stored = try stored { () throws(StoreError) in try store.addAbsence(absence, at: now) }
        var outcome = AbsenceOutcome(absence: stored)
        guard let limits, let current = try self.stored({ () throws(StoreError) in try store.currentSchedule() })
        else { return outcome }
        let affected = current.rows.contains { row in
            row.times(of: absence.staff).contains { $0.start < absence.to && absence.from < $0.end }
        }
        guard affected else { return outcome }
        let from = max(now, current.summary.from)
        let end = current.summary.from.addingTimeInterval(Double(current.summary.horizonSeconds))
        let horizon = TimeSpan(seconds: max(3600, Int(end.timeIntervalSince(from))))
        do {
            outcome.replan = try replan(Disruption(), from: from, horizon: horizon, limits: limits, now: now)
        } catch {
            outcome.replanProblem = "\(error)"
        }
        return outcome
    }

    /// Absences overlapping `window`.
    public func absences(in window: DateInterval) throws(HostError) -> [Absence] {
        try stored { () throws(StoreError) in try store.absences(in: window) }
    }

    // MARK: planning

    /// The people the planner may put on crews from `from` over `horizon`: their roster entries, absences cut
    /// out, and the work centres an active block keeps them off.
    func crewPool(from: Date, horizon: TimeSpan) throws(HostError) -> [PlantProblemBuilder.Person] {
        let needsPeople = definition.products.values.contains { $0.routing.contains { !$0.crew.isEmpty } }
        guard needsPeople else { return [] }
        let window = DateInterval(start: from, duration: Double(horizon.seconds))
        let people = try people(at: from)
        let roster = Dictionary(grouping: try roster(in: window), by: \.staff)
        let absences = Dictionary(grouping: try absences(in: window), by: \.staff)
        var blocked: [String: Set<String>] = [:]
        for block in try activeBlocks() where block.kind == .blockOperator {
            let parts = block.target.split(separator: "@", maxSplits: 1).map(String.init)
            if parts.count == 2 { blocked[parts[0], default: []].insert(parts[1]) }
        }
        return people.values.sorted { $0.id < $1.id }.compactMap { person in
            guard let shifts = roster[person.id] else { return nil }
            return PlantProblemBuilder.Person(
                staff: person, shifts: shifts,
                absences: (absences[person.id] ?? []).map { DateInterval(start: $0.from, end: max($0.from, $0.to)) },
                blockedAt: blocked[person.id] ?? [])
        }
    }

    /// A person's coming work: their roster entries and the operations the plan of record puts them on.
    public func shifts(of staff: String, from: Date, days: Int) throws(HostError) -> MyShifts {
        try requireStaff(staff)
        let window = DateInterval(start: from, duration: Double(max(1, days)) * 86_400)
        let entries = try stored { () throws(StoreError) in try store.assignments(of: staff, in: window) }
        let rows = try stored { () throws(StoreError) in try store.currentSchedule() }?.rows ?? []
        var work: [MyShifts.Work] = []
        for row in rows where row.kind == .operation {
            for time in row.times(of: staff) where time.end > window.start && time.start < window.end {
                work.append(
                    .init(
                        order: row.order, operation: row.operation, product: row.product, workCentre: row.workCentre,
                        start: time.start, end: time.end, crew: row.crew ?? []))
            }
        }
        let absences = try absences(in: window).filter { $0.staff == staff }
        return MyShifts(
            staff: staff, shifts: entries, work: work.sorted { $0.start < $1.start }, absences: absences)
    }
}

/// The skills matrix: people by skill, with the level of each.
public struct SkillsMatrix: Hashable, Sendable, Codable {
    public struct Row: Hashable, Sendable, Codable {
        public var staff: String
        public var name: String
        public var levels: [String: SkillLevel]
    }
    public var skills: [String]
    public var rows: [Row]
    /// The skills each work centre needs.
    public var workCentres: [String: [String]]
}

/// One person's coming shifts and the work planned for them.
public struct MyShifts: Hashable, Sendable, Codable {
    public struct Work: Hashable, Sendable, Codable {
        public var order: String
        public var operation: String
        public var product: String
        public var workCentre: String
        public var start: Date
        public var end: Date
        public var crew: [String]
    }
    public var staff: String
    public var shifts: [ShiftAssignment]
    public var work: [Work]
    public var absences: [Absence]
}
