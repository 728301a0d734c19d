import Foundation
import TaktCore
import TaktStore

/// Training: sessions of the site's courses with a trainer and attendees; recording one updates certificates and
/// the skills matrix; certificates that will lapse before planned work raise findings ahead of time.
extension SiteHost {
    /// Plans a session. Refused without a trainer, with a trainer who may not give the course (someone who can
    /// train its skill, or holds its certificate; or `external:` and a name), without attendees, or with the
    /// trainer among them.
    public func scheduleSession(_ session: TrainingSession, at now: Date) throws(HostError) -> TrainingSession {
        guard let course = definition.people.courses.first(where: { $0.id == session.course }) else {
            throw .unknown(kind: "course", id: session.course, known: definition.people.courses.map(\.id))
        }
        let trainer = session.trainer.trimmingCharacters(in: .whitespaces)
        guard !trainer.isEmpty, trainer != "external:" else {
            throw .invalidInput("a session needs a trainer (--trainer: a staff id, or external:NAME)")
        }
        guard !session.attendees.isEmpty else { throw .invalidInput("a session needs at least one attendee") }
        guard session.at.timeIntervalSince(now) <= 366 * 86_400 else {
            throw .invalidInput(
                "a session is planned at most a year ahead, not on \(Instant.format(session.at, in: definition.timeZone))"
            )
        }
        for attendee in session.attendees { try requireStaff(attendee.staff) }
        if let twice = Dictionary(grouping: session.attendees.map(\.staff), by: { $0 }).first(where: {
            $0.value.count > 1
        }) {
            throw .invalidInput("\(twice.key) is listed twice")
        }
        if !session.trainerIsExternal {
            try requireStaff(trainer)
            guard !session.attendees.contains(where: { $0.staff == trainer }) else {
                throw .invalidInput("\(trainer) cannot train a session they attend")
            }
            let person = try people(at: session.at)[trainer]!
            let day = LocalDate(session.at, in: definition.timeZone)
            let canTrain = course.skill.map { person.level(of: $0) == .canTrain } ?? false
            let certified = course.certificate.map { person.holdsValidCertificate($0, on: day) } ?? false
            guard canTrain || certified else {
                let need = [
                    course.skill.map { "can_train at \($0)" }, course.certificate.map { "a valid \($0) certificate" },
                ]
                .compactMap { $0 }.joined(separator: " or ")
                throw .refused([
                    "\(person.name) (\(trainer)) may not give \(course.id): a trainer needs \(need.isEmpty ? "to be named external" : need)"
                ])
            }
        }
        var planned = session
        planned.trainer = trainer
        planned.status = .planned
        planned.attendees = session.attendees.map { .init(staff: $0.staff) }
        return try stored { () throws(StoreError) in try store.addSession(planned, at: now) }
    }

    /// Records a planned session as held: who attended and who passed. A pass gives the course's certificate from
    /// the session's day (valid for the course's months) and its skill level; someone who passed must have
    /// attended. `cancelled` records it as not held.
    public func recordSession(
        _ id: Int64, attended: [String], passed: [String], cancelled: Bool = false, at now: Date
    ) throws(HostError) -> TrainingSession {
        guard var session = try sessions().first(where: { $0.id == id }) else {
            throw .unknown(
                kind: "training session", id: String(id), known: try sessions().compactMap { $0.id.map(String.init) })
        }
        guard let course = definition.people.courses.first(where: { $0.id == session.course }) else {
            throw .invalidInput("session \(id) is for course \(session.course), which the site no longer has")
        }
        let listed = Set(session.attendees.map(\.staff))
        for person in attended + passed where !listed.contains(person) {
            throw .invalidInput(
                "\(person) was not booked on session \(id) (booked: \(listed.sorted().joined(separator: ", ")))")
        }
        for person in passed where !attended.contains(person) {
            throw .invalidInput("\(person) cannot pass without attending (add them to --attended)")
        }
        guard cancelled || session.at <= now else {
            throw .invalidInput(
                "session \(id) is on \(Instant.format(session.at, in: definition.timeZone)), ahead of now")
        }
        session.status = cancelled ? .cancelled : .held
        session.attendees = session.attendees.map {
            cancelled
                ? $0 : .init(staff: $0.staff, attended: attended.contains($0.staff), passed: passed.contains($0.staff))
        }
        let day = LocalDate(session.at, in: definition.timeZone)
        let certificates: [(staff: String, certificate: Staff.Certificate)] =
            cancelled
            ? []
            : course.certificate.map { kind in
                passed.map { ($0, Staff.Certificate(kind: kind, expires: course.expiry(from: day), issued: day)) }
            } ?? []
        let assessments: [SkillAssessment] =
            cancelled
            ? []
            : course.skill.map { skill in
                passed.map {
                    SkillAssessment(
                        staff: $0, skill: skill, level: course.level ?? .competent, assessedOn: day,
                        by: session.trainer,
                        note: "passed \(course.id) (session \(id))")
                }
            } ?? []
        let recorded = session
        try stored { () throws(StoreError) in
            try store.recordSession(recorded, certificates: certificates, assessments: assessments, at: now)
        }
        return session
    }

