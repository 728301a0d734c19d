import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktWeb

/// Non-conformance reports on a phone or the office screen: open one from an open finding or a complaint, record
/// the containment, mark an action done, verify someone else's action. Owners and supervisors act as themselves
/// (their staff id); the report's own rules (a different verifier, the wait) are the host's.
extension SiteApp {
    func addNonConformancePages(to router: Router<WebContext>) {
        router.get("/ncr") { request, _ in
            try await self.withSession(request) { session in try self.nonConformancePage(session, notice: nil) }
        }
        router.post("/ncr") { request, _ in
            try await self.withSession(request) { session in try await self.changeNonConformance(request, session) }
        }
    }

    func nonConformancePage(
        _ session: Session, notice: String?, error: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let texts = session.texts
        let zone = host.definition.timeZone
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        html += error.map { "<p class=\"error\">\(escape($0))</p>" } ?? ""
        let findings = try host.store.findings(openOnly: true).compactMap { finding in
            finding.id.map { (String($0), "#\($0) \(finding.message(in: texts.locale))") }
        }
        html += """
            <form method="post" action="/ncr" class="stack card" id="open-ncr">\(formFields(session))
            <input type="hidden" name="step" value="open"><h2>\(escape(texts("ncr.open")))</h2>
            <label>\(escape(texts("ncr.finding")))<select name="finding">\(options([("", "—")] + findings))</select></label>
            <label>\(escape(texts("ncr.complaint")))<input name="complaint" maxlength="200"></label>
            <label>\(escape(texts("ncr.what")))<input name="description" required maxlength="4000"></label>
            <button>\(escape(texts("ncr.open")))</button></form>
            """
        let reports = try host.nonConformances(openOnly: true)
        html += "<h2>\(escape(texts("ncr.title")))</h2>"
        if reports.isEmpty { html += "<p>\(escape(texts("ncr.none")))</p>" }
        for report in reports {
            html +=
                "<div class=\"card\" id=\"\(escape(report.id))\"><strong>\(escape(report.id))</strong> "
                + "\(escape(texts("ncr.status.\(report.status.rawValue)"))) · \(escape(texts.time(report.openedAt, zone)))"
                + "<br>\(escape(report.description))"
                + (report.lots.isEmpty
                    ? "" : "<br>\(escape(texts("ncr.lots"))): \(escape(report.lots.joined(separator: ", ")))")
            if report.status == .open {
                html += stepForm(session, report, step: "contain", field: "containment", label: texts("ncr.contain"))
            } else if let containment = report.containment {
                html += "<br>\(escape(texts("ncr.contained"))): \(escape(containment))"
            }
            if let cause = report.rootCause, let last = cause.whys.last {
                html += "<br>\(escape(texts("ncr.cause"))): \(escape(last)) (\(escape(cause.category.rawValue)))"
            }
            for action in report.actions {
                html +=
                    "<br>#\(action.number) \(escape(action.description)) · \(escape(action.owner)) · "
                    + escape(texts("ncr.due", action.due.description))
                if action.doneAt == nil {
                    html += stepForm(
                        session, report, step: "done", field: "note", label: texts("ncr.done"), action: action.number)
                } else if !action.verifiedEffective, let from = action.verifiableFrom, clock() >= from,
                    session.user.staff != action.owner, session.user.staff != action.doneBy
                {
                    html += stepForm(
                        session, report, step: "verify", field: "note", label: texts("ncr.verify"),
                        action: action.number)
                }
            }
            html += "</div>"
        }
        return page(session, status: status, title: texts("ncr.title"), body: html)
    }

    private func stepForm(
        _ session: Session, _ report: NonConformance, step: String, field: String, label: String, action: Int? = nil
    ) -> String {
        var form =
            "<form method=\"post\" action=\"/ncr\" class=\"inline\">\(formFields(session))"
            + "<input type=\"hidden\" name=\"step\" value=\"\(step)\">"
            + "<input type=\"hidden\" name=\"id\" value=\"\(escape(report.id))\">"
            + (action.map { "<input type=\"hidden\" name=\"action\" value=\"\($0)\">" } ?? "")
            + "<input name=\"\(field)\" required maxlength=\"2000\" aria-label=\"\(escape(label))\">"
        if step == "verify" {
            form +=
                "<button name=\"effective\" value=\"yes\">\(escape(session.texts("ncr.effective")))</button>"
                + "<button name=\"effective\" value=\"no\" class=\"fail\">\(escape(session.texts("ncr.not_effective")))</button>"
        } else {
            form += "<button>\(escape(label))</button>"
        }
        return form + "</form>"
    }

    func changeNonConformance(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        let refuse = { (message: String) throws -> Response in
            try self.nonConformancePage(session, notice: nil, error: message, status: .unprocessableContent)
        }
        let person = session.user.staff
        func text(_ key: String) -> String { (fields[key] ?? "").trimmingCharacters(in: .whitespaces) }
        let id = text("id")
        let action = Int(text("action"))
        return try once(fields, session, refused: refuse) {
            let now = clock()
            let report: NonConformance
            switch text("step") {
            case "open":
                let finding = text("finding")
                let complaint = text("complaint")
                guard finding.isEmpty != complaint.isEmpty else {
                    throw HostError.invalidInput(texts("ncr.one_source"))
                }
                report = try host.openNonConformance(
                    NonConformance(
                        source: finding.isEmpty ? .complaint : .finding,
                        reference: finding.isEmpty ? complaint : finding, description: text("description"),
                        openedBy: person, openedAt: now))
            case "contain":
                report = try host.contain(nonConformance: id, text("containment"), by: person, at: now)
            case "done":
                guard let action else { throw HostError.invalidInput(texts("ncr.no_action")) }
                report = try host.completeAction(
                    nonConformance: id, action: action, by: person, note: text("note"), at: now)
            case "verify":
                guard let action, ["yes", "no"].contains(text("effective")) else {
                    throw HostError.invalidInput(texts("ncr.no_action"))
                }
                report = try host.verifyAction(
                    nonConformance: id, action: action, by: person, effective: text("effective") == "yes",
                    note: text("note"), at: now)
            default:
                throw HostError.invalidInput(texts("ncr.unknown_step"))
            }
            return try nonConformancePage(session, notice: texts("ncr.saved", report.id))
        }
    }
}
