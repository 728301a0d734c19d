import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktWeb

/// Maintenance on the shop floor: anyone reports a breakdown; maintenance, supervisors and the site manager see
/// the work orders, start them (after lock-out where the site requires it) and close them; everyone sees which
/// routine maintenance is due.
extension SiteApp {
    func addMaintenancePages(to router: Router<WebContext>) {
        router.get("/maintenance") { request, _ in
            try await self.withSession(request) { session in try self.maintenancePage(session, notice: nil) }
        }
        router.post("/maintenance/breakdown") { request, _ in
            try await self.withSession(request) { session in try await self.reportBreakdown(request, session) }
        }
        router.post("/maintenance/calibrate") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.calibrate, session) { try await self.calibrate(request, session) }
            }
        }
        router.post("/maintenance/work-order") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.maintain, session) { try await self.workOrderAction(request, session) }
            }
        }
    }

    func maintenancePage(
        _ session: Session, notice: String?, error: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let texts = session.texts
        let zone = host.definition.timeZone
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        html += error.map { "<p class=\"error\">\(escape($0))</p>" } ?? ""
        let assets = options(host.definition.workCentres.map { ($0.id, $0.name) })
        html += """
            <form method="post" action="/maintenance/breakdown" class="stack card" id="breakdown">\(formFields(session))
            <h2>\(escape(texts("maintenance.report_breakdown")))</h2>
            <label>\(escape(texts("maintenance.asset")))<select name="asset" required>\(assets)</select></label>
            <label>\(escape(texts("maintenance.what_is_wrong")))<input name="description" required maxlength="2000"></label>
            <button class="fail">\(escape(texts("maintenance.report")))</button></form>
            """
        let orders = try host.workOrders(openOnly: true)
        html += "<h2>\(escape(texts("maintenance.work_orders")))</h2>"
        if orders.isEmpty { html += "<p>\(escape(texts("maintenance.no_work_orders")))</p>" }
        let maintains = session.user.role.may(.maintain)
        for order in orders {
            html += "<div class=\"card \(order.kind == .corrective ? "major" : "info")\" id=\"\(escape(order.id))\">"
            html +=
                "<strong>\(escape(order.id))</strong> \(escape(host.definition.workCentre(order.asset)?.name ?? order.asset))"
                + " · \(escape(texts("maintenance.kind.\(order.kind.rawValue)")))"
                + " · \(escape(texts("maintenance.status.\(order.status.rawValue)")))"
                + " · \(escape(texts.time(order.openedAt, zone)))<br>\(escape(order.description))"
            if maintains {
                if order.status == .open || order.status == .waitingParts {
                    html += """
                        <form method="post" action="/maintenance/work-order">\(formFields(session))
                        <input type="hidden" name="id" value="\(escape(order.id))"><input type="hidden" name="action" value="start">
                        <button>\(escape(texts("maintenance.start")))</button></form>
                        """
                } else if order.status == .inProgress {
                    let reasons =
                        order.kind == .corrective
                        ? """
                        <label>\(escape(texts("maintenance.cause")))<input name="cause" required></label>
                        <label>\(escape(texts("maintenance.remedy")))<input name="remedy" required></label>
                        """ : ""
                    html += """
                        <form method="post" action="/maintenance/work-order" class="stack">\(formFields(session))
                        <input type="hidden" name="id" value="\(escape(order.id))"><input type="hidden" name="action" value="done">
                        <label>\(escape(texts("maintenance.minutes")))<input name="minutes" inputmode="decimal" required></label>\(reasons)
                        <button class="pass">\(escape(texts("maintenance.done")))</button></form>
                        """
                }
            }
            html += "</div>"
        }
        if session.user.role.may(.calibrate), !host.definition.instruments.isEmpty {
            let instruments = host.definition.instruments.values.sorted { $0.id < $1.id }
            html += "<h2>\(escape(texts("maintenance.calibrate")))</h2>"
            for instrument in instruments {
                let points = instrument.points.enumerated().map { index, reference in
                    "<label>\(escape(texts("maintenance.reads_at", "\(texts.number(reference)) \(instrument.unit)")))"
                        + "<input name=\"point\(index)\" inputmode=\"decimal\" required></label>"
                }.joined()
                html += """
                    <form method="post" action="/maintenance/calibrate" class="stack card" id="calibrate-\(escape(instrument.id))">\(formFields(session))
                    <input type="hidden" name="instrument" value="\(escape(instrument.id))">
                    <strong>\(escape(instrument.name))</strong>\(points)
                    <button>\(escape(texts("maintenance.record_calibration")))</button></form>
                    """
            }
        }
        let due = try host.maintenanceDue(at: clock())
        if !due.isEmpty { html += "<h2>\(escape(texts("maintenance.plans")))</h2>" }
        for plan in due {
            let when =
                plan.dueAt.map { texts("maintenance.due", texts.time($0, zone)) } ?? texts("maintenance.not_moving")
            html +=
                "<p class=\"\(plan.overdue ? "overdue" : "")\"><strong>\(escape(plan.task))</strong> · "
                + "\(escape(host.definition.workCentre(plan.asset)?.name ?? plan.asset)) · \(escape(when))"
                + (plan.overdue ? " · \(escape(texts("maintenance.overdue")))" : "") + "</p>"
        }
        html += try openPermits(texts)
        return page(session, status: status, title: texts("maintenance.title"), body: html)
    }

    func reportBreakdown(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        return try once(
            fields, session,
            refused: { try maintenancePage(session, notice: nil, error: $0, status: .unprocessableContent) }
        ) {
            let order = try host.openWorkOrder(
                asset: fields["asset"] ?? "", kind: .corrective, description: fields["description"] ?? "",
                by: session.user.staff, at: clock())
            return try maintenancePage(session, notice: texts("maintenance.reported", order.id))
        }
    }

    func workOrderAction(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        let id = fields["id"] ?? ""
        return try once(
            fields, session,
            refused: { try maintenancePage(session, notice: nil, error: $0, status: .unprocessableContent) }
        ) {
            switch fields["action"] {
            case "start":
                _ = try host.startWorkOrder(id, by: session.user.staff, at: clock())
                return try maintenancePage(session, notice: texts("maintenance.started", id))
            case "done":
                let text = (fields["minutes"] ?? "").trimmingCharacters(in: .whitespaces)
                guard let minutes = Double(text.replacingOccurrences(of: ",", with: ".")) else {
                    return try maintenancePage(
                        session, notice: nil, error: texts("check.not_number"), status: .unprocessableContent)
                }
                _ = try host.completeWorkOrder(
                    id, minutes: minutes, cause: fields["cause"], remedy: fields["remedy"], by: session.user.staff,
                    at: clock())
                return try maintenancePage(session, notice: texts("maintenance.closed", id))
            default:
                return try maintenancePage(
                    session, notice: nil, error: texts("maintenance.unknown_action"), status: .unprocessableContent)
            }
        }
    }

    /// A calibration from the page: what the instrument read at each of its reference points.
    func calibrate(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        guard let instrument = host.definition.instruments[fields["instrument"] ?? ""] else {
            return try maintenancePage(
                session, notice: nil, error: texts("maintenance.unknown_instrument"), status: .unprocessableContent)
        }
        var points: [Calibration.Point] = []
        for (index, reference) in instrument.points.enumerated() {
            let text = (fields["point\(index)"] ?? "").trimmingCharacters(in: .whitespaces)
            guard let reading = Double(text.replacingOccurrences(of: ",", with: ".")), reading.isFinite else {
                return try maintenancePage(
                    session, notice: nil, error: texts("check.not_number"), status: .unprocessableContent)
            }
            points.append(.init(reference: reference, reading: reading))
        }
        return try once(
            fields, session,
            refused: { try maintenancePage(session, notice: nil, error: $0, status: .unprocessableContent) }
        ) {
            let verdict = try host.calibrate(
                Calibration(instrument: instrument.id, points: points, by: session.user.staff, at: clock()))
            return try maintenancePage(
                session,
                notice: texts(
                    verdict.passed ? "maintenance.calibration_passed" : "maintenance.calibration_failed",
                    instrument.name))
        }
    }

    /// Open permits to work, so whoever is near the asset sees what work is permitted, its precautions and what is
    /// isolated.
    func openPermits(_ texts: Texts) throws -> String {
        let permits = try host.permits(openOnly: true)
        var html = "<h2>\(escape(texts("permit.title")))</h2>"
        if permits.isEmpty { return html + "<p>\(escape(texts("permit.none")))</p>" }
        let zone = host.definition.timeZone
        for permit in permits {
            let window = "\(texts.time(permit.from, zone)) – \(texts.time(permit.to, zone))"
            var card = "<div class=\"card \(permit.status == .suspended ? "minor" : "major")\">"
            card += "<strong>\(escape(permit.id))</strong> \(escape(texts("permit.kind.\(permit.kind.rawValue)")))"
            card += " · \(escape(host.definition.workCentre(permit.asset)?.name ?? permit.asset)) · \(escape(window))"
            card += " · \(escape(texts("permit.status.\(permit.status.rawValue)")))"
            card += "<br>\(escape(permit.description))"
            card += "<br>\(escape(texts("permit.precautions"))): \(escape(permit.precautions.joined(separator: "; ")))"
            if !permit.isolations.isEmpty {
                card +=
                    "<br>\(escape(texts("permit.isolations"))): \(escape(permit.isolations.joined(separator: "; ")))"
            }
            html += card + "</div>"
        }
        return html
    }
}
