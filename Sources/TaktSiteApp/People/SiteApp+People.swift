import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktScheduling
import TaktWeb

/// People: who is on shift, clearance at a station, my shifts and the work planned for me, my training, reporting
/// absence (my own; a supervisor also for others), and for supervisors the skills matrix with its single points of
/// failure and the roster form.
extension SiteApp {
    func addPeoplePages(to router: Router<WebContext>) {
        router.post("/people/roster") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.roster, session) { try await self.roster(request, session) }
            }
        }
        router.post("/people/absence") { request, _ in
            try await self.withSession(request) { session in try await self.reportAbsence(request, session) }
        }
        router.get("/people") { request, _ in
            try await self.withSession(request) { session in
                let query = request.uri.queryParameters
                return try self.peoplePage(
                    session, staff: query["staff"].map(String.init), at: query["work_centre"].map(String.init))
            }
        }
    }

    /// Who is on shift now, and whether someone is cleared at a station (the answer of `takt staff clearance`).
    func peoplePage(_ session: Session, staff: String?, at workCentre: String?, notice: String? = nil) throws
        -> Response
    {
        let texts = session.texts
        let now = clock()
        let zone = host.definition.timeZone
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        html += "<h2>\(escape(texts("people.on_shift")))</h2>"
        let shifts = try host.roster(in: DateInterval(start: now, duration: 1)).filter {
            $0.start <= now && $0.end > now
        }
        if shifts.isEmpty { html += "<p>\(escape(texts("people.nobody")))</p>" }
        for shift in shifts {
            let name = host.definition.staff[shift.staff]?.name ?? shift.staff
            html +=
                "<div class=\"card\">\(escape(texts("people.shift_row", name, texts.time(shift.start, zone), texts.time(shift.end, zone))))</div>"
        }
        let centres = options(workCentreChoices, selected: workCentre)
        html += """
            <h2>\(escape(texts("people.clearance")))</h2>
            <form method="get" action="/people" class="stack">
            <label>\(escape(texts("people.staff")))<input name="staff" value="\(escape(staff ?? ""))" required></label>
            <label>\(escape(texts("production.work_centre")))<select name="work_centre">\(centres)</select></label>
            <button>\(escape(texts("people.check")))</button></form>
            """
        if let staff, let workCentre {
            do {
                let reasons = try host.clearance(of: staff, at: workCentre, now: now)
                let line =
                    reasons.isEmpty
                    ? texts("people.cleared", staff, workCentre)
                    : texts("people.not_cleared", staff, workCentre, reasons.joined(separator: "; "))
                html += "<div class=\"card \(reasons.isEmpty ? "info" : "critical")\">\(escape(line))</div>"
            } catch {
                html += "<p class=\"error\">\(escape(texts("error.refused", "\(error)")))</p>"
            }
        }
        if session.user.role.may(.roster) {
            let people = options(staffChoices)
            html += """
                <h2>\(escape(texts("people.roster")))</h2><form method="post" action="/people/roster" class="stack card">\(formFields(session))
                <label>\(escape(texts("people.staff")))<select name="staff">\(people)</select></label>
                <label>\(escape(texts("production.work_centre")))<select name="work_centre"><option value=""></option>\(centres)</select></label>
                <label>\(escape(texts("people.start")))<input name="start" type="datetime-local" required></label>
                <label>\(escape(texts("people.end")))<input name="end" type="datetime-local" required></label>
                <label>\(escape(texts("people.break")))<input name="break" inputmode="numeric" value="30"></label>
                <button>\(escape(texts("people.roster")))</button></form>
                """
        }
        html += try mySections(session, now: now)
        if session.user.role.may(.roster) { html += try matrixSection(session, now: now) }
        return page(session, title: texts("people.title"), body: html)
    }

    /// Adds a roster entry after the working-time and qualification rules accept it; shows each rule that
    /// refuses it otherwise (the same verdict as `takt roster add`).
    func roster(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        let zone = host.definition.timeZone
        guard let start = fields["start"].flatMap({ Instant.parse($0, in: zone) }) else {
            return try peoplePage(session, staff: nil, at: nil, notice: texts("error.bad_time", texts("people.start")))
        }
        guard let end = fields["end"].flatMap({ Instant.parse($0, in: zone) }) else {
            return try peoplePage(session, staff: nil, at: nil, notice: texts("error.bad_time", texts("people.end")))
        }
        let minutes = Int((fields["break"] ?? "0").trimmingCharacters(in: .whitespaces)) ?? -1
        guard (0...600).contains(minutes) else {
            return try peoplePage(
                session, staff: nil, at: nil, notice: texts("error.missing_field", texts("people.break")))
        }
        let staff = fields["staff"] ?? ""
        return try once(fields, session, refused: { try peoplePage(session, staff: nil, at: nil, notice: $0) }) {
            try host.assign(
                ShiftAssignment(
                    staff: staff, start: start, end: end, breakTime: .minutes(minutes),
                    workCentre: fields["work_centre"].flatMap { $0.isEmpty ? nil : $0 }), at: clock())
            return try peoplePage(
                session, staff: nil, at: nil,
                notice: texts("people.rostered", host.definition.staff[staff]?.name ?? staff))
        }
    }

    /// My shifts for the coming week with the work the plan puts me on, my certificates and training, and the
    /// absence form.
    func mySections(_ session: Session, now: Date) throws -> String {
        let texts = session.texts
        let zone = host.definition.timeZone
        let me = session.user.staff
        var html = "<h2>\(escape(texts("people.my_shifts")))</h2>"
        let mine = try host.shifts(of: me, from: now.addingTimeInterval(-12 * 3600), days: 7)
        if mine.shifts.isEmpty { html += "<p>\(escape(texts("people.no_shifts")))</p>" }
        for shift in mine.shifts {
            html +=
                "<div class=\"card\"><strong>\(escape(texts("people.shift_row", shift.workCentre ?? "—", texts.time(shift.start, zone), texts.time(shift.end, zone))))</strong>"
            for work in mine.work where work.start < shift.end && shift.start < work.end {
                let others = work.crew.filter { $0 != me }.map { host.definition.staff[$0]?.name ?? $0 }
                html +=
                    "<br>\(escape(texts("people.work_row", work.order, work.operation, work.workCentre, texts.time(work.start, zone), texts.time(work.end, zone), others.joined(separator: ", "))))"
            }
            html += "</div>"
        }
        for absence in mine.absences {
            html +=
                "<div class=\"card info\">\(escape(texts("people.away", texts("people.absence.\(absence.kind.rawValue)"), texts.time(absence.from, zone), texts.time(absence.to, zone))))</div>"
        }
        html += "<h2>\(escape(texts("people.my_training")))</h2>"
        let person = try host.people(at: now)[me]
        let today = LocalDate(now, in: zone)
        let certificates = person?.certificates ?? []
        if certificates.isEmpty { html += "<p>\(escape(texts("people.no_certificates")))</p>" }
        for certificate in certificates.sorted(by: { $0.kind < $1.kind }) {
            let valid = certificate.isValid(on: today)
            let line =
                certificate.expires.map { texts("people.certificate_until", certificate.kind, $0.description) }
                ?? texts("people.certificate_open", certificate.kind)
            html += "<div class=\"card \(valid ? "" : "critical")\">\(escape(line))</div>"
        }
        for session in try host.sessions()
        where session.status == .planned && session.attendees.contains(where: { $0.staff == me }) {
            let name = host.definition.people.courses.first { $0.id == session.course }?.name ?? session.course
            html +=
                "<div class=\"card info\">\(escape(texts("people.booked", name, texts.time(session.at, zone))))</div>"
        }
        if let levels = person.map({ p in
            (Set(p.skills).union(p.levels.keys)).sorted().compactMap { skill in p.level(of: skill).map { (skill, $0) } }
        }), !levels.isEmpty {
            html +=
                "<p>"
                + levels.map { escape("\($0.0): \(texts("people.level.\($0.1.rawValue)"))") }.joined(separator: " · ")
                + "</p>"
        }
        let kinds = options(Absence.Kind.allCases.map { ($0.rawValue, texts("people.absence.\($0.rawValue)")) })
        let who =
            session.user.role.may(.roster)
            ? "<label>\(escape(texts("people.staff")))<select name=\"staff\">\(options(staffChoices, selected: me))</select></label>"
            : "<input type=\"hidden\" name=\"staff\" value=\"\(escape(me))\">"
        html += """
            <h2>\(escape(texts("people.report_absence")))</h2>
            <form method="post" action="/people/absence" class="stack card" id="report-absence">\(formFields(session))
            \(who)
            <label>\(escape(texts("people.absence_kind")))<select name="kind">\(kinds)</select></label>
            <label>\(escape(texts("people.from")))<input name="from" type="datetime-local" required></label>
            <label>\(escape(texts("people.until")))<input name="to" type="datetime-local" required></label>
            <label>\(escape(texts("people.note")))<input name="note"></label>
            <button>\(escape(texts("people.report_absence")))</button></form>
            """
        return html
    }

    /// The skills matrix (levels 1–4 per person and skill) and its single points of failure, for supervisors.
    func matrixSection(_ session: Session, now: Date) throws -> String {
        let texts = session.texts
        let matrix = try host.skillsMatrix(at: now)
        guard !matrix.skills.isEmpty else { return "" }
        var html = "<h2>\(escape(texts("people.matrix")))</h2><p>\(escape(texts("people.matrix_key")))</p>"
        html += "<table id=\"skills-matrix\"><tr><th>\(escape(texts("people.staff")))</th>"
        html += matrix.skills.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for row in matrix.rows {
            html += "<tr><td>\(escape(row.name))</td>"
            html += matrix.skills.map { skill in
                let level = row.levels[skill]
                return
                    "<td title=\"\(escape(level.map { texts("people.level.\($0.rawValue)") } ?? ""))\">\(level.map { String($0.rank) } ?? "·")</td>"
            }.joined()
            html += "</tr>"
        }
        html += "</table>"
        let points = try host.singlePoints(at: now)
        if !points.isEmpty { html += "<h3>\(escape(texts("people.single_points")))</h3>" }
        for point in points {
            let line =
                point.people.first.map {
                    texts(
                        "people.single_point", host.definition.staff[$0]?.name ?? $0, point.skill, point.workCentre,
                        point.shift)
                } ?? texts("people.no_one", point.skill, point.workCentre, point.shift)
            html += "<div class=\"card \(point.people.isEmpty ? "critical" : "major")\">\(escape(line))</div>"
        }
        return html
    }

    /// Records an absence (one's own; a supervisor's for anyone) and shows what the repaired plan moved.
    func reportAbsence(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        let zone = host.definition.timeZone
        let staff = fields["staff"] ?? ""
        guard staff == session.user.staff || session.user.role.may(.roster) else {
            return try peoplePage(session, staff: nil, at: nil, notice: texts("people.absence_own"))
        }
        guard let kind = fields["kind"].flatMap(Absence.Kind.init(rawValue:)) else {
            return try peoplePage(
                session, staff: nil, at: nil, notice: texts("error.missing_field", texts("people.absence_kind")))
        }
        guard let from = fields["from"].flatMap({ Instant.parse($0, in: zone) }) else {
            return try peoplePage(session, staff: nil, at: nil, notice: texts("error.bad_time", texts("people.from")))
        }
        guard let to = fields["to"].flatMap({ Instant.parse($0, in: zone) }) else {
            return try peoplePage(session, staff: nil, at: nil, notice: texts("error.bad_time", texts("people.until")))
        }
        let note = fields["note"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return try once(fields, session, refused: { try peoplePage(session, staff: nil, at: nil, notice: $0) }) {
            let result = try host.reportAbsence(
                Absence(staff: staff, kind: kind, from: from, to: to, note: note, reportedBy: session.user.staff),
                limits: SearchLimits(timeLimit: .seconds(2)), at: clock())
            let moved = result.replan?.changes?.orderEnds.count ?? 0
            let name = host.definition.staff[staff]?.name ?? staff
            let notice =
                result.replanProblem.map { texts("people.absence_not_replanned", name, $0) }
                ?? (result.replan == nil
                    ? texts("people.absence_recorded", name) : texts("people.absence_replanned", name, String(moved)))
            return try peoplePage(session, staff: nil, at: nil, notice: notice)
        }
    }
}
