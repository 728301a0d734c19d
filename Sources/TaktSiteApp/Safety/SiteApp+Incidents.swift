import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktWeb

/// Incidents on a phone: anyone reports one in a few taps (what, where, who was hurt, how badly); the page lists
/// the last 30 days'. A reportable one shows the deadline to report it at once.
extension SiteApp {
    func addIncidentPages(to router: Router<WebContext>) {
        router.get("/incidents") { request, _ in
            try await self.withSession(request) { session in try self.incidentsPage(session, notice: nil) }
        }
        router.post("/incidents") { request, _ in
            try await self.withSession(request) { session in try await self.reportIncident(request, session) }
        }
    }

    func incidentsPage(
        _ session: Session, notice: String?, error: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let texts = session.texts
        let zone = host.definition.timeZone
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        html += error.map { "<p class=\"error\">\(escape($0))</p>" } ?? ""
        let kinds = options(Incident.kinds.map { ($0, texts("incident.kind.\($0)")) })
        let places = options([("", "—")] + host.definition.workCentres.map { ($0.id, $0.name) })
        let outcomes = options(
            [("", "—")] + Incident.Outcome.allCases.map { ($0.rawValue, texts("incident.outcome.\($0.rawValue)")) })
        let severities = options(
            [Severity.minor, .major, .critical, .info].map { ($0.rawValue, texts("severity.\($0.rawValue)")) })
        html += """
            <form method="post" action="/incidents" class="stack card" id="report-incident">\(formFields(session))
            <h2>\(escape(texts("incident.report")))</h2>
            <label>\(escape(texts("incident.kind")))<select name="kind" required>\(kinds)</select></label>
            <label>\(escape(texts("incident.what")))<input name="description" required maxlength="4000"></label>
            <label>\(escape(texts("incident.where")))<select name="work_centre">\(places)</select></label>
            <label>\(escape(texts("incident.severity")))<select name="severity">\(severities)</select></label>
            <label>\(escape(texts("incident.injured")))<input name="injured" maxlength="200"></label>
            <label>\(escape(texts("incident.outcome")))<select name="outcome">\(outcomes)</select></label>
            <label>\(escape(texts("incident.days_lost")))<input name="days_lost" inputmode="numeric"></label>
            <button class="fail">\(escape(texts("incident.submit")))</button></form>
            """
        let recent = try host.incidents(in: DateInterval(start: clock().addingTimeInterval(-30 * 86_400), end: clock()))
        html += "<h2>\(escape(texts("incident.recent")))</h2>"
        if recent.isEmpty { html += "<p>\(escape(texts("incident.none")))</p>" }
        for incident in recent.reversed() {
            html +=
                "<div class=\"card \(incident.severity.rawValue)\"><strong>\(escape(incident.id))</strong> "
                + "\(escape(texts("incident.kind.\(incident.kind)"))) · \(escape(texts.time(incident.at, zone)))"
                + (incident.workCentre.map { " · \(escape(host.definition.workCentre($0)?.name ?? $0))" } ?? "")
                + "<br>\(escape(incident.description))</div>"
        }
        html += try riskAssessments(texts)
        return page(session, status: status, title: texts("incident.title"), body: html)
    }

    func reportIncident(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        func text(_ key: String) -> String? {
            let value = (fields[key] ?? "").trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        var days: Int?
        if let typed = text("days_lost") {
            guard let value = Int(typed), value >= 0 else {
                return try incidentsPage(
                    session, notice: nil, error: texts("check.not_number"), status: .unprocessableContent)
            }
            days = value
        }
        return try once(
            fields, session,
            refused: { try incidentsPage(session, notice: nil, error: $0, status: .unprocessableContent) }
        ) {
            var incident = Incident(
                id: "", kind: fields["kind"] ?? "", severity: Severity(rawValue: fields["severity"] ?? "") ?? .minor,
                description: fields["description"] ?? "", workCentre: text("work_centre"),
                reportedBy: session.user.staff, at: clock())
            incident.injured = text("injured")
            incident.outcome = text("outcome").flatMap(Incident.Outcome.init(rawValue:))
            incident.daysLost = days
            let result = try host.report(incident)
            let notice =
                texts("incident.recorded", result.incident.id)
                + result.findings.map { " " + ($0.translations?[texts.locale.rawValue]?.message ?? $0.message) }
                .joined()
            return try incidentsPage(session, notice: notice)
        }
    }

    /// The risk assessments, so whoever does the work can read its hazards and controls; overdue reviews and high
    /// residual risks marked.
    func riskAssessments(_ texts: Texts) throws -> String {
        let assessments = try host.riskAssessments()
        var html = "<h2>\(escape(texts("risk.title")))</h2>"
        if assessments.isEmpty { return html + "<p>\(escape(texts("risk.none")))</p>" }
        let today = LocalDate(clock(), in: host.definition.timeZone)
        for assessment in assessments {
            let residual = assessment.currentResidual
            let place = assessment.workCentre.map { host.definition.workCentre($0)?.name ?? $0 }
            let overdue = today > assessment.nextReviewBy
            let card = residual.rating >= .high ? "card major" : "card"
            let rating = texts("risk.rating.\(residual.rating.rawValue)")
            let residualText = texts("risk.residual", String(residual.value), rating)
            let review = texts(overdue ? "risk.review_overdue" : "risk.review_by", assessment.nextReviewBy.description)
            let heading = [assessment.task, place].compactMap { $0 }.joined(separator: " · ")
            var lines = "<div class=\"\(card)\"><strong>\(escape(assessment.id))</strong> \(escape(heading))"
            lines += "<br>\(escape(assessment.hazard)) — \(escape(assessment.whoAtRisk))"
            lines += "<br>\(escape(texts("risk.controls"))): \(escape(assessment.controls.joined(separator: "; ")))"
            lines += "<br>\(escape(residualText)) · \(escape(review))</div>"
            html += lines
        }
        return html
    }
}