    /// Training sessions, soonest first.
    public func sessions() throws(HostError) -> [TrainingSession] {
        try stored { () throws(StoreError) in try store.sessions() }
    }

    /// Findings for certificates that lapse within the training lead before planned work that needs them (a
    /// roster entry or a planned crew after the last valid day), unless the person is booked on a session that
    /// renews it before then; and for single points of failure on the coming shifts.
    func peopleFindings(at now: Date) throws(HostError) -> [Finding] {
        let people = try people(at: now)
        return try peopleFindings(at: now, people: people, singlePoints: try singlePoints(at: now, people: people))
    }

    /// `peopleFindings(at:)` from people and single points the caller already has.
    func peopleFindings(at now: Date, people: [String: Staff], singlePoints: [PeopleAnalysis.SinglePoint])
        throws(HostError) -> [Finding]
    {
        guard !definition.staff.isEmpty else { return [] }
        let zone = definition.timeZone
        let today = LocalDate(now, in: zone)
        let lead = definition.people.trainingLead
        let horizon = DateInterval(start: now, duration: Double(lead.seconds) + 62 * 86_400)
        let coming = try roster(in: horizon)
        let sessions = try sessions().filter { $0.status == .planned }
        var findings: [Finding] = []
        for need in PeopleAnalysis.certificateNeeds(definition, people: people) {
            guard let person = people[need.staff],
                case .through(let last) = person.validity(of: need.certificate, forMonths: need.months),
                last >= today, last.dayNumber - today.dayNumber <= lead.seconds / 86_400
            else { continue }
            let lapse = last.adding(days: 1).instant(in: zone)
            guard
                let work = coming.first(where: { entry in
                    entry.staff == need.staff && entry.end > lapse
                        && (entry.workCentre.map(need.workCentres.contains) ?? true)
                })
            else { continue }
            let courses = definition.people.courses(giving: need.certificate)
            let booked = sessions.contains { session in
                courses.contains { $0.id == session.course } && session.at < lapse
                    && session.attendees.contains { $0.staff == need.staff }
            }
            guard !booked else { continue }
            let next = sessions.first { session in courses.contains { $0.id == session.course } && session.at < lapse }
            let proposal =
                next.map {
                    "book \(person.name) on session \($0.id ?? 0) of \($0.course) on \(Instant.format($0.at, in: zone))"
                }
                ?? (courses.first.map {
                    "schedule a \($0.id) session before \(last.adding(days: 1)) (takt training schedule)"
                }
                    ?? "renew the \(need.certificate) certificate before \(last.adding(days: 1))")
            let days = last.dayNumber - today.dayNumber
            let shift = Instant.format(max(work.start, lapse), in: zone)
            findings.append(
                Finding(
                    rule: "site.training.certificate_expiring", severity: .major, subject: .init(.staff, person.id),
                    message:
                        "\(person.name)'s \(need.certificate) certificate is valid through \(last) (\(days) days), "
                        + "but they are rostered from \(shift) for work that needs it (\(need.rule))",
                    actions: [FindingAction(.correctiveAction, proposal)], raisedAt: now,
                    key: "certificate-expiring:\(person.id):\(need.certificate):\(last)"
                ).translated([
                    .spanish: (
                        "El certificado \(need.certificate) de \(person.name) vale hasta el \(last) (\(days) días), "
                            + "pero tiene turnos desde \(shift) que lo requieren (\(need.rule))", proposal
                    ),
                    .malay: (
                        "Sijil \(need.certificate) \(person.name) sah hingga \(last) (\(days) hari), tetapi dia "
                            + "dijadualkan dari \(shift) untuk kerja yang memerlukannya (\(need.rule))", proposal
                    ),
                ]))
        }
        let monday = today.adding(days: -(Weekday.allCases.firstIndex(of: Weekday(today, in: zone)) ?? 0))
        for point in singlePoints {
            let who = point.people.first.map { people[$0]?.name ?? $0 }
            let message =
                who.map { "only \($0) can do \(point.skill) at \(point.workCentre) on the \(point.shift) shift" }
                ?? "nobody rostered on the \(point.shift) shift can do \(point.skill) at \(point.workCentre)"
            let action = "train or roster a second person for \(point.skill) on the \(point.shift) shift"
            findings.append(
                Finding(
                    rule: "site.people.single_point_of_failure", severity: who == nil ? .major : .minor,
                    subject: .init(.workCentre, point.workCentre),
                    message: message + " (next \(definition.people.matrixDays) days)",
                    actions: [FindingAction(.correctiveAction, action)], raisedAt: now,
                    key: "single-point:\(point.workCentre):\(point.skill):\(point.shift):\(monday)"
                ).translated([
                    .spanish: (
                        who.map { "solo \($0) sabe \(point.skill) en \(point.workCentre) en el turno \(point.shift)" }
                            ?? "nadie en el turno \(point.shift) sabe \(point.skill) en \(point.workCentre)",
                        "forme o asigne a una segunda persona para \(point.skill) en el turno \(point.shift)"
                    ),
                    .malay: (
                        who.map {
                            "hanya \($0) boleh melakukan \(point.skill) di \(point.workCentre) pada syif \(point.shift)"
                        }
                            ?? "tiada sesiapa dalam syif \(point.shift) boleh melakukan \(point.skill) di \(point.workCentre)",
                        "latih atau jadualkan orang kedua untuk \(point.skill) pada syif \(point.shift)"
                    ),
                ]))
        }
        return findings
    }

