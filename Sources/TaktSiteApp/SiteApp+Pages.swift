import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktStore
import TaktWeb

/// The pages: stations, recording a check, findings, lots on hold, sync.
extension SiteApp {
    func addPages(to router: Router<WebContext>) {
        router.get("/") { request, _ in try await self.withSession(request) { try self.stations($0) } }
        router.get("/stations/:centre") { request, context in
            try await self.withSession(request) { session in
                try self.station(context.parameters.get("centre") ?? "", session)
            }
        }
        router.get("/checks/record") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.recordCheck, session) {
                    let query = request.uri.queryParameters
                    return try self.checkForm(
                        query["check"].map(String.init) ?? "", at: query["work_centre"].map(String.init), session,
                        error: nil)
                }
            }
        }
        router.post("/checks/record") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.recordCheck, session) { try await self.recordCheck(request, session) }
            }
        }
        router.get("/findings") { request, _ in
            try await self.withSession(request) { try self.findings($0, notice: nil) }
        }
        router.post("/findings/:id/close") { request, context in
            try await self.withSession(request) { session in
                try await self.allowed(.closeFinding, session) {
                    try await self.closeFinding(context.parameters.get("id", as: Int64.self), request, session)
                }
            }
        }
        router.get("/lots") { request, _ in try await self.withSession(request) { try self.lots($0, notice: nil) } }
        router.post("/lots/:id/decide") { request, context in
            try await self.withSession(request) { session in
                try await self.allowed(.decideLot, session) {
                    try await self.decideLot(context.parameters.get("id") ?? "", request, session)
                }
            }
        }
        router.post("/lots") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.addLot, session) { try await self.addLot(request, session) }
            }
        }
        router.post("/lots/:id/issue") { request, context in
            try await self.withSession(request) { session in
                try await self.allowed(.addLot, session) {
                    try await self.issueLot(context.parameters.get("id") ?? "", request, session)
                }
            }
        }
        router.get("/sync") { request, _ in
            try await self.withSession(request) { session in
                try await self.allowed(.viewSync, session) { try self.syncPage(session) }
            }
        }
    }

    // MARK: stations

    func stations(_ session: Session) throws -> Response {
        let texts = session.texts
        let tiles = host.definition.workCentres.map {
            "<a class=\"big\" href=\"/stations/\(escape($0.id))\">\(escape($0.name))</a>"
        }.joined()
        return page(session, title: texts("stations.title"), body: "<div class=\"grid\">\(tiles)</div>")
    }

    /// One station: what runs now and next, checks due here with a countdown, blocks in force.
    func station(_ id: String, _ session: Session) throws -> Response {
        let texts = session.texts
        guard let centre = host.definition.workCentre(id) else {
            return page(
                session, status: .notFound, title: texts("app.title"),
                body: "<p>\(escape(texts("error.not_found")))</p>")
        }
        let now = clock()
        let zone = host.definition.timeZone
        var html = "<h2>\(escape(texts("station.now"))) / \(escape(texts("station.next")))</h2>"
        let rows = (try host.store.currentSchedule()?.rows ?? []).filter { $0.workCentre == id && $0.end > now }
            .sorted { $0.start < $1.start }.prefix(3)
        if rows.isEmpty { html += "<p>\(escape(texts("station.nothing_planned")))</p>" }
        for row in rows {
            let when = row.start <= now ? texts("station.now") : texts.time(row.start, zone)
            let text =
                row.kind == .operation
                ? texts("station.plan_row", when, row.order, row.product, texts.time(row.end, zone))
                : texts(
                    "station.changeover_row", when, row.task ?? row.kind.rawValue, texts.time(row.end, zone),
                    row.rule ?? "")
            html += "<div class=\"card\">\(escape(text))</div>"
        }
        html +=
            "<a class=\"big\" href=\"/production?work_centre=\(escape(id))\">\(escape(texts("production.title")))</a>"
        html += "<h2>\(escape(texts("station.checks_due")))</h2>"
        let due = try host.checksDue(at: now).filter { $0.workCentre == id || $0.workCentre == nil }
            .sorted { $0.due < $1.due }
        if due.isEmpty { html += "<p>\(escape(texts("station.no_checks")))</p>" }
        for check in due {
            let countdown = texts.countdown(to: check.due, from: now)
            html += """
                <div class="card"><strong>\(escape(host.definition.rules.check(check.check)?.translations[texts.locale.rawValue]?.name ?? check.name))</strong> — <span class="\(check.overdue ? "overdue" : "")">\(escape(countdown))</span>
                <br><a class="big" href="/checks/record?check=\(escape(check.check.rawValue))&amp;work_centre=\(escape(id))">\(escape(texts("station.record")))</a></div>
                """
        }
        // Any other check kept here (or anywhere), for readings taken when the procedure says.
        let listed = Set(due.map(\.check))
        let others = host.definition.rules.checks.filter {
            !listed.contains($0.id) && ($0.workCentres.isEmpty || $0.workCentres.contains(id))
        }
        if !others.isEmpty {
            html += "<h2>\(escape(texts("station.other_checks")))</h2><div class=\"grid\">"
            for check in others.sorted(by: { $0.id < $1.id }) {
                let name = check.translations[texts.locale.rawValue]?.name ?? check.name
                html +=
                    "<a class=\"big\" href=\"/checks/record?check=\(escape(check.id.rawValue))&amp;work_centre=\(escape(id))\">\(escape(name))</a>"
            }
            html += "</div>"
        }
        html += "<h2>\(escape(texts("station.blocks")))</h2>"
        let blocks = try host.activeBlocks().filter {
            $0.target == id || $0.target.hasSuffix("@\(id)") || $0.kind != .blockWorkCentre && $0.kind != .blockOperator
        }
        if blocks.isEmpty { html += "<p>\(escape(texts("station.no_blocks")))</p>" }
        for block in blocks {
            html +=
                "<div class=\"card critical\">\(escape(texts("station.blocked", block.target, texts.time(block.since, zone), String(block.finding))))</div>"
        }
        return page(session, title: texts("station.title", centre.name), body: html)
    }

    // MARK: checks

    /// The form for one check; refused here, before anything is typed, when the person lacks what the site's
    /// qualification rules ask of whoever records it.
    func checkForm(_ id: String, at workCentre: String?, _ session: Session, error: String?) throws -> Response {
        let texts = session.texts
        guard let ruleID = try? RuleID(validating: id), let check = host.definition.rules.check(ruleID) else {
            return page(
                session, status: .notFound, title: texts("app.title"),
                body: "<p class=\"error\">\(escape(texts("check.unknown", id)))</p>")
        }
        if let lacking = lacking(check, workCentre: workCentre, session) {
            return page(
                session, status: .forbidden,
                title: texts("check.title", check.translations[texts.locale.rawValue]?.name ?? check.name),
                body: "<p class=\"error\">\(escape(texts("check.not_qualified", check.name, lacking)))</p>")
        }
        let limits = [
            check.limits.min.map { "≥ \(texts.number($0))" }, check.limits.max.map { "≤ \(texts.number($0))" },
        ]
        .compactMap { $0 }.joined(separator: ", ")
        let value =
            check.isPassFail
            ? "<div><button class=\"pass\" name=\"value\" value=\"1\">\(escape(texts("check.pass")))</button> <button class=\"fail\" name=\"value\" value=\"0\">\(escape(texts("check.fail")))</button></div>"
            : "<label>\(escape(texts("check.value", check.unit)))<input name=\"value\" inputmode=\"decimal\" required autofocus></label><button>\(escape(texts("check.submit")))</button>"
        // The instruments named for this check: the reading must say which one took it.
        let instruments = host.definition.instruments.values.filter { $0.checks.contains(check.id) }.sorted {
            $0.id < $1.id
        }
        let instrument =
            instruments.isEmpty
            ? ""
            : "<label>\(escape(texts("check.instrument")))<select name=\"instrument\" required><option value=\"\"></option>"
                + instruments.map { "<option value=\"\(escape($0.id))\">\(escape($0.name))</option>" }.joined()
                + "</select></label>"
        let body = """
            \(error.map { "<p class=\"error\">\(escape($0))</p>" } ?? "")
            \(limits.isEmpty ? "" : "<p>\(escape(texts("check.limits", limits + " " + check.unit)))</p>")
            <form method="post" action="/checks/record" class="stack">\(formFields(session))
            <input type="hidden" name="check" value="\(escape(check.id.rawValue))">
            <input type="hidden" name="work_centre" value="\(escape(workCentre ?? ""))">
            <label>\(escape(texts("check.lot")))<input name="lot"></label>\(instrument)\(value)</form>
            """
        return page(
            session, title: texts("check.title", check.translations[texts.locale.rawValue]?.name ?? check.name),
            body: body)
    }

    /// What the person lacks to record `check` (certificates, skills), or nil when nothing.
    func lacking(_ check: CheckDefinition, workCentre: String?, _ session: Session) -> String? {
        guard let staff = host.definition.staff[session.user.staff] else { return nil }
        let today = LocalDate(clock(), in: host.definition.timeZone)
        let missing = host.definition.rules.safety.compactMap { $0 as? QualificationRule }
            .filter { rule in
                (rule.checks.isEmpty || rule.checks.contains(check.id))
                    && (rule.workCentres.isEmpty || workCentre.map(rule.workCentres.contains) ?? false)
            }
            .flatMap { $0.missing(staff, on: today) }
        return missing.isEmpty ? nil : missing.joined(separator: ", ")
    }

    func recordCheck(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        let id = fields["check"] ?? ""
        let workCentre = fields["work_centre"].flatMap { $0.isEmpty ? nil : $0 }
        guard let ruleID = try? RuleID(validating: id), let check = host.definition.rules.check(ruleID) else {
            return try checkForm(id, at: workCentre, session, error: nil)
        }
        if lacking(check, workCentre: workCentre, session) != nil {
            return try checkForm(id, at: workCentre, session, error: nil)
        }
        // Numbers as people type them: 4.5 or 4,5.
        let typed = (fields["value"] ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(
            of: ",", with: ".")
        guard let value = Double(typed), value.isFinite else {
            return try checkForm(id, at: workCentre, session, error: texts("check.not_number"))
        }
        let lot = fields["lot"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let instrument = fields["instrument"].flatMap { $0.isEmpty ? nil : $0 }
        return try once(fields, session, refused: { try checkForm(id, at: workCentre, session, error: $0) }) {
            let recorded = try host.record(
                CheckReading(
                    check: ruleID, value: value, lot: lot, workCentre: workCentre, recordedBy: session.user.staff,
                    instrument: instrument, at: clock()))
            return verdictPage(recorded, check, value: value, at: workCentre, session)
        }
    }

    /// What recording a check did, in plain words, with a button to record another.
    func verdictPage(
        _ recorded: SiteStore.RecordedReading, _ check: CheckDefinition, value: Double, at workCentre: String?,
        _ session: Session
    ) -> Response {
        let texts = session.texts
        let id = check.id.rawValue
        var html = ""
        if recorded.findings.isEmpty {
            html +=
                "<div class=\"card\">\(escape(texts("verdict.ok", check.translations[texts.locale.rawValue]?.name ?? check.name, texts.number(value))))</div>"
        }
        for finding in recorded.findings { html += verdict(finding, texts) }
        for release in recorded.released {
            html += "<div class=\"card\">\(escape(texts("verdict.released", release.target)))</div>"
        }
        let again = "/checks/record?check=\(escape(id))&amp;work_centre=\(escape(workCentre ?? ""))"
        html += "<a class=\"big\" href=\"\(again)\">\(escape(texts("verdict.again")))</a>"
        return page(session, title: texts("verdict.title"), body: html)
    }

    /// A finding in plain words: what was found, what to do, and what it did.
    func verdict(_ finding: Finding, _ texts: Texts) -> String {
        var html =
            "<div class=\"card \(finding.severity.rawValue)\"><strong>\(escape(texts("severity.\(finding.severity.rawValue)")))</strong>: \(escape(finding.message(in: texts.locale)))"
        for action in finding.actions {
            let line: String
            switch action.kind {
            case .correctiveAction:
                line = texts("verdict.corrective_action", finding.correctiveAction(in: texts.locale) ?? action.target)
            case .holdLot: line = texts("verdict.hold_lot", action.target)
            case .blockWorkCentre: line = texts("verdict.block_work_centre", action.target)
            case .blockOperator:
                let parts = action.target.split(separator: "@", maxSplits: 1).map(String.init)
                line = texts("verdict.block_operator", parts.first ?? action.target, parts.last ?? "")
            default:
                line = texts(
                    "verdict.block_other", String(action.kind.rawValue.dropFirst("block_".count)), action.target)
            }
            html += "<p>\(escape(line))</p>"
        }
        return html + "</div>"
    }

    // MARK: findings

    func findings(_ session: Session, notice: String?) throws -> Response {
        let texts = session.texts
        let open = try host.findings(openOnly: true).sorted { ($0.severity, $0.raisedAt) > ($1.severity, $1.raisedAt) }
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        if open.isEmpty { html += "<p>\(escape(texts("findings.none")))</p>" }
        for finding in open {
            html += verdict(finding, texts)
            if session.user.role.may(.closeFinding), let id = finding.id {
                html += """
                    <form method="post" action="/findings/\(id)/close" class="stack card">\(formFields(session))
                    <label>\(escape(texts("findings.resolution")))<input name="resolution" required></label>
                    <button>\(escape(texts("findings.close"))) #\(id)</button></form>
                    """
            }
        }
        return page(session, title: texts("findings.title"), body: html)
    }

    func closeFinding(_ id: Int64?, _ request: Request, _ session: Session) async throws -> Response {
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        guard let id else { return try findings(session, notice: session.texts("error.not_found")) }
        return try once(fields, session, refused: { try findings(session, notice: $0) }) {
            _ = try host.closeFinding(id, by: session.user.staff, resolution: fields["resolution"] ?? "", at: clock())
            return try findings(session, notice: session.texts("findings.closed", String(id)))
        }
    }

    // MARK: lots

    func lots(_ session: Session, notice: String?) throws -> Response {
        let texts = session.texts
        let held = try host.lots(status: .onHold)
        let findings = try host.findings(openOnly: false)
        var html = notice.map { "<p class=\"notice\">\(escape($0))</p>" } ?? ""
        if held.isEmpty { html += "<p>\(escape(texts("lots.none")))</p>" }
        for lot in held {
            html +=
                "<div class=\"card major\"><strong>\(escape(lot.id))</strong> \(escape(lot.product)) · \(texts.number(lot.quantity))"
            for finding in findings where finding.actions.contains(FindingAction(.holdLot, lot.id)) {
                html += "<p>\(escape(texts("lots.held_by", finding.id.map(String.init) ?? "-", finding.message)))</p>"
            }
            if session.user.role.may(.decideLot) {
                html += """
                    <form method="post" action="/lots/\(escape(lot.id))/decide">\(formFields(session))
                    <button class="pass" name="status" value="released">\(escape(texts("lots.release")))</button>
                    <button class="fail" name="status" value="rejected">\(escape(texts("lots.reject")))</button></form>
                    """
            }
            html += "</div>"
        }
        let zone = host.definition.timeZone
        let stock = try host.lots(status: .released).sorted {
            ($0.expiresAt ?? .distantFuture, $0.id) < ($1.expiresAt ?? .distantFuture, $1.id)
        }
        if !stock.isEmpty { html += "<h2>\(escape(texts("lots.stock")))</h2>" }
        // First expiry first: the lots to use next; the rest are a search away (takt lots, the API).
        for lot in stock.prefix(50) {
            let expires = lot.expiresAt.map { texts.time($0, zone) } ?? "—"
            html +=
                "<div class=\"card info\">\(escape(texts("lots.stock_row", lot.id, texts.number(lot.quantity), lot.product, expires)))"
            if session.user.role.may(.addLot) {
                html +=
                    "<form method=\"post\" action=\"/lots/\(escape(lot.id))/issue\">\(formFields(session))<button>\(escape(texts("lots.issue")))</button></form>"
            }
            html += "</div>"
        }
        if session.user.role.may(.addLot) {
            let products = options(productChoices)
            html += """
                <h2>\(escape(texts("lots.add")))</h2><form method="post" action="/lots" class="stack card">\(formFields(session))
                <label>\(escape(texts("lots.id")))<input name="id" required></label>
                <label>\(escape(texts("lots.product")))<select name="product">\(products)</select></label>
                <label>\(escape(texts("lots.quantity")))<input name="quantity" inputmode="decimal" required></label>
                <label>\(escape(texts("lots.expires")))<input name="expires" type="datetime-local"></label>
                <button>\(escape(texts("lots.add")))</button></form>
                """
        }
        return page(session, title: texts("lots.title"), body: html)
    }

    func addLot(_ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        let zone = host.definition.timeZone
        let id = (fields["id"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else { return try lots(session, notice: texts("error.missing_field", texts("lots.id"))) }
        guard let quantity = Double((fields["quantity"] ?? "").replacingOccurrences(of: ",", with: ".")) else {
            return try lots(session, notice: texts("error.missing_field", texts("lots.quantity")))
        }
        var expires: Date?
        if let text = fields["expires"], !text.isEmpty {
            guard let date = Instant.parse(text, in: zone) else {
                return try lots(session, notice: texts("error.bad_time", texts("lots.expires")))
            }
            expires = date
        }
        return try once(fields, session, refused: { try lots(session, notice: $0) }) {
            let now = clock()
            try host.addLot(
                Lot(id: id, product: fields["product"] ?? "", quantity: quantity, producedAt: now, expiresAt: expires),
                at: now)
            return try lots(session, notice: texts("lots.added", id))
        }
    }

    /// Issues a lot from stock; the rules judge first-expiry-first-out and expired or held stock, and what they
    /// find is shown.
    func issueLot(_ id: String, _ request: Request, _ session: Session) async throws -> Response {
        let texts = session.texts
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        return try once(fields, session, refused: { try lots(session, notice: $0) }) {
            let findings = try host.issue(LotIssue(lot: id, by: session.user.staff, at: clock()))
            guard !findings.isEmpty else { return try lots(session, notice: texts("lots.issued", id)) }
            return page(
                session, title: texts("lots.title"),
                body: "<p class=\"notice\">\(escape(texts("lots.issued", id)))</p>"
                    + findings.map { verdict($0, texts) }.joined())
        }
    }

    func decideLot(_ id: String, _ request: Request, _ session: Session) async throws -> Response {
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        guard let status = fields["status"].flatMap(Lot.Status.init(rawValue:)),
            status == .released || status == .rejected
        else { return try lots(session, notice: session.texts("error.not_found")) }
        return try once(fields, session, refused: { try lots(session, notice: $0) }) {
            _ = try host.decide(lot: id, status: status, by: session.user.staff, at: clock())
            return try lots(session, notice: session.texts(status == .released ? "lots.released" : "lots.rejected", id))
        }
    }

    // MARK: sync

    func syncPage(_ session: Session) throws -> Response {
        let texts = session.texts
        let status = try host.store.syncStatus(now: clock())
        var html = """
            <div class="card">\(escape(texts("sync.last_contact", status.lastSuccess.map { texts.time($0, host.definition.timeZone) } ?? texts("sync.never"))))</div>
            <div class="card">\(escape(texts("sync.outbox", String(status.outboxDepth))))</div>
            <div class="card">\(escape(texts("sync.dead_letters", String(status.deadLetters.count))))</div>
            <div class="card">\(escape(texts("sync.config", String(status.configVersion))))</div>
            """
        if let pending = try host.store.pendingRecovery() {
            html +=
                "<div class=\"card\">\(escape(texts("sync.recovery_pending", pending.epoch, String(pending.through))))</div>"
        }
        // What central gave back after a restore: the newest first, as the site's history of what the backup missed.
        let recovered = try host.store.recoveredRecords()
        if !recovered.isEmpty {
            html += "<h2>\(escape(texts("sync.recovered", String(recovered.count))))</h2><ul>"
            for record in recovered.suffix(50).reversed() {
                html +=
                    "<li>\(escape(texts.time(record.createdAt, host.definition.timeZone))) · \(escape(record.kind)) \(escape(record.key))</li>"
            }
            html += "</ul>"
        }
        return page(session, title: texts("sync.title"), body: html)
    }
}
