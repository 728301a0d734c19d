import Foundation
import TaktCore

/// The records behind each number on a tile — open findings (and the critical ones), lots on hold, today's late
/// orders, checks due (and the overdue ones) — filtered and sorted one way for the page, its CSV export and the
/// JSON API. The rows are the ones the tile counted: the same `SiteState`.
enum Drilldown {
    /// A list a tile's number opens.
    enum List: String, CaseIterable, Sendable {
        case findings, lots
        case lateOrders = "late-orders"
        case checks
    }

    /// A list's filters and order, as the query string gives them.
    struct Query: Hashable, Sendable {
        /// Findings of one severity.
        var severity: Severity?
        /// Checks: only overdue (true) or only not yet due (false).
        var overdue: Bool?
        /// A column's sort key; nil is the list's own order.
        var sort: String?

        /// Reads `severity`, `overdue` and `sort` for `list`; an unknown value is named in the error.
        static func parse(_ list: List, _ parameters: [String: String]) -> Result<Query, DrilldownError> {
            var query = Query()
            if let text = parameters["severity"], !text.isEmpty {
                guard list == .findings else { return .failure(.init("only findings have a severity filter")) }
                guard let severity = Severity(rawValue: text) else {
                    return .failure(.init("severity '\(text)' is not one of info, minor, major, critical"))
                }
                query.severity = severity
            }
            if let text = parameters["overdue"], !text.isEmpty {
                guard list == .checks else { return .failure(.init("only checks have an overdue filter")) }
                guard let overdue = Bool(text) else { return .failure(.init("overdue '\(text)' is not true or false")) }
                query.overdue = overdue
            }
            if let text = parameters["sort"], !text.isEmpty {
                let keys = list.sortKeys.map(\.key)
                guard keys.contains(text) else {
                    return .failure(
                        .init("sort '\(text)' is not one of \(keys.joined(separator: ", ")) for \(list.rawValue)"))
                }
                query.sort = text
            }
            return .success(query)
        }

        /// The query string that gives this query (without the format).
        var items: [(String, String)] {
            [("severity", severity?.rawValue), ("overdue", overdue.map { String($0) }), ("sort", sort)]
                .compactMap { name, value in value.map { (name, $0) } }
        }
    }

    /// A filter or sort the list does not know.
    struct DrilldownError: Error, Sendable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// A list as rows of text, for the page and the CSV alike.
    struct Table: Sendable {
        var title: String
        var header: [String]
        /// Each column's sort key (nil: not sortable).
        var sortKeys: [String?]
        var rows: [[String]]
        /// Each row's anchor on the site's page (findings), for the link from the tile's worst item.
        var anchors: [String?]
        /// What the table is sorted by, for people.
        var order: String
        /// Each row's severity (findings), for the badge.
        var badges: [String?]
    }

