import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktScheduling
import TaktStore
import TaktWeb

/// The plan, production reports and people.
extension SiteApp {
    func addWorkPages(to router: Router<WebContext>) {
        router.get("/plan") { request, _ in
            let window = request.uri.queryParameters["window"].map(String.init)
            return try await self.withSession(request) { try self.planPage($0, notice: nil, window: window) }
        }
        router.post("/plan") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.plan, session) { try await self.replan(request, session) }
            }
        }
        router.get("/production") { request, _ in
            try await self.withSession(request) { session in
                await self.allowed(.reportProduction, session) {
                    self.productionForm(
                        session, notice: nil, at: request.uri.queryParameters["work_centre"].map(String.init))
                }
            }
        }
        router.post("/production") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.reportProduction, session) { try await self.reportProduction(request, session) }
            }
        }
    }

    // MARK: plan

    /// The Gantt chart's words in the reader's language.
    func ganttLabels(_ texts: Texts) -> GanttLabels {
        var labels = GanttLabels()
        labels.noOperations = texts("gantt.none")
        labels.outsideWindow = texts("gantt.outside_window")
        labels.beyondBars = texts("gantt.beyond_bars")
        labels.operation = texts("gantt.operation")
        labels.changeover = texts("gantt.changeover")
        labels.clean = texts("gantt.clean")
        labels.maintenance = texts("gantt.maintenance")
        labels.lateOrder = texts("gantt.late_order")
        labels.timesIn = texts("gantt.times_in")
        labels.now = texts("gantt.now")
        labels.locale = Locale(identifier: texts.locale.rawValue)
        return labels
    }

    /// Today's and this week's plan as the same Gantt chart `takt schedule --svg` draws, late orders with their
    /// reasons, and for the site manager: re-plan, or re-plan around a breakdown, a rush or a cancellation.
    ///
    /// `window` is how much of the plan the chart draws (`48h`, `7d`, `all`); the next 48 hours when absent, and a
    /// value it does not know is named.
    func planPage(_ session: Session, notice: String?, moved: [String] = [], window: String? = nil) throws -> Response {
        let texts = session.texts
        let zone = host.definition.timeZone
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        var chosen = GanttWindow.twoDays
        if let window, !window.isEmpty {
            if let known = GanttWindow(rawValue: window) {
                chosen = known
            } else {
                html +=
                    "<p class=\"notice error\">\(escape(texts("plan.window_unknown", String(window.prefix(40)))))</p>"
            }
        }
        html += moved.map { "<div class=\"card info\">\(escape($0))</div>" }.joined()
        let now = clock()
        let today = try host.adherence(of: LocalDate(now, in: zone), at: now)
        if let share = today.share {
            html +=
                "<p id=\"adherence\">"
                + escape(
                    texts(
                        "plan.adherence", "\(Int((share * 100).rounded())) %", String(today.onTime), String(today.due)))
                + (today.late.isEmpty
                    ? "" : " " + escape(texts("plan.adherence_late", today.late.map(\.order).joined(separator: ", "))))
                + "</p>"
        } else {
            html += "<p id=\"adherence\">\(escape(texts("plan.adherence_none")))</p>"
        }
        if let current = try host.store.currentSchedule() {
            let names = SiteNames(host.definition)
            let links = GanttWindow.allCases.map { option -> String in
                let name = escape(texts("plan.window_" + option.rawValue))
                return option == chosen
                    ? "<strong>\(name)</strong>" : "<a href=\"/plan?window=\(option.rawValue)\">\(name)</a>"
            }
            html +=
                "<p id=\"gantt-window\">" + links.joined(separator: " · ") + "</p>"
                + "<div class=\"card\" id=\"gantt\" style=\"overflow-x:auto\">"
                + ScheduleExport.svg(
                    current.rows, timeZone: zone, title: host.definition.site.name,
                    lateOrders: Set(current.summary.late.map(\.order)), width: 1000, window: chosen.interval(now: now),
                    now: now, names: names.workCentres, productNames: names.products, labels: ganttLabels(texts))
                + "</div><h2>\(escape(texts("plan.late")))</h2>"
            if current.summary.late.isEmpty { html += "<p>\(escape(texts("plan.no_late")))</p>" }
            for late in current.summary.late {
                html +=
                    "<div class=\"card major\">"
                    + escape(
                        texts(
                            "plan.late_row", late.order, texts.time(late.due, zone), texts.time(late.end, zone),
                            late.reasons.joined(separator: "; "))) + "</div>"
            }
        } else {
            html += "<p>\(escape(texts("plan.none")))</p>"
        }
        if session.user.role.may(.plan) {
            let centres = options(workCentreChoices)
            html += """
                <form method="post" action="/plan" class="stack card">\(formFields(session))
                <button name="action" value="plan">\(escape(texts("plan.replan")))</button></form>
                <form method="post" action="/plan" class="stack card">\(formFields(session))
                <h2>\(escape(texts("plan.breakdown")))</h2>
                <label>\(escape(texts("plan.breakdown_at")))<select name="work_centre"><option value=""></option>\(centres)</select></label>
                <label>\(escape(texts("plan.from")))<input name="from" type="datetime-local"></label>
                <label>\(escape(texts("plan.to")))<input name="to" type="datetime-local"></label>
                <label>\(escape(texts("plan.rush")))<input name="rush"></label>
                <label>\(escape(texts("plan.cancel")))<input name="cancel"></label>
                <button name="action" value="repair">\(escape(texts("plan.record_disruption")))</button></form>
                """
        }
        return page(session, title: texts("plan.title"), body: html)
    }

    func replan(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        let zone = host.definition.timeZone
        func ids(_ name: String) -> [String] {
            (fields[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        }
        // The disruption is read first: a form refused for a bad time can be corrected and sent again.
        var outages: [PlantProblemBuilder.Outage] = []
        if fields["action"] == "repair", let centre = fields["work_centre"], !centre.isEmpty {
            guard let from = fields["from"].flatMap({ Instant.parse($0, in: zone) }) else {
                return try planPage(session, notice: texts("error.bad_time", texts("plan.from")))
            }
            guard let to = fields["to"].flatMap({ Instant.parse($0, in: zone) }) else {
                return try planPage(session, notice: texts("error.bad_time", texts("plan.to")))
            }
            outages.append(.init(workCentre: centre, from: from, to: to, reason: "breakdown"))
        }
        return try once(fields, session, refused: { try planPage(session, notice: $0) }) {
            let now = clock()
            let limits = SearchLimits(timeLimit: .seconds(5), workers: 2)
            let result =
                fields["action"] == "repair"
                ? try host.replan(
                    .init(outages: outages, rush: ids("rush"), cancel: ids("cancel")), from: now,
                    horizon: .hours(7 * 24), limits: limits, now: now)
                : try host.plan(from: now, horizon: .hours(7 * 24), limits: limits, now: now)
            var notice = texts("plan.planned", String(result.summary.late.count), String(result.summary.orders))
            var moved: [String] = []
            if let changes = result.changes {
                notice += " " + texts("plan.moved", String(changes.moved.count))
                moved = changes.moved.prefix(50).map {
                    texts(
                        "plan.moved_row", $0.order, $0.operation, $0.from, $0.to,
                        ($0.shiftSeconds >= 0 ? "+" : "") + String($0.shiftSeconds / 60))
                }
            }
            return try planPage(session, notice: notice, moved: moved)
        }
    }

    // MARK: production

    /// The production form; at `workCentre` (from a station's page) it is chosen, and the order the plan runs
    /// there now is filled in.
    func productionForm(_ session: Session, notice: String?, at workCentre: String? = nil) -> Response {
        let texts = session.texts
        let reasons = options(
            host.definition.downtimeReasons.map { ($0.id, $0.id.replacingOccurrences(of: "_", with: " ")) })
        // Against the order running: the plan's operation at each work centre now fills the order in.
        let now = clock()
        let rows = (try? host.store.currentSchedule())??.rows ?? []
        let running = rows.first {
            $0.kind == .operation && $0.workCentre == workCentre && $0.start <= now && $0.end > now
        }
        let centres = options(workCentreChoices, selected: workCentre)
        // The product running there is chosen with its order, so the report matches the plan.
        let products = options(productChoices, selected: running?.product)
        let body = """
            \(notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? "")
            <form method="post" action="/production" class="stack">\(formFields(session))
            <label>\(escape(texts("production.work_centre")))<select name="work_centre">\(centres)</select></label>
            <label>\(escape(texts("production.product")))<select name="product">\(products)</select></label>
            <label>\(escape(texts("production.order")))<input name="order" value="\(escape(running?.order ?? ""))"></label>
            <label>\(escape(texts("production.good")))<input name="good" inputmode="numeric" required></label>
            <label>\(escape(texts("production.scrap")))<input name="scrap" inputmode="numeric" value="0"></label>
            <label>\(escape(texts("production.down")))<input name="down" inputmode="numeric" value="0"></label>
            \(reasons.isEmpty ? "" : "<label>\(escape(texts("production.down_reason")))<select name=\"down_reason\"><option value=\"\"></option>\(reasons)</select></label>")
            <label>\(escape(texts("production.from")))<input name="from" type="datetime-local" required></label>
            <label>\(escape(texts("production.to")))<input name="to" type="datetime-local" required></label>
            <button>\(escape(texts("production.submit")))</button></form>
            """
        return page(session, title: texts("production.title"), body: body)
    }

    func reportProduction(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        let zone = host.definition.timeZone
        guard let from = fields["from"].flatMap({ Instant.parse($0, in: zone) }) else {
            return productionForm(session, notice: texts("error.bad_time", texts("production.from")))
        }
        guard let to = fields["to"].flatMap({ Instant.parse($0, in: zone) }) else {
            return productionForm(session, notice: texts("error.bad_time", texts("production.to")))
        }
        let number = { (name: String) in Double((fields[name] ?? "").trimmingCharacters(in: .whitespaces)) }
        guard let good = number("good") else {
            return productionForm(session, notice: texts("error.missing_field", texts("production.good")))
        }
        guard let down = number("down").map({ Int($0 * 60) }) ?? Optional(0), down >= 0 else {
            return productionForm(session, notice: texts("error.missing_field", texts("production.down")))
        }
        return try once(fields, session, refused: { productionForm(session, notice: $0) }) {
            let report = try host.reportProduction(
                workCentre: fields["work_centre"] ?? "", product: fields["product"] ?? "",
                order: fields["order"].flatMap { $0.isEmpty ? nil : $0 }, good: good, scrap: number("scrap") ?? 0,
                from: from, to: to, down: TimeSpan(seconds: down),
                downReason: fields["down_reason"].flatMap { $0.isEmpty ? nil : $0 })
            let oee = OEE([report]).map { texts.number(($0.value * 1000).rounded() / 10) + " %" } ?? "n/a"
            return productionForm(session, notice: texts("production.done", oee, report.workCentre))
        }
    }
}
