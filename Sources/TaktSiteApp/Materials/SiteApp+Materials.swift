import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktWeb

/// Materials on the shop floor: receive a delivery, see the stock, trace a lot both ways, recall a supplier's lot.
extension SiteApp {
    func addMaterialsPages(to router: Router<WebContext>) {
        router.get("/materials") { request, _ in
            let query = request.uri.queryParameters
            return try await self.withSession(request) { session in
                try self.materialsPage(
                    session, notice: nil, trace: query["lot"].map(String.init),
                    recall: query["supplier_lot"].map(String.init))
            }
        }
        router.post("/materials/receive") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.receiveMaterials, session) { try await self.receive(request, session) }
            }
        }
        router.post("/materials/order") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.purchase, session) { try await self.orderSuggested(request, session) }
            }
        }
        router.post("/materials/recall") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.recall, session) { try await self.holdRecall(request, session) }
            }
        }
    }

    func materialsPage(
        _ session: Session, notice: String?, error: String? = nil, trace: String? = nil, recall: String? = nil,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let texts = session.texts
        let zone = host.definition.timeZone
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        html += error.map { "<p class=\"error\">\(escape($0))</p>" } ?? ""
        if session.user.role.may(.receiveMaterials), !host.definition.items.isEmpty {
            let items = options(
                host.definition.items.values.sorted { $0.id < $1.id }.map { ($0.id, "\($0.name) (\($0.unit))") })
            let suppliers = options(host.definition.suppliers.values.sorted { $0.id < $1.id }.map { ($0.id, $0.name) })
            let temperature =
                host.definition.rules.receivingCheck == nil
                ? ""
                : "<label>\(escape(texts("materials.temperature")))<input name=\"temperature\" inputmode=\"decimal\"></label>"
            html += """
                <form method="post" action="/materials/receive" class="stack card" id="receive">\(formFields(session))
                <h2>\(escape(texts("materials.receive")))</h2>
                <label>\(escape(texts("materials.item")))<select name="item" required>\(items)</select></label>
                <label>\(escape(texts("materials.supplier")))<select name="supplier" required>\(suppliers)</select></label>
                <label>\(escape(texts("materials.supplier_lot")))<input name="supplier_lot" required></label>
                <label>\(escape(texts("materials.quantity")))<input name="quantity" inputmode="decimal" required></label>
                <label>\(escape(texts("materials.lot")))<input name="lot" required></label>\(temperature)
                <label>\(escape(texts("materials.location")))<input name="location"></label>\(purchaseOrderField(texts))
                <button>\(escape(texts("materials.receive_submit")))</button></form>
                """
        }
        html +=
            "<form method=\"get\" action=\"/materials\" class=\"stack card\" id=\"trace-form\"><label>\(escape(texts("materials.trace_lot")))<input name=\"lot\" value=\"\(escape(trace ?? ""))\"></label><button>\(escape(texts("materials.trace")))</button></form>"
        if let trace, !trace.isEmpty {
            do {
                html += "<div class=\"card\" id=\"trace\"><h2>\(escape(texts("materials.back")))</h2>"
                html += tree(try host.traceBack(trace), texts, zone) + "<h2>\(escape(texts("materials.forward")))</h2>"
                html += tree(try host.traceForward(trace), texts, zone) + "</div>"
            } catch {
                html += "<p class=\"error\">\(escape(texts("error.refused", "\(error)")))</p>"
            }
        }
        html +=
            "<form method=\"get\" action=\"/materials\" class=\"stack card\" id=\"recall-form\"><label>\(escape(texts("materials.recall_supplier_lot")))<input name=\"supplier_lot\" value=\"\(escape(recall ?? ""))\"></label><button>\(escape(texts("materials.recall")))</button></form>"
        if let recall, !recall.isEmpty {
            do {
                let result = try host.recall(supplierLot: recall, at: clock())
                html += "<div class=\"card critical\" id=\"recall\">"
                html += result.trees.map { tree($0, texts, zone) }.joined()
                html +=
                    "<p>\(escape(texts("materials.in_stock", result.inStock.map { "\($0.lot) \(texts.number($0.onHand))" }.joined(separator: ", "))))</p>"
                html +=
                    "<p>\(escape(texts("materials.shipped", result.shipments.map { "\($0.lot) → \($0.customer ?? "?")" }.joined(separator: ", "))))</p>"
                if session.user.role.may(.recall), !result.inStock.isEmpty {
                    html += """
                        <form method="post" action="/materials/recall">\(formFields(session))
                        <input type="hidden" name="supplier_lot" value="\(escape(recall))">
                        <button class="fail">\(escape(texts("materials.hold_all")))</button></form>
                        """
                }
                html += "</div>"
            } catch {
                html += "<p class=\"error\">\(escape(texts("error.refused", "\(error)")))</p>"
            }
        }
        html += try purchasing(session)
        let onHand = try host.store.onHand()
        let origins = try host.store.origins()
        let locations = try host.store.locations()
        let lots = try host.store.lots().filter { (onHand[$0.id] ?? 0) > 0 }.prefix(200)
        html += "<h2>\(escape(texts("materials.stock")))</h2>"
        if lots.isEmpty { html += "<p>\(escape(texts("materials.no_stock")))</p>" }
        for lot in lots {
            let unit = host.definition.items[lot.product]?.unit ?? ""
            let origin =
                (origins[lot.id].map { " · \($0.supplier) \($0.supplierLot)" } ?? "")
                + (locations[lot.id].map { " · \($0)" } ?? "")
            html +=
                "<div class=\"card \(lot.status == .released ? "info" : "major")\"><strong><a href=\"/materials?lot=\(escape(lot.id))#trace\">\(escape(lot.id))</a></strong> \(escape(lot.product)) · \(texts.number(onHand[lot.id] ?? 0)) \(escape(unit)) · \(escape(texts("lots.status.\(lot.status.rawValue)")))"
                + (lot.expiresAt.map { " · \(escape(texts.time($0, zone)))" } ?? "") + escape(origin) + "</div>"
        }
        return page(session, status: status, title: texts("materials.title"), body: html)
    }

    /// A trace as nested lists: each lot with its item, how much went in, its stock, supplier and shipments.
    func tree(_ node: TraceNode, _ texts: Texts, _ zone: TimeZone) -> String {
        var line = "<strong>\(escape(node.lot))</strong> \(escape(node.item))"
        if let quantity = node.quantity { line += " · \(texts.number(quantity))" }
        line += " · \(escape(texts("materials.on_hand", texts.number(node.onHand))))"
        if let origin = node.origin { line += " · \(escape(origin.supplier)) \(escape(origin.supplierLot))" }
        for shipment in node.shipments {
            line +=
                "<br>→ \(escape(shipment.customer ?? "?")) \(texts.number(-shipment.quantity)) \(escape(texts.time(shipment.at, zone)))"
        }
        return "<ul><li>" + line + node.children.map { tree($0, texts, zone) }.joined() + "</li></ul>"
    }

    func receive(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        func number(_ key: String) -> Double? {
            fields[key].flatMap {
                Double($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "."))
            }
        }
        guard let quantity = number("quantity") else {
            return try materialsPage(
                session, notice: nil, error: texts("check.not_number"), status: .unprocessableContent)
        }
        let temperature =
            (fields["temperature"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty ? nil : number("temperature")
        if temperature == nil, !(fields["temperature"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            return try materialsPage(
                session, notice: nil, error: texts("check.not_number"), status: .unprocessableContent)
        }
        return try once(
            fields, session,
            refused: { try materialsPage(session, notice: nil, error: $0, status: .unprocessableContent) }
        ) {
            let po = (fields["purchase_order"] ?? "").trimmingCharacters(in: .whitespaces)
            let location = (fields["location"] ?? "").trimmingCharacters(in: .whitespaces)
            let findings = try host.receive(
                .init(
                    lot: fields["lot"] ?? "", item: fields["item"] ?? "", quantity: quantity,
                    supplier: fields["supplier"] ?? "", supplierLot: fields["supplier_lot"] ?? "",
                    temperature: temperature, purchaseOrder: po.isEmpty ? nil : po,
                    location: location.isEmpty ? nil : location, by: session.user.staff,
                    at: clock()))
            let notice =
                texts("materials.received", fields["lot"] ?? "")
                + findings.map { " " + ($0.translations?[texts.locale.rawValue]?.message ?? $0.message) }.joined()
            return try materialsPage(session, notice: notice)
        }
    }

    func holdRecall(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        let supplierLot = fields["supplier_lot"] ?? ""
        return try once(
            fields, session,
            refused: {
                try materialsPage(session, notice: nil, error: $0, recall: supplierLot, status: .unprocessableContent)
            }
        ) {
            let recall = try host.recall(supplierLot: supplierLot, holdBy: session.user.staff, at: clock())
            return try materialsPage(
                session, notice: texts("materials.held", recall.held.joined(separator: ", ")), recall: supplierLot)
        }
    }

    /// The purchase orders still to come, to receive a delivery against (optional).
    func purchaseOrderField(_ texts: Texts) -> String {
        guard let open = try? host.purchaseOrders(outstandingOnly: true), !open.isEmpty else { return "" }
        let choices = options(
            [("", texts("materials.no_purchase_order"))]
                + open.map { ($0.id, "\($0.id): \($0.item) \(texts.number($0.outstanding)) · \($0.supplier)") })
        return
            "<label>\(escape(texts("materials.purchase_order")))<select name=\"purchase_order\">\(choices)</select></label>"
    }

    /// What the open orders are short of and what to buy by when (the material plan), and the purchase orders
    /// still to come; a supervisor or the site manager raises the suggested ones with one button.
    func purchasing(_ session: Session) throws -> String {
        guard !host.definition.items.isEmpty else { return "" }
        let texts = session.texts
        let zone = host.definition.timeZone
        let plan = try host.materialPlan(at: clock())
        var html = "<div class=\"card\" id=\"to-buy\"><h2>\(escape(texts("materials.to_buy")))</h2>"
        if plan.suggestions.isEmpty { html += "<p>\(escape(texts("materials.nothing_short")))</p>" }
        for suggestion in plan.suggestions {
            let unit = host.definition.items[suggestion.item]?.unit ?? ""
            let why =
                suggestion.orders.isEmpty
                ? texts("materials.reorder_point")
                : texts("materials.for_orders", suggestion.orders.joined(separator: ", "))
            html +=
                "<p class=\"\(suggestion.late ? "critical" : "")\"><strong>\(escape(suggestion.item))</strong> "
                + "\(texts.number(suggestion.quantity)) \(escape(unit)) · \(escape(suggestion.supplier ?? "—")) · "
                + escape(texts("materials.needed_by", texts.time(suggestion.neededBy, zone)))
                + (suggestion.orderBy.map { " · " + escape(texts("materials.order_by", texts.time($0, zone))) } ?? "")
                + (suggestion.late ? " · " + escape(texts("materials.late")) : "") + " · \(escape(why))</p>"
        }
        if session.user.role.may(.purchase), plan.suggestions.contains(where: { $0.supplier != nil }) {
            html += """
                <form method="post" action="/materials/order">\(formFields(session))
                <button>\(escape(texts("materials.order_suggested")))</button></form>
                """
        }
        let open = try host.purchaseOrders(outstandingOnly: true)
        if !open.isEmpty { html += "<h3>\(escape(texts("materials.purchase_orders")))</h3>" }
        for order in open {
            let unit = host.definition.items[order.item]?.unit ?? ""
            html +=
                "<p>\(escape(order.id)): \(escape(order.item)) \(texts.number(order.outstanding)) \(escape(unit)) · "
                + "\(escape(order.supplier)) · \(escape(texts("materials.due", texts.time(order.due, zone))))</p>"
        }
        return html + "</div>"
    }

    func orderSuggested(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        return try once(
            fields, session,
            refused: { try materialsPage(session, notice: nil, error: $0, status: .unprocessableContent) }
        ) {
            let now = clock()
            let made = try host.createPurchaseOrders(
                from: try host.materialPlan(at: now), by: session.user.staff, at: now)
            return try materialsPage(
                session, notice: texts("materials.ordered", made.created.map(\.id).joined(separator: ", ")))
        }
    }
}