    /// One list of one site, filtered and sorted.
    static func table(_ list: List, _ state: SiteState, query: Query, zone: TimeZone, now: Date) -> Table {
        let names = state.names
        func at(_ date: Date?) -> String { date.map { Instant.format($0, in: zone) } ?? "" }
        func age(_ date: Date) -> String { TimeSpan(seconds: Int(max(0, now.timeIntervalSince(date)))).forPeople }
        switch list {
        case .findings:
            var findings = state.openFindings.filter { query.severity == nil || $0.severity == query.severity }
            let order: String
            switch query.sort {
            case "raised":
                findings.sort { $0.raisedAt > $1.raisedAt }
                order = "newest first"
            case "about":
                findings.sort { (names.describe($0.subject), $0.raisedAt) < (names.describe($1.subject), $1.raisedAt) }
                order = "by what they are about"
            default:
                findings.sort { ($0.severity, $1.raisedAt) > ($1.severity, $0.raisedAt) }
                order = "by severity, then the oldest first"
            }
            return Table(
                title: (query.severity.map { "Open \($0.rawValue) findings" } ?? "Open findings"),
                header: ["Severity", "Raised", "Open for", "About", "Rule", "Finding", "Corrective action"],
                sortKeys: ["severity", "raised", "raised", "about", nil, nil, nil],
                rows: findings.map { finding in
                    [
                        finding.severity.rawValue, at(finding.raisedAt), age(finding.raisedAt),
                        names.describe(finding.subject), names.rule(finding.rule.rawValue), finding.message,
                        finding.actions.first { $0.kind == .correctiveAction }?.target ?? "",
                    ]
                }, anchors: findings.map { Dashboard.anchor($0) }, order: order,
                badges: findings.map { $0.severity.rawValue })
        case .lots:
            var lots = state.lotsOnHold
            let order: String
            switch query.sort {
            case "product":
                lots.sort { (names.product($0.product), $0.id) < (names.product($1.product), $1.id) }
                order = "by product"
            case "quantity":
                lots.sort { ($0.quantity, $0.id) > ($1.quantity, $1.id) }
                order = "largest first"
            default:
                lots.sort { ($0.producedAt, $0.id) < ($1.producedAt, $1.id) }
                order = "oldest first"
            }
            return Table(
                title: "Lots on hold", header: ["Lot", "Product", "Quantity", "Produced", "Expires"],
                sortKeys: [nil, "product", "quantity", "produced", nil],
                rows: lots.map {
                    [
                        $0.id, names.product($0.product), CriticalLimits.format($0.quantity), at($0.producedAt),
                        at($0.expiresAt),
                    ]
                }, anchors: lots.map { _ in nil }, order: order, badges: lots.map { _ in nil })
        case .lateOrders:
            let (late, order) = lateOrders(state, query: query, now: now)
            return Table(
                title: "Orders due today that are late", header: ["Order", "Due", "Finished or planned", "Late by"],
                sortKeys: [nil, "due", nil, "late"],
                rows: late.map { order in
                    let finish =
                        order.finish.map { (order.finished ? "finished " : "planned ") + at($0) }
                        ?? "open, not planned"
                    return [
                        order.order, at(order.due), finish, TimeSpan(seconds: order.lateSeconds(now: now)).forPeople,
                    ]
                }, anchors: late.map { _ in nil }, order: order, badges: late.map { _ in nil })
        case .checks:
            let (checks, order) = checksDue(state, query: query)
            return Table(
                title: query.overdue == true ? "Overdue checks" : "Checks due",
                header: ["Check", "Where", "Last recorded", "Due", "Overdue"],
                sortKeys: ["check", "where", nil, "due", nil],
                rows: checks.map {
                    [
                        $0.name, $0.workCentre.map(names.workCentre) ?? "the site", at($0.lastRecorded), at($0.due),
                        $0.overdue ? "overdue by \(age($0.due))" : "",
                    ]
                }, anchors: checks.map { _ in nil }, order: order, badges: checks.map { _ in nil })
        }
    }

    /// Today's late orders, sorted as asked, and that order for people.
    static func lateOrders(_ state: SiteState, query: Query, now: Date) -> ([DayAdherence.Late], String) {
        var late = state.adherence?.late ?? []
        if query.sort == "late" {
            late.sort { ($0.lateSeconds(now: now), $1.order) > ($1.lateSeconds(now: now), $0.order) }
            return (late, "most late first")
        }
        late.sort { ($0.due, $0.order) < ($1.due, $1.order) }
        return (late, "by due time")
    }

    /// The checks due (overdue as central judges now), filtered and sorted as asked, and that order for people.
    static func checksDue(_ state: SiteState, query: Query) -> ([RuleBook.CheckDue], String) {
        let names = state.names
        var checks = (state.checksDue ?? []).filter { query.overdue == nil || $0.overdue == query.overdue }
        switch query.sort {
        case "check":
            checks.sort { ($0.name, $0.workCentre ?? "") < ($1.name, $1.workCentre ?? "") }
            return (checks, "by check")
        case "where":
            checks.sort {
                (names.workCentre($0.workCentre ?? ""), $0.due) < (names.workCentre($1.workCentre ?? ""), $1.due)
            }
            return (checks, "by place")
        default:
            checks.sort { ($0.due, $0.name) < ($1.due, $1.name) }
            return (checks, "soonest due first")
        }
    }