    /// The single points of failure over the next `people.matrixDays` of roster, judged on `now`'s day
    /// (`PeopleAnalysis.singlePoints`); `people` as `people(at: now)` gives them, when the caller has them.
    public func singlePoints(at now: Date, people: [String: Staff]? = nil) throws(HostError)
        -> [PeopleAnalysis.SinglePoint]
    {
        let window = DateInterval(start: now, duration: Double(definition.people.matrixDays) * 86_400)
        let known: [String: Staff]
        if let people { known = people } else { known = try self.people(at: now) }
        return PeopleAnalysis.singlePoints(
            definition, people: known, roster: try roster(in: window),
            on: LocalDate(now, in: definition.timeZone))
    }

    /// What central compares about the site's people (see `PeopleStatus`).
    public func peopleStatus(at now: Date) throws(HostError) -> PeopleStatus {
        let people = try people(at: now)
        return try peopleStatus(at: now, people: people, singlePoints: try singlePoints(at: now, people: people))
    }

    /// `PeopleStatus` from people and single points the caller already has (the sweep shares them with its
    /// findings).
    func peopleStatus(at now: Date, people: [String: Staff], singlePoints: [PeopleAnalysis.SinglePoint])
        throws(HostError) -> PeopleStatus
    {
        let zone = definition.timeZone
        let today = LocalDate(now, in: zone)
        let needs = PeopleAnalysis.certificateNeeds(definition, people: people)
        let leadDays = definition.people.trainingLead.seconds / 86_400
        var valid = 0
        var expiring = 0
        for need in needs {
            guard let person = people[need.staff] else { continue }
            switch person.validity(of: need.certificate, forMonths: need.months) {
            case .unlimited: valid += 1
            case .through(let last) where last >= today:
                valid += 1
                if last.dayNumber - today.dayNumber <= leadDays { expiring += 1 }
            default: break
            }
        }
        let dayStart = today.instant(in: zone)
        let day = DateInterval(start: dayStart, end: today.adding(days: 1).instant(in: zone))
        var levels: [String: Int] = [:]
        for person in people.values { for level in person.levels.values { levels[level.rawValue, default: 0] += 1 } }
        for person in people.values {
            for skill in person.skills where person.levels[skill] == nil {
                levels[SkillLevel.competent.rawValue, default: 0] += 1
            }
        }
        return PeopleStatus(
            people: people.count, certificatesNeeded: needs.count, certificatesValid: valid,
            certificatesExpiring: expiring,
            singlePoints: singlePoints,
            absentToday: Set(try absences(in: day).map(\.staff)).count,
            sessionsPlanned: try sessions().filter { $0.status == .planned && $0.at >= now }.count, levels: levels)
    }
}
