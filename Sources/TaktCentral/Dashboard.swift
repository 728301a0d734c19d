import Foundation
import TaktCentralStore
import TaktCore
import TaktScheduling

/// The regional manager's pages, rendered on the server: plain HTML and CSS, no scripts, nothing loaded from
/// the network; they reflow from phone to desktop width.
enum Dashboard {
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    static let style = """
        dl.module{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dd.attention{color:#a11;font-weight:600}
        *{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#f5f6f8}
        header{background:#1d2430;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
        header a{color:#fff;text-decoration:none;font-weight:600}header .who{margin-left:auto;font-size:.9rem}
        header form{display:inline}header button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding:.2rem .6rem}
        main{padding:1rem;max-width:1200px;margin:auto}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:1rem}
        .tile{background:#fff;border-radius:8px;padding:1rem;border-left:8px solid #999;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .tile.green{border-color:#2e9e5b}.tile.amber{border-color:#e0a100}.tile.red{border-color:#d12c2c}.tile.grey{border-color:#8a919c}
        .tile h3{margin:.1rem 0 .3rem;font-size:1.05rem}.word{margin:0;font-size:.9rem}.worst{font-size:.9rem;margin:0 0 .6rem}.filters{margin:0 0 1rem}.tile h3 a{color:inherit}.reason{font-size:.9rem;margin:.2rem 0 .6rem}
        dl{display:grid;grid-template-columns:auto auto;gap:.15rem .8rem;margin:0;font-size:.9rem}dt{color:#5a6270}dd{margin:0;text-align:right;font-weight:600}
        table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}th,td{padding:.4rem .5rem;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
        .scroll{overflow-x:auto}.badge{display:inline-block;padding:.05rem .4rem;border-radius:4px;font-size:.8rem;color:#fff}
        .critical{background:#c62828}.major{background:#e0a100;color:#1d2430}.minor{background:#2b5fad}.info{background:#5f6670}
        form.stack{display:grid;gap:.6rem;max-width:760px;background:#fff;padding:1rem;border-radius:8px}
        textarea{width:100%;min-height:10rem;font-family:monospace}input,select,button,textarea{font-size:1rem}
        .error{background:#fde8e8;border:1px solid #d12c2c;padding:.6rem;border-radius:6px;white-space:pre-wrap}
        .ok{background:#e6f6ec;border:1px solid #2e9e5b;padding:.6rem;border-radius:6px}
        svg{max-width:100%;height:auto}.muted{color:#5a6270;font-size:.85rem}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,560px),1fr));gap:1rem}
        figure.chart{margin:0;background:#fff;border-radius:8px;padding:.6rem}figcaption{font-size:.9rem;margin-bottom:.3rem}
        svg.trend{min-width:420px}td.best{background:#e6f6ec}td.worst{background:#fde8e8}#gantt svg{max-width:none}
        pre.diff{background:#fff;padding:.5rem;overflow-x:auto;font-size:.85rem}pre.diff ins{background:#e6f6ec;text-decoration:none;display:block}
        pre.diff del{background:#fde8e8;text-decoration:none;display:block}.status-pending{font-weight:600}table.history form{margin:0}
        """

    /// How often the overview reloads itself (its "as of" line says when it last did).
    static let overviewRefreshSeconds = 60

