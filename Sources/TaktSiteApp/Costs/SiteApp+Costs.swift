import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktWeb

/// Costs for supervisors and the site manager: the month's budget against actual and forecast (and setting it),
/// the variance of the orders produced, a delivery-date quote, and the monthly report to print.
extension SiteApp {
    func addCostPages(to router: Router<WebContext>) {
        router.get("/costs") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.costs, session) {
                    let query = request.uri.queryParameters
                    return try self.costsPage(session, month: query["month"].map(String.init))
                }
            }
        }
        router.post("/costs/budget") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.costs, session) { try await self.setBudget(request, session) }
            }
        }
        router.post("/costs/quote") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.costs, session) { try await self.quote(request, session) }
            }
        }
        router.get("/costs/report") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.costs, session) {
                    let zone = self.host.definition.timeZone
                    guard
                        let month = request.uri.queryParameters["month"].map(String.init).flatMap(
                            CostMonth.init(parsing:))
                    else {
                        return try self.costsPage(
                            session, month: nil,
                            notice: session.texts("error.missing_field", session.texts("costs.month")))
                    }
                    let report = try self.host.monthlyReport(of: month, at: self.clock())
                    return Response(
                        status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: report.html(in: zone))))
                }
            }
        }
    }

    func costsPage(_ session: Session, month text: String?, notice: String? = nil, quote: String = "") throws
        -> Response
    {
        let texts = session.texts
        let zone = host.definition.timeZone
        let now = clock()
        let month = text.flatMap(CostMonth.init(parsing:)) ?? CostMonth(LocalDate(now, in: zone))
        let currency = host.definition.site.currency
        func money(_ amount: Double) -> String { "\(texts.number(CostParts.cents(amount))) \(currency)" }
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        html += quote
        let status = try host.budgetStatus(of: month, at: now)
        html += """
            <h2>\(escape(texts("costs.budget", month.description)))</h2>
            <form method="get" action="/costs" class="stack"><label>\(escape(texts("costs.month")))\
            <input name="month" value="\(month)" pattern="[0-9]{4}-[0-9]{2}"></label>\
            <button>\(escape(texts("costs.show")))</button></form>
            <table><thead><tr><th scope="col">\(escape(texts("costs.category")))</th>\
            <th scope="col">\(escape(texts("costs.actual")))</th><th scope="col">\(escape(texts("costs.forecast")))</th>\
            <th scope="col">\(escape(texts("costs.budget_amount")))</th></tr></thead><tbody>
            """
        for line in status.lines {
            let over = (line.overBudget ?? 0) > 0.005
            html +=
                "<tr><td>\(escape(line.category))</td><td>\(escape(money(line.actual)))</td>"
                + "<td\(over ? " class=\"overdue\"" : "")>\(escape(money(line.forecast)))</td>"
                + "<td>\(escape(line.budget.map(money) ?? texts("costs.none")))</td></tr>"
        }
        html +=
            "<tr><th scope=\"row\">\(escape(texts("costs.total")))</th><td>\(escape(money(status.actual)))</td>"
            + "<td>\(escape(money(status.forecast)))</td><td>\(escape(money(status.budget)))</td></tr></tbody></table>"
        html += """
            <form method="post" action="/costs/budget" class="stack card">\(formFields(session))
            <input type="hidden" name="month" value="\(month)">
            <label>\(escape(texts("costs.category")))<input name="category" list="categories" required></label>
            <datalist id="categories"><option value="material"><option value="labour"><option value="machine">\
            <option value="overhead"></datalist>
            <label>\(escape(texts("costs.amount", currency)))<input name="amount" inputmode="decimal" required></label>
            <button>\(escape(texts("costs.set_budget")))</button></form>
            """
        let variance = try host.variance(in: month.window(in: zone))
        html += "<h2>\(escape(texts("costs.variance")))</h2>"
        if variance.orders.isEmpty {
            html += "<p>\(escape(texts("costs.no_orders")))</p>"
        } else {
            html +=
                "<table><thead><tr><th scope=\"col\">\(escape(texts("costs.product")))</th><th scope=\"col\">"
                + "\(escape(texts("costs.standard")))</th><th scope=\"col\">\(escape(texts("costs.actual")))</th>"
                + "<th scope=\"col\">\(escape(texts("costs.variance_total")))</th></tr></thead><tbody>"
            for item in variance.byProduct {
                html +=
                    "<tr><td>\(escape(host.definition.products[item.product]?.name ?? item.product))</td>"
                    + "<td>\(escape(money(item.standard)))</td><td>\(escape(money(item.actual)))</td>"
                    + "<td\(item.variance.total > 0.005 ? " class=\"overdue\"" : "")>"
                    + "\(escape(money(item.variance.total)))</td></tr>"
            }
            html += "</tbody></table><ul>"
            for (name, value) in variance.variance.named where abs(value) > 0.005 {
                html +=
                    "<li>\(escape(texts("costs.part.\(name.replacingOccurrences(of: " ", with: "_"))"))): "
                    + "\(escape(money(value)))</li>"
            }
            html += "</ul>"
        }
        html += """
            <h2>\(escape(texts("costs.quote")))</h2>
            <form method="post" action="/costs/quote" class="stack card">\(formFields(session))
            <label>\(escape(texts("costs.product")))<select name="product">\(options(productChoices))</select></label>
            <label>\(escape(texts("costs.quantity")))<input name="quantity" inputmode="decimal" required></label>
            <label>\(escape(texts("costs.by")))<input name="by" type="datetime-local"></label>
            <button>\(escape(texts("costs.ask")))</button></form>
            <p><a href="/costs/report?month=\(month.previous)">\(escape(texts("costs.report", month.previous.description)))</a></p>
            """
        return page(session, title: texts("costs.title"), body: html)
    }

    func setBudget(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        guard let month = fields["month"].flatMap(CostMonth.init(parsing:)) else {
            return try costsPage(session, month: nil, notice: texts("error.missing_field", texts("costs.month")))
        }
        guard let amount = fields["amount"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) else {
            return try costsPage(
                session, month: month.description,
                notice: texts("error.missing_field", texts("costs.amount", host.definition.site.currency)))
        }
        let category = fields["category"] ?? ""
        return try once(fields, session, refused: { try costsPage(session, month: month.description, notice: $0) }) {
            let line = try host.setBudget(
                month: month, category: category, amount: amount, by: session.user.staff, at: clock())
            return try costsPage(
                session, month: month.description,
                notice: texts("costs.budget_set", line.category, texts.number(line.amount), line.currency))
        }
    }

    func quote(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let zone = host.definition.timeZone
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        guard let quantity = fields["quantity"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }),
            quantity > 0, quantity.isFinite
        else {
            return try costsPage(session, month: nil, notice: texts("error.missing_field", texts("costs.quantity")))
        }
        var by: Date?
        if let text = fields["by"], !text.isEmpty {
            guard let date = Instant.parse(text, in: zone) else {
                return try costsPage(session, month: nil, notice: texts("error.bad_time", texts("costs.by")))
            }
            by = date
        }
        let answer: Quote
        do {
            answer = try host.quote(product: fields["product"] ?? "", quantity: quantity, by: by, at: clock())
        } catch {
            return try costsPage(session, month: nil, notice: texts("error.refused", "\(error)"))
        }
        var html =
            "<div class=\"card info\"><p><strong>\(escape(texts("costs.earliest", texts.time(answer.earliest, zone))))"
            + "</strong></p><p>\(escape(texts("costs.cost", texts.number(answer.standardCost), answer.currency)))</p>"
        if let by = answer.by, let meets = answer.meets {
            if meets {
                html += "<p>\(escape(texts("costs.meets", texts.time(by, zone))))</p>"
            } else {
                html += "<p class=\"overdue\">\(escape(texts("costs.misses", texts.time(by, zone))))</p><ul>"
                for slip in answer.slips.prefix(50) {
                    let minutes = slip.slipSeconds / 60
                    let span =
                        minutes >= 60
                        ? texts("span.hours_minutes", String(minutes / 60), String(minutes % 60))
                        : texts("span.minutes", String(minutes))
                    html += "<li>\(escape(texts("costs.slip", slip.order, span)))</li>"
                }
                html += "</ul>"
            }
        }
        if !answer.reasons.isEmpty {
            html += "<p>\(escape(texts("costs.why")))</p><ul>"
            for reason in answer.reasons.prefix(5) { html += "<li>\(escape(reason))</li>" }
            html += "</ul>"
        }
        return try costsPage(session, month: nil, quote: html + "</div>")
    }
}