    /// The page: the filters, the table with sortable headers, and the CSV link with the same query.
    static func page(_ list: List, _ table: Table, state: SiteState, query: Query, zone: TimeZone, now: Date)
        -> String
    {
        let base = "/sites/\(Dashboard.escape(state.site))/\(list.rawValue)"
        func link(_ items: [(String, String)]) -> String {
            var components = URLComponents()
            components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
            let query = components.percentEncodedQuery ?? ""
            return Dashboard.escape(query.isEmpty ? base : base + "?" + query)
        }
        var html =
            "<p class=\"muted\"><a href=\"/sites/\(Dashboard.escape(state.site))\">\(Dashboard.escape(state.name))</a></p>"
            + "<h1>\(Dashboard.escape(table.title))</h1>"
        html +=
            "<p class=\"muted\" id=\"count\">\(table.rows.count) row(s), \(table.order); times in \(Dashboard.escape(zone.identifier)); as of \(Instant.format(now, in: zone)).</p>"
        switch list {
        case .findings:
            html += filterForm(
                base, name: "severity", label: "Severity",
                choices: ["", "critical", "major", "minor", "info"], labels: ["": "Any severity"],
                chosen: query.severity?.rawValue ?? "", sort: query.sort)
        case .checks:
            html += filterForm(
                base, name: "overdue", label: "Show", choices: ["", "true", "false"],
                labels: ["": "All checks due", "true": "Overdue only", "false": "Not yet due"],
                chosen: query.overdue.map { String($0) } ?? "", sort: query.sort)
        case .lots, .lateOrders:
            break
        }
        html +=
            "<p><a id=\"csv\" href=\"\(link(query.items + [("format", "csv")]))\">Download CSV</a> · "
            + "<a href=\"/v1/sites/\(Dashboard.escape(state.site))/\(list.apiPath)\">the same in the JSON API</a></p>"
        html += "<div class=\"scroll\"><table id=\"drilldown\"><tr>"
        for (index, name) in table.header.enumerated() {
            if let key = table.sortKeys[index] {
                var items = query.items.filter { $0.0 != "sort" }
                items.append(("sort", key))
                let current = query.sort == key ? " aria-sort=\"other\"" : ""
                html += "<th\(current)><a href=\"\(link(items))\">\(Dashboard.escape(name))</a></th>"
            } else {
                html += "<th>\(Dashboard.escape(name))</th>"
            }
        }
        html += "</tr>"
        for (index, row) in table.rows.enumerated() {
            html += "<tr\(table.anchors[index].map { " id=\"\($0)\"" } ?? "")>"
            for (column, cell) in row.enumerated() {
                if column == 0, let badge = table.badges[index] {
                    html += "<td><span class=\"badge \(badge)\">\(Dashboard.escape(cell))</span></td>"
                } else {
                    html += "<td>\(Dashboard.escape(cell))</td>"
                }
            }
            html += "</tr>"
        }
        if table.rows.isEmpty { html += "<tr><td colspan=\"\(table.header.count)\">None.</td></tr>" }
        return html + "</table></div>"
    }

    static func filterForm(
        _ action: String, name: String, label: String, choices: [String], labels: [String: String], chosen: String,
        sort: String?
    ) -> String {
        let options = choices.map {
            "<option value=\"\(Dashboard.escape($0))\"\($0 == chosen ? " selected" : "")>\(Dashboard.escape(labels[$0] ?? $0))</option>"
        }.joined()
        return "<form method=\"get\" action=\"\(action)\" class=\"filters\"><label>\(label) <select name=\"\(name)\">"
            + options + "</select></label>"
            + (sort.map { "<input type=\"hidden\" name=\"sort\" value=\"\(Dashboard.escape($0))\">" } ?? "")
            + " <button>Show</button></form>"
    }

    /// The CSV file of a table.
    static func csv(_ table: Table) -> String { CSVText.file(header: table.header, rows: table.rows) }
}

extension Drilldown.List {
    /// The columns a list sorts on, with what people read.
    var sortKeys: [(key: String, label: String)] {
        switch self {
        case .findings: [("severity", "severity, then age"), ("raised", "newest first"), ("about", "what it is about")]
        case .lots: [("produced", "oldest first"), ("product", "product"), ("quantity", "largest first")]
        case .lateOrders: [("due", "due time"), ("late", "most late first")]
        case .checks: [("due", "soonest due"), ("check", "check"), ("where", "place")]
        }
    }

    /// The list's path under `/v1/sites/{site}/`.
    var apiPath: String {
        switch self {
        case .findings: "findings?status=open"
        case .lots: "lots?status=on_hold"
        case .lateOrders: "late-orders"
        case .checks: "checks-due"
        }
    }
}
