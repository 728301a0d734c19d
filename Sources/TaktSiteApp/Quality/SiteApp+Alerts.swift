import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktWeb

/// The alert queue on the office screen: what was sent to whom, what is waiting for a retry and why, and an
/// acknowledge button for findings that would otherwise escalate.
extension SiteApp {
    func addAlertPages(to router: Router<WebContext>) {
        router.get("/alerts") { request, _ in
            try await self.withSession(request) { session in try self.alertsPage(session, notice: nil) }
        }
        router.post("/alerts/ack") { request, _ in
            try await self.withSession(request) { session in
                let fields = try await self.form(request)
                guard Credentials.same(fields["csrf"], session.csrf) else { return self.csrfRefusal(session) }
                return try self.once(
                    fields, session,
                    refused: {
                        try self.alertsPage(session, notice: nil, error: $0, status: .unprocessableContent)
                    }
                ) {
                    guard let id = Int64(fields["finding"] ?? "") else {
                        throw HostError.invalidInput(session.texts("alert.no_finding"))
                    }
                    try self.host.acknowledge(finding: id, by: session.user.staff, at: self.clock())
                    return try self.alertsPage(session, notice: session.texts("alert.acknowledged", String(id)))
                }
            }
        }
    }

    func alertsPage(
        _ session: Session, notice: String?, error: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let texts = session.texts
        let zone = host.definition.timeZone
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        html += error.map { "<p class=\"error\">\(escape($0))</p>" } ?? ""
        let alerts = try host.alerts(limit: 100)
        let acknowledged = try host.store.acknowledgedFindings()
        let open = Set(try host.store.findings(openOnly: true).compactMap(\.id))
        html += "<h2>\(escape(texts("alert.title")))</h2>"
        if alerts.isEmpty { html += "<p>\(escape(texts("alert.none")))</p>" }
        var offered = Set<Int64>()
        for alert in alerts {
            var card =
                "<div class=\"card \(alert.status == .failed ? "critical" : alert.status == .queued ? "minor" : "")\">"
            card += "#\(alert.finding) → \(escape(alert.target.address))"
            card += alert.level > 0 ? " · \(escape(texts("alert.escalation")))" : ""
            card += " · \(escape(texts("alert.status.\(alert.status.rawValue)")))"
            if let sent = alert.sentAt { card += " \(escape(texts.time(sent, zone)))" }
            if let error = alert.lastError, alert.status != .sent { card += "<br>\(escape(error))" }
            if open.contains(alert.finding), !acknowledged.contains(alert.finding),
                offered.insert(alert.finding).inserted
            {
                card +=
                    "<form method=\"post\" action=\"/alerts/ack\" class=\"inline\">\(formFields(session))"
                    + "<input type=\"hidden\" name=\"finding\" value=\"\(alert.finding)\">"
                    + "<button>\(escape(texts("alert.acknowledge")))</button></form>"
            }
            html += card + "</div>"
        }
        return page(session, status: status, title: texts("alert.title"), body: html)
    }
}