    /// A whole page; `refreshSeconds` makes the browser reload it that often (the same address, filters kept).
    static func page(title: String, user: String?, csrf: String?, body: String, refreshSeconds: Int? = nil) -> String {
        var nav = ""
        if let user, let csrf {
            nav = """
                <a href="/">Overview</a><a href="/compare">Compare</a><a href="/materials">Materials</a><a href="/maintenance">Maintenance</a><a href="/quality">Quality</a><a href="/people">People</a><a href="/costs">Costs</a><a href="/quotes">Quotes</a><a href="/extensions">Extensions</a><a href="/config">Configuration</a>
                <span class="who">\(escape(user)) <form method="post" action="/logout"><input type="hidden" name="csrf" value="\(csrf)"><button>Log out</button></form></span>
                """
        }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            \(refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")<title>\(escape(title)) · Takt</title><style>\(style)</style></head>
            <body><header><a href="/">Takt</a>\(nav)</header><main>\(body)</main></body></html>
            """
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.0f %%", $0 * 100) } ?? "n/a" }

    static func time(_ date: Date?, _ zone: TimeZone) -> String {
        date.map { Instant.format($0, in: zone) } ?? "never"
    }

    /// The word that says a tile's status, so it never rests on colour alone.
    static func statusWord(_ status: String) -> String {
        ["red": "Needs you now", "amber": "Attention", "grey": "No contact", "green": "On plan"][status] ?? status
    }

    /// When central last heard from the site, in its time, and how long ago.
    static func heard(_ state: SiteState, zone: TimeZone, now: Date) -> String {
        guard let last = state.lastHeardAt else { return "never" }
        return "\(time(last, zone)) (\(TimeSpan(seconds: Int(max(0, now.timeIntervalSince(last)))).forPeople) ago)"
    }

    /// The single worst open finding (highest severity, then oldest) as a link to it on the site's page: what it
    /// says, when, and what it held or blocked.
    static func worst(_ state: SiteState, zone: TimeZone, now: Date) -> String {
        guard
            let finding = state.openFindings.max(by: { a, b in
                a.severity != b.severity ? a.severity < b.severity : a.raisedAt > b.raisedAt
            })
        else { return "" }
        let message = finding.message.count > 110 ? finding.message.prefix(107) + "…" : Substring(finding.message)
        let did = finding.actions.compactMap { action -> String? in
            switch action.kind {
            case .holdLot: return "lot \(action.target) held"
            case .blockWorkCentre: return "\(state.names.workCentre(action.target)) blocked"
            case .blockOperator: return "\(action.target) blocked"
            default: return nil
            }
        }
        let text =
            "\(message) at \(Instant.formatNear(finding.raisedAt, in: zone, now: now))"
            + (did.isEmpty ? "" : ", " + did.joined(separator: ", "))
        return
            "<p class=\"worst\"><a href=\"/sites/\(escape(state.site))#\(anchor(finding))\">\(escape(text))</a></p>"
    }

    /// The id of a finding's row on its site's page.
    static func anchor(_ finding: Finding) -> String { "finding-\(finding.id.map(String.init) ?? "new")" }

    static func tile(_ state: SiteState, zone: TimeZone, now: Date, region: String? = nil) -> String {
        """
        <section class="tile \(state.status)" id="site-\(escape(state.site))"><h3><a href="/sites/\(escape(state.site))">\(escape(state.name))</a></h3>
        <p class="word"><strong>\(statusWord(state.status))</strong>\(region.map { " · \(escape($0))" } ?? "")</p>
        <p class="reason">\(escape(state.reason))</p>\(worst(state, zone: zone, now: now))<dl>
        <dt>Last heard</dt><dd>\(heard(state, zone: zone, now: now))</dd>
        <dt>Schedule adherence today</dt><dd>\(adherence(state))</dd><dt>Late orders today</dt><dd>\(number(state.lateOrders, state, "late-orders"))</dd>
        <dt>OEE</dt><dd>\(percent(state.oee))</dd>
        <dt>Open findings</dt><dd>\(number(state.openFindings.count, state, "findings"))</dd><dt>Critical breaches</dt><dd>\(number(state.criticalOpen, state, "findings?severity=critical"))</dd>
        <dt>Lots on hold</dt><dd>\(number(state.lotsOnHold.count, state, "lots"))</dd><dt>Overdue checks</dt><dd>\(number(state.overdueChecks, state, "checks?overdue=true"))</dd>
        <dt>Safety incidents (7 d)</dt><dd>\(state.recentIncidents)</dd>
        <dt>Configuration</dt><dd>\(state.configRunning) running / \(state.configPublished) published</dd>
        \(moduleLines(state))</dl></section>
        """
    }

    /// A count on a tile as a link to the records behind it (`Drilldown`).
    static func number(_ count: Int, _ state: SiteState, _ list: String) -> String {
        "<a href=\"/sites/\(escape(state.site))/\(escape(list))\">\(count)</a>"
    }

    /// Today's adherence with the orders behind it ("86 % (6 of 7 due)"); "none due" on a day without orders.
    static func adherence(_ state: SiteState) -> String {
        guard let today = state.adherence else { return state.onTimeShare.map { percent($0) } ?? "none due" }
        return "\(percent(today.share)) (\(today.onTime) of \(today.due) due)"
    }

    /// One tile line per module summary: its lines as `label value`, joined.
    static func moduleLines(_ state: SiteState) -> String {
        state.modules.map { module in
            let text = module.lines.map { "\($0.label) \($0.value)" }.joined(separator: ", ")
            let mark = module.lines.contains(where: \.attention) ? " class=\"attention\"" : ""
            return "<dt>\(escape(module.title))</dt><dd\(mark)>\(escape(text))</dd>"
        }.joined()
    }

    /// What the overview shows: one region (its id), one status and one module's sites, or all.
    struct OverviewFilter: Hashable, Sendable {
        var region: String?
        var status: String?
        var module: String?
    }

    /// The statuses a tile can have, worst first.
    static let statuses = ["red", "amber", "grey", "green"]

    /// The overview's filter form: a region, a status and a module, kept as chosen.
    static func filterForm(_ filter: OverviewFilter, regions: [(id: String, name: String)], modules: [String] = [])
        -> String
    {
        func option(_ value: String, _ label: String, _ chosen: String?) -> String {
            "<option value=\"\(escape(value))\"\(chosen == value ? " selected" : "")>\(escape(label))</option>"
        }
        let regionOptions =
            [option("", "All regions", filter.region ?? "")]
            + regions.map {
                option($0.id, $0.name, filter.region)
            }
        let statusOptions =
            [option("", "Any status", filter.status ?? "")] + statuses.map { option($0, statusWord($0), filter.status) }
        return
            "<form method=\"get\" action=\"/\" id=\"filters\" class=\"filters\"><label>Region <select name=\"region\">"
            + regionOptions.joined() + "</select></label> <label>Status <select name=\"status\">"
            + statusOptions.joined() + "</select></label>"
            + (modules.isEmpty
                ? ""
                : " <label>Module <select name=\"module\">"
                    + ([option("", "Any module", filter.module ?? "")]
                    + modules.map { option($0, $0.replacingOccurrences(of: "_", with: " "), filter.module) })
                    .joined() + "</select></label>") + " <button>Show</button></form>"
    }

    /// Every visible site on one grid, worst first across regions (red, amber, grey, green; then the most
    /// critical breaches, the most open findings, the name), each tile naming its region.
    static func overview(
        _ regions: [(name: String, states: [(SiteState, TimeZone)])], now: Date, filter: OverviewFilter = .init(),
        regions visible: [(id: String, name: String)] = [], modules: [String] = [], problems: [String] = []
    ) -> String {
        var html =
            "<h1>Your sites today</h1><p class=\"muted\" id=\"as-of\">As of \(Instant.format(now, in: .gmt)); "
            + "worst first across regions; this page reloads itself every \(overviewRefreshSeconds) s.</p>"
        if !visible.isEmpty { html += filterForm(filter, regions: visible, modules: modules) }
        for problem in problems { html += "<p class=\"error\">\(escape(problem)).</p>" }
        let sites = regions.flatMap { region in region.states.map { (region: region.name, state: $0.0, zone: $0.1) } }
        let ranked = sites.sorted { a, b in
            let left = (rank(a.state.status), -a.state.criticalOpen, -a.state.openFindings.count)
            let right = (rank(b.state.status), -b.state.criticalOpen, -b.state.openFindings.count)
            return left != right ? left < right : a.state.name < b.state.name
        }
        html += "<div class=\"tiles\">"
        for site in ranked { html += tile(site.state, zone: site.zone, now: now, region: site.region) }
        html += "</div>"
        if sites.isEmpty {
            html +=
                filter == OverviewFilter()
                ? "<p>No sites are visible to you.</p>" : "<p id=\"none\">No site matches these filters.</p>"
        }
        return html
    }

    static func rank(_ status: String) -> Int { statuses.firstIndex(of: status) ?? statuses.count }

    static func sitePage(
        _ state: SiteState, zone: TimeZone, history: SiteHistory, now: Date, days: Int = 7,
        targets: (oee: Double, adherence: Double, checksOnTime: Double) = (0.85, 0.95, 1),
        gantt: GanttWindow = .twoDays
    ) -> String {
        var html = "<h1>\(escape(state.name))</h1><p class=\"muted\">Times in \(escape(zone.identifier)).</p>"
        html += "<div class=\"tiles\">\(tile(state, zone: zone, now: now))</div>"
        html += trends(history, site: state.site, days: days, targets: targets, gantt: gantt)
        if state.unreadableRecords > 0 {
            html +=
                "<p class=\"error\" id=\"unreadable\">\(state.unreadableRecords) record(s) from this site could not be read by central. A finding among them could be a critical breach: check the site's own findings (<code>takt findings --open</code>) and the central and site versions.</p>"
        }
        html += "<h2>Schedule</h2>"
        if let schedule = state.schedule {
            let late = Set(schedule.summary.late.map(\.order))
            html += ganttChoice(site: state.site, days: days, chosen: gantt)
            html +=
                "<div class=\"scroll\" id=\"gantt\">"
                + ScheduleExport.svg(
                    schedule.rows, timeZone: zone,
                    title: "Schedule from \(Instant.format(schedule.summary.from, in: zone))", lateOrders: late,
                    window: gantt.interval(now: now), now: now, names: state.names.workCentres,
                    productNames: state.names.products)
                + "</div>"
            if let unplannable = schedule.summary.unplannable, !unplannable.isEmpty {
                html +=
                    "<h2>Could not be planned</h2><div class=\"scroll\"><table id=\"unplannable\"><tr><th>Order</th><th>Why</th></tr>"
                for order in unplannable.prefix(200) {
                    html += "<tr><td>\(escape(order.order))</td><td>\(escape(order.reason))</td></tr>"
                }
                html += "</table></div>"
            }
            if !schedule.summary.late.isEmpty {
                html +=
                    "<h2>Late orders</h2><div class=\"scroll\"><table id=\"late\"><tr><th>Order</th><th>Late by</th><th>Due</th><th>Why</th></tr>"
                for order in schedule.summary.late.prefix(200) {
                    html +=
                        "<tr><td>\(escape(order.order))</td><td>\(TimeSpan(seconds: order.lateSeconds).forPeople)</td><td>\(escape(Instant.formatDeadline(order.due, in: zone)))</td><td><ul>"
                        + order.reasons.prefix(5).map { (reason: String) -> String in "<li>\(escape(reason))</li>" }
                        .joined() + "</ul></td></tr>"
                }
                html += "</table></div>"
            }
        } else {
            html += "<p>No schedule received yet.</p>"
        }
        html +=
            "<h2>Open findings and corrective actions</h2><p class=\"muted\">By severity, then the oldest first. <a href=\"/sites/\(escape(state.site))/findings\">Filter, sort or download them</a>.</p><div class=\"scroll\"><table id=\"findings\"><tr><th>Severity</th><th>Raised</th><th>About</th><th>Finding</th><th>Corrective action</th></tr>"
        let byUrgency = state.openFindings.sorted { ($0.severity, $1.raisedAt) > ($1.severity, $0.raisedAt) }
        for finding in byUrgency.prefix(100) {
            let action = finding.actions.first { $0.kind == .correctiveAction }?.target ?? ""
            let open = TimeSpan(seconds: Int(max(0, now.timeIntervalSince(finding.raisedAt)))).forPeople
            html +=
                "<tr id=\"\(anchor(finding))\"><td><span class=\"badge \(finding.severity.rawValue)\">\(finding.severity.rawValue)</span></td><td>\(time(finding.raisedAt, zone)) <span class=\"muted\">(open \(open))</span></td>"
                + "<td>\(escape(state.names.describe(finding.subject)))</td><td>\(escape(finding.message)) <span class=\"muted\">\(escape(state.names.rule(finding.rule.rawValue)))</span></td><td>\(escape(action)) <span class=\"muted\">(open, to be closed by a named person)</span></td></tr>"
        }
        if state.openFindings.isEmpty { html += "<tr><td colspan=\"5\">No open findings.</td></tr>" }
        html +=
            "</table></div><h2>Checks due</h2><div class=\"scroll\"><table id=\"checks\"><tr><th>Check</th><th>Where</th><th>Last recorded</th><th>Due</th></tr>"
        for check in (state.checksDue ?? []).sorted(by: { $0.due < $1.due }) {
            let status = check.overdue ? " <span class=\"badge major\">overdue</span>" : ""
            html +=
                "<tr><td>\(escape(check.name))</td><td>\(escape(check.workCentre.map(state.names.workCentre) ?? "the site"))</td><td>\(time(check.lastRecorded, zone))</td><td>\(time(check.due, zone))\(status)</td></tr>"
        }
        if (state.checksDue ?? []).isEmpty {
            html += "<tr><td colspan=\"4\">No checks with a frequency reported yet.</td></tr>"
        }
        html +=
            "</table></div><h2>Lots on hold</h2><div class=\"scroll\"><table id=\"lots\"><tr><th>Lot</th><th>Product</th><th>Quantity</th><th>Produced</th></tr>"
        for lot in state.lotsOnHold {
            html +=
                "<tr><td>\(escape(lot.id))</td><td>\(escape(state.names.product(lot.product)))</td><td>\(CriticalLimits.format(lot.quantity))</td><td>\(time(lot.producedAt, zone))</td></tr>"
        }
        if state.lotsOnHold.isEmpty { html += "<tr><td colspan=\"4\">None.</td></tr>" }
        html += "</table></div>"
        for module in state.modules {
            html += "<h2>\(escape(module.title))</h2><dl class=\"module\" id=\"module-\(escape(module.kind))\">"
            for line in module.lines {
                let mark = line.attention ? " class=\"attention\"" : ""
                html += "<dt>\(escape(line.label))</dt><dd\(mark)>\(escape(line.value))</dd>"
            }
            html += "</dl>"
        }
        if !state.names.extensions.isEmpty {
            // What the site runs of its WebAssembly rule extensions, as its names last said.
            html += "<h2>Extensions</h2><ul id=\"extensions\">"
            for running in state.names.extensions.prefix(50) {
                html += "<li>\(escape(String(running.prefix(120))))</li>"
            }
            html += "</ul>"
        }
        return html
    }

    /// The links that choose how much of the schedule the Gantt chart draws, the chosen one marked.
    static func ganttChoice(site: String, days: Int, chosen: GanttWindow) -> String {
        let names: [GanttWindow: String] = [.twoDays: "Next 48 hours", .week: "Next 7 days", .all: "Whole schedule"]
        let links = GanttWindow.allCases.map { window -> String in
            let name = escape(names[window] ?? window.rawValue)
            return window == chosen
                ? "<strong aria-current=\"true\">\(name)</strong>"
                : "<a href=\"/sites/\(escape(site))?gantt=\(window.rawValue)&amp;days=\(days)#gantt\">\(name)</a>"
        }
        return "<p class=\"filters\" id=\"gantt-window\">Show: " + links.joined(separator: " · ") + "</p>"
    }

    /// The trend charts of a site with the period picker (7, 30, 90 days).
    static func trends(
        _ history: SiteHistory, site: String, days: Int,
        targets: (oee: Double, adherence: Double, checksOnTime: Double),
        gantt: GanttWindow = .twoDays
    ) -> String {
        var html =
            "<h2 id=\"trends\">Trends</h2><form method=\"get\" action=\"/sites/\(escape(site))#trends\" class=\"filters\">"
            + "<input type=\"hidden\" name=\"gantt\" value=\"\(gantt.rawValue)\"><label>Period <select name=\"days\">"
        for period in SiteHistory.periods {
            html += "<option value=\"\(period)\"\(period == days ? " selected" : "")>\(period) days</option>"
        }
        html +=
            "</select></label> <button>Show</button></form><p class=\"muted\">Each site's own days. Dashed: the target. Hollow grey marks on the axis: days without data (not zero).</p><div class=\"charts\">"
        for (index, series) in history.series(targets: targets).enumerated() {
            html += TrendChart.figure(series, id: "trend-\(index)")
        }
        return html + "</div>"
    }

    /// One row of the comparison: how to read it from a site's state and period, and which way is better.
    struct CompareRow {
        enum Better { case higher, lower, neither }
        var label: String
        var percent: Bool
        var better: Better
        /// From the period's sums (`previous` compares with the period before); nil for a "now" figure.
        var period: ((SiteHistory) -> Double?)?
        var now: ((SiteState) -> Double?)?
    }

    static var compareRows: [CompareRow] {
        [
            .init(label: "OEE over the period", percent: true, better: .higher, period: { $0.oee }),
            .init(label: "Availability", percent: true, better: .higher, period: { $0.total.oee?.availability }),
            .init(label: "Performance", percent: true, better: .higher, period: { $0.total.oee?.performance }),
            .init(label: "Quality", percent: true, better: .higher, period: { $0.total.oee?.quality }),
            .init(
                label: "Schedule adherence (on time ÷ due)", percent: true, better: .higher, period: { $0.adherence }),
            .init(label: "Checks done on time", percent: true, better: .higher, period: { $0.total.checksOnTimeShare }),
            .init(
                label: "Training compliance (certificates valid ÷ needed)", percent: true, better: .higher,
                period: { $0.total.trainingCompliance }),
            .init(
                label: "Findings raised in the period", percent: false, better: .lower,
                period: { Double($0.total.findingsRaised) }),
            .init(
                label: "… of them critical", percent: false, better: .lower,
                period: { Double($0.total.findingsCritical) }),
            .init(
                label: "Lots put on hold in the period", percent: false, better: .lower,
                period: { Double($0.total.lotsHeld) }),
            .init(
                label: "Checks recorded in the period", percent: false, better: .neither,
                period: { Double($0.total.checksRecorded) }),
            .init(
                label: "Safety incidents in the period", percent: false, better: .lower,
                period: { Double($0.total.incidents) }),
            .init(
                label: "Costs in the period (site currency)", percent: false, better: .neither,
                period: { $0.total.cost }),
            .init(label: "Open findings now", percent: false, better: .lower, now: { Double($0.openFindings.count) }),
            .init(label: "Critical breaches now", percent: false, better: .lower, now: { Double($0.criticalOpen) }),
            .init(label: "Lots on hold now", percent: false, better: .lower, now: { Double($0.lotsOnHold.count) }),
            .init(label: "Overdue checks now", percent: false, better: .lower, now: { Double($0.overdueChecks) }),
            .init(label: "Late orders today", percent: false, better: .lower, now: { Double($0.lateOrders) }),
            .init(label: "Safety incidents (7 d)", percent: false, better: .lower, now: { Double($0.recentIncidents) }),
        ]
    }

    /// Sites side by side over a period: each KPI's best and worst site marked (by a word too, not colour alone),
    /// and beside each period figure its change from the period before.
    static func compare(
        _ rows: [(state: SiteState, history: SiteHistory, previous: SiteHistory?)], period: Int,
        targets: (oee: Double, adherence: Double, checksOnTime: Double) = (0.85, 0.95, 1)
    ) -> String {
        var html = "<h1>Compare sites</h1><form method=\"get\" action=\"/compare\">Period: <select name=\"days\">"
        for days in [1, 7, 30, 90, 365] {
            html += "<option value=\"\(days)\"\(days == period ? " selected" : "")>\(days) day(s)</option>"
        }
        html +=
            "</select> <button>Show</button></form><p class=\"muted\">Targets: OEE \(percent(targets.oee)), adherence \(percent(targets.adherence)), checks on time \(percent(targets.checksOnTime)). ▲/▼: change from the \(period) day(s) before.</p>"
            + "<div class=\"scroll\"><table id=\"compare\"><tr><th>KPI</th>"
            + rows.map { "<th>\(escape($0.state.name))</th>" }.joined() + "</tr>"
        html +=
            "<tr><th>Status now</th>"
            + rows.map { "<td>\(escape(statusWord($0.state.status)))</td>" }.joined() + "</tr>"
        func text(_ value: Double?, _ row: CompareRow) -> String {
            guard let value else { return "n/a" }
            return row.percent ? percent(value) : CriticalLimits.format((value * 100).rounded() / 100)
        }
        for row in compareRows {
            let values = rows.map { site in row.period.map { $0(site.history) } ?? row.now.map { $0(site.state) } ?? nil
            }
            let known = values.compactMap { $0 }
            var best: Double?
            var worst: Double?
            if row.better != .neither, known.count >= 2, let low = known.min(), let high = known.max(), low != high {
                (best, worst) = row.better == .higher ? (high, low) : (low, high)
            }
            html += "<tr><th>\(escape(row.label))</th>"
            for (index, value) in values.enumerated() {
                var cell = escape(text(value, row))
                var mark = ""
                if let value, value == best {
                    mark = " class=\"best\""
                    cell += " <strong>best</strong>"
                } else if let value, value == worst {
                    mark = " class=\"worst\""
                    cell += " <strong>worst</strong>"
                }
                if let period = row.period, let value, let before = rows[index].previous.flatMap(period) {
                    let change = value - before
                    let shown =
                        row.percent
                        ? String(format: "%.0f pts", abs(change) * 100)
                        : CriticalLimits.format((abs(change) * 100).rounded() / 100)
                    if (row.percent && abs(change) >= 0.005) || (!row.percent && change != 0) {
                        cell += " <span class=\"muted\">\(change > 0 ? "▲ up" : "▼ down") \(shown)</span>"
                    } else {
                        cell += " <span class=\"muted\">= same</span>"
                    }
                }
                html += "<td\(mark)>\(cell)</td>"
            }
            html += "</tr>"
        }
        return html
            + "</table></div><p class=\"muted\">Every KPI has one definition for every site; days are each site's own.</p>"
    }

    static func login(csrf: String, error: String?) -> String {
        var html = "<h1>Log in</h1>"
        if let error { html += "<p class=\"error\">\(escape(error))</p>" }
        return html + """
            <form class="stack" method="post" action="/login"><input type="hidden" name="csrf" value="\(csrf)">
            <label>User <input name="user" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button>Log in</button></form>
            """
    }
}
