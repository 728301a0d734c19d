import Foundation
import Hummingbird
import Logging
import TaktWeb
import Testing
import Yams

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktStore
@testable import TaktSync

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The dashboard and the JSON API through real HTTP, with every denial.
@Suite(.serialized) struct DashboardTests {
    let store: CentralStore
    let configuration: CentralConfiguration
    let key = SiteKey(id: "leeds-1", secret: Data(repeating: 7, count: 32))

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("central-\(UUID().uuidString)")
        store = try CentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        configuration = CentralConfiguration(regions: [
            .init(
                id: "uk-north", name: "UK North", currency: "GBP",
                sites: [.init(id: "leeds", name: "Leeds Bakery", siteFile: nil, keys: [])]),
            .init(
                id: "apac", name: "Asia Pacific", currency: "USD",
                sites: [.init(id: "penang", name: "Penang SMT", siteFile: nil, keys: [])]),
        ])
        for (name, role, scope) in [
            ("ada", "administrator", [String]()), ("rm", "regional_manager", ["uk-north"]),
            ("sm", "site_manager", ["penang"]),
        ] {
            // The fewest rounds swift-crypto allows keep the suite quick; the first login upgrades the hash.
            try await store.saveUser(
                .init(
                    name: name, passwordHash: try Credentials.hash(password: "correct horse \(name)", rounds: 210_000),
                    role: role, scope: scope))
        }
        // Leeds has a critical open finding, a lot on hold and a schedule.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let finding = Finding(
            id: 1, rule: "food_processing.ccp.chill", severity: .critical, subject: .init(.lot, "L1"),
            message: "6 °C is above 5 °C",
            actions: [FindingAction(.holdLot, "L1"), FindingAction(.correctiveAction, "move stock")], raisedAt: Date())
        let lot = Lot(id: "L1", product: "loaf", quantity: 10, producedAt: Date(), status: .onHold)
        let summary = ScheduleSummary(
            createdAt: Date(), from: Date(), horizonSeconds: 86_400, orders: 2, operations: 2,
            late: [
                .init(
                    order: "O-2", due: Date(), end: Date().addingTimeInterval(3600), lateSeconds: 3600,
                    reasons: ["oven-1 busy"])
            ],
            changeoverMinutes: 45, end: Date().addingTimeInterval(3600))
        let rows = [
            ScheduleRow(
                kind: .operation, order: "O-2", operation: "bake", product: "loaf", workCentre: "oven-1", unit: 1,
                start: Date(), end: Date().addingTimeInterval(3600))
        ]
        let records: [CentralStore.IncomingRecord] = [
            .init(
                seq: 1, kind: "finding", recordClass: "state", key: "1",
                payload: String(decoding: try encoder.encode(finding), as: UTF8.self), createdAt: Date()),
            .init(
                seq: 2, kind: "lot", recordClass: "state", key: "L1",
                payload: String(decoding: try encoder.encode(lot), as: UTF8.self), createdAt: Date()),
            .init(
                seq: 3, kind: "schedule", recordClass: "state", key: "current",
                payload: String(
                    decoding: try encoder.encode(ScheduleSnapshot(summary: summary, rows: rows)), as: UTF8.self),
                createdAt: Date()),
        ]
        // What Leeds calls things, today's adherence (O-2 late of two) and two checks due, one overdue.
        let names = SiteNames(
            workCentres: ["oven-1": "Oven 1"], products: ["loaf": "White loaf"],
            checks: ["food_processing.ccp.chill": "Chilled storage temperature"])
        let today = DayAdherence(
            day: LocalDate(Date(), in: .gmt), due: 2, onTime: 1,
            late: [.init(order: "O-2", due: Date().addingTimeInterval(-600), finish: nil, finished: false)])
        let checks = [
            RuleBook.CheckDue(
                check: "food_processing.ccp.chill", name: "Chilled storage temperature", workCentre: "oven-1",
                lastRecorded: nil, due: Date().addingTimeInterval(-3600), overdue: false),
            RuleBook.CheckDue(
                check: "site.metal", name: "=HYPERLINK(\"x\")", workCentre: nil, lastRecorded: nil,
                due: Date().addingTimeInterval(3600), overdue: false),
        ]
        let more: [(String, String, String)] = [
            ("names", "current", String(decoding: try encoder.encode(names), as: UTF8.self)),
            ("adherence", today.day.description, String(decoding: try encoder.encode(today), as: UTF8.self)),
            ("checks_due", "current", String(decoding: try encoder.encode(checks), as: UTF8.self)),
        ]
        let all =
            records
            + more.enumerated().map { index, item in
                CentralStore.IncomingRecord(
                    seq: Int64(4 + index), kind: item.0, recordClass: "state", key: item.1, payload: item.2,
                    createdAt: Date())
            }
        _ = try await store.ingest(
            site: "leeds", epoch: "e", first: 1, last: Int64(all.count), records: all, configVersion: 0,
            sentAt: Date(), now: Date())
    }

    /// An HTTP client that keeps cookies and does not follow redirects.
    final class Browser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        let base: URL
        var cookies: [String: String] = [:]
        lazy var session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)

        init(base: URL) { self.base = base }

        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) { completionHandler(nil) }

        func request(
            _ method: String, _ path: String, form: [String: [String]]? = nil, headers: [String: String] = [:],
            body: String? = nil
        ) async throws -> (status: Int, body: String, headers: [String: String]) {
            var request = URLRequest(url: base.appendingPathComponent(path))
            if let query = path.split(separator: "?", maxSplits: 1).dropFirst().first {
                var components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
                components.path = String(path.split(separator: "?")[0])
                components.percentEncodedQuery = String(query)
                request = URLRequest(url: components.url!)
            }
            request.httpMethod = method
            if !cookies.isEmpty {
                request.setValue(
                    cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "), forHTTPHeaderField: "Cookie")
            }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            if let form {
                request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
                let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
                request.httpBody = Data(
                    form.flatMap { key, values in
                        values.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
                    }.joined(separator: "&").utf8)
            }
            if let body { request.httpBody = Data(body.utf8) }
            let (data, response) = try await session.data(for: request)
            let http = response as! HTTPURLResponse
            var fields: [String: String] = [:]
            for (name, value) in http.allHeaderFields { fields[(name as! String).lowercased()] = value as? String }
            if let cookie = fields["set-cookie"] {
                let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                cookies[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
            }
            return (http.statusCode, String(decoding: data, as: UTF8.self), fields)
        }

        func csrf(in body: String) -> String {
            let marker = "name=\"csrf\" value=\""
            guard let range = body.range(of: marker) else { return "" }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }

        func logIn(_ user: String) async throws {
            let page = try await request("GET", "/login")
            let reply = try await request(
                "POST", "/login",
                form: ["user": [user], "password": ["correct horse \(user)"], "csrf": [csrf(in: page.body)]])
            #expect(reply.status == 303)
        }
    }

    func withServer(_ body: @Sendable (URL) async throws -> Void) async throws {
        let server = CentralServer(
            store: store, configuration: configuration, keys: KeyRing([.init(site: "leeds", key: key)]),
            validate: { _, document in
                document.contains("looser") ? "your document:3: rules.limits[0].max: 9 °C is looser than 5 °C" : nil
            },
            checks: { _, document in
                // Leeds' chill check: 5 °C, or 4 °C where the document tightens it.
                [
                    CheckDefinition(
                        id: "food_processing.ccp.chill", name: "Chilled storage temperature", unit: "°C",
                        limits: .init(max: document.contains("max: 4") ? 4 : 5), correctiveAction: "Move stock."),
                    CheckDefinition(
                        id: "food_processing.ccp.metal", name: "Metal detector test", unit: "pass/fail",
                        limits: .init(min: 1), correctiveAction: "Hold since the last pass."),
                ]
            })
        try await server.serveOnLoopback(body)
    }

    @Test func loginSetsAPrivateSessionCookieAndWrongPasswordsAreRefused() async throws {
        try await withServer { url in
            let browser = Browser(base: url)
            #expect(try await browser.request("GET", "/").status == 303)
            let page = try await browser.request("GET", "/login")
            let wrong = try await browser.request(
                "POST", "/login", form: ["user": ["ada"], "password": ["nope"], "csrf": [browser.csrf(in: page.body)]])
            #expect(wrong.status == 401)
            let forged = try await Browser(base: url).request(
                "POST", "/login", form: ["user": ["ada"], "password": ["correct horse ada"], "csrf": ["x"]])
            #expect(forged.status == 403)
            let again = try await browser.request("GET", "/login")
            let good = try await browser.request(
                "POST", "/login",
                form: ["user": ["ada"], "password": ["correct horse ada"], "csrf": [browser.csrf(in: again.body)]])
            #expect(good.status == 303)
            #expect(good.headers["set-cookie"]?.contains("HttpOnly") == true)
            #expect(good.headers["set-cookie"]?.contains("SameSite=Strict") == true)
            let overview = try await browser.request("GET", "/")
            #expect(overview.status == 200)
            #expect(overview.body.contains("tile red"))
            #expect(overview.body.contains("Penang SMT"))
            #expect(!overview.body.contains("<script"))
        }
    }

    /// One grid for all regions, worst first, each tile with a status word (never colour alone), its region and
    /// how long ago the site was heard from, and the page's own time.
    @Test func theOverviewRanksEverySiteWorstFirstAcrossRegions() async throws {
        try await withServer { url in
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/").body
            #expect(page.components(separatedBy: "<div class=\"tiles\">").count == 2)
            let leeds = try #require(page.range(of: "id=\"site-leeds\""))
            let penang = try #require(page.range(of: "id=\"site-penang\""))
            #expect(leeds.lowerBound < penang.lowerBound)
            #expect(page.contains("<strong>Needs you now</strong> · UK North"))
            #expect(page.contains("<strong>No contact</strong> · Asia Pacific"))
            #expect(page.contains("id=\"as-of\">As of "))
            #expect(page.contains("<meta http-equiv=\"refresh\" content=\"60\">"))
            // The worst open item links to itself on the site's page.
            #expect(page.contains("<p class=\"worst\"><a href=\"/sites/leeds#finding-1\">6 °C is above 5 °C at "))
            #expect(page.contains(", lot L1 held</a></p>"))
            #expect(try await browser.request("GET", "/sites/leeds").body.contains("<tr id=\"finding-1\">"))
            #expect(
                page.range(
                    of: #"<dt>Last heard</dt><dd>[^<]+ \([0-9]+ (s|min) ago\)</dd>"#, options: .regularExpression)
                    != nil)
        }
    }

    /// The overview filters by region and by status, keeps the choice, and names a value it does not know.
    @Test func theOverviewFiltersByRegionAndStatus() async throws {
        try await withServer { url in
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let red = try await browser.request("GET", "/?status=red").body
            #expect(red.contains("id=\"site-leeds\"") && !red.contains("id=\"site-penang\""))
            #expect(red.contains("<option value=\"red\" selected>Needs you now</option>"))
            let apac = try await browser.request("GET", "/?region=apac").body
            #expect(apac.contains("id=\"site-penang\"") && !apac.contains("id=\"site-leeds\""))
            let none = try await browser.request("GET", "/?region=apac&status=green").body
            #expect(none.contains("No site matches these filters."))
            let wrong = try await browser.request("GET", "/?status=purple&region=%3Cscript%3E").body
            #expect(wrong.contains("no status &#39;purple&#39;") || wrong.contains("no status 'purple'"))
            #expect(wrong.contains("no region") && !wrong.contains("<script>"))
            #expect(wrong.contains("id=\"site-leeds\"") && wrong.contains("id=\"site-penang\""))
            // A regional manager cannot filter their way to another region.
            let manager = Browser(base: url)
            try await manager.logIn("rm")
            let other = try await manager.request("GET", "/?region=apac").body
            #expect(!other.contains("id=\"site-penang\""))
            #expect(other.contains("no region &#39;apac&#39;") || other.contains("no region 'apac'"))
        }
    }

    @Test func aRegionalManagerSeesOnlyTheirRegion() async throws {
        try await withServer { url in
            let browser = Browser(base: url)
            try await browser.logIn("rm")
            let overview = try await browser.request("GET", "/")
            #expect(overview.body.contains("Leeds Bakery"))
            #expect(!overview.body.contains("Penang SMT"))
            #expect(try await browser.request("GET", "/sites/penang").status == 403)
            let leeds = try await browser.request("GET", "/sites/leeds")
            #expect(leeds.status == 200)
            #expect(leeds.body.contains("<svg"))
            #expect(leeds.body.contains("oven-1 busy"))
            #expect(leeds.body.contains("id=\"findings\""))
            let compare = try await browser.request("GET", "/compare?days=30")
            #expect(compare.body.contains("Schedule adherence"))
            // Leeds raised one finding, put one lot on hold, and planned 1 of 2 orders on time today (a site that
            // sends no adherence of its own is judged by its plans).
            #expect(compare.body.contains("<tr><th>Findings raised in the period</th><td>1</td></tr>"))
            #expect(compare.body.contains("<tr><th>Lots put on hold in the period</th><td>1</td></tr>"))
            #expect(compare.body.contains("<tr><th>Schedule adherence (on time ÷ due)</th><td>50 %</td></tr>"))
            #expect(!compare.body.contains("Penang"))
            let month = try await browser.request("GET", "/sites/leeds?days=30").body
            #expect(month.contains("<option value=\"30\" selected>30 days</option>"))
            #expect(month.contains("id=\"trend-0\"") && month.contains("class=\"target\""))
            #expect(month.contains("OEE</strong> · 30 days"))
            let wrong = try await browser.request("GET", "/sites/leeds?days=12").body
            #expect(wrong.contains("No period of &#39;12&#39; days") || wrong.contains("No period of '12' days"))
        }
    }

    /// The comparison marks each KPI's best and worst site in words as well as colour.
    @Test func theComparisonMarksTheBestAndWorstSiteOfEachKPI() {
        let empty = DailyKPIs(day: LocalDate(year: 2026, month: 12, day: 3))
        func site(_ id: String, critical: Int) -> SiteState {
            SiteState(
                site: id, name: id, region: "r", timeZone: "UTC", stale: false, status: "green", reason: "",
                lateOrders: 0, openFindings: [], criticalOpen: critical, overdueChecks: 0, lotsOnHold: [],
                recentIncidents: 0, configRunning: 0, configPublished: 0)
        }
        var good = empty
        good.ordersDue = 10
        good.ordersOnTime = 9
        var bad = empty
        bad.ordersDue = 10
        bad.ordersOnTime = 5
        var before = empty
        before.ordersDue = 10
        before.ordersOnTime = 7
        let html = Dashboard.compare(
            [
                (
                    site("a", critical: 0), SiteHistory(days: [], total: good, adherence: 0.9),
                    SiteHistory(days: [], total: before, adherence: 0.7)
                ),
                (site("b", critical: 2), SiteHistory(days: [], total: bad, adherence: 0.5), nil),
            ], period: 30)
        #expect(
            html.contains("<td class=\"best\">90 % <strong>best</strong> <span class=\"muted\">▲ up 20 pts</span></td>")
        )
        #expect(html.contains("<td class=\"worst\">50 % <strong>worst</strong></td>"))
        #expect(html.contains("<td class=\"worst\">2 <strong>worst</strong></td>"), "more critical breaches is worse")
    }

    /// Every number on a tile opens the records behind it, filtered and sorted, as a page, a CSV file and in
    /// the JSON API alike; a filter it does not know is named, never guessed.
    @Test func everyNumberOnATileOpensItsRecordsWithCSVAndTheSameFiltersInTheAPI() async throws {
        let token = Credentials.randomHex(32)
        try await store.addToken(
            user: "rm", tokenHash: Credentials.tokenHash(token), at: Date(), expires: Date().addingTimeInterval(3600))
        try await withServer { url in
            let browser = Browser(base: url)
            try await browser.logIn("rm")
            let overview = try await browser.request("GET", "/").body
            for link in [
                "/sites/leeds/findings", "/sites/leeds/findings?severity=critical", "/sites/leeds/lots",
                "/sites/leeds/checks?overdue=true", "/sites/leeds/late-orders",
            ] {
                #expect(overview.contains("href=\"\(link)\""), "the tile links \(link)")
            }
            #expect(overview.contains("50 % (1 of 2 due)"))
            let critical = try await browser.request("GET", "/sites/leeds/findings?severity=critical")
            #expect(critical.status == 200)
            #expect(critical.body.contains("<tr id=\"finding-1\">") && critical.body.contains("lot L1"))
            #expect(critical.body.contains("Chilled storage temperature"), "the rule's name, not its id")
            #expect(critical.body.contains("href=\"/sites/leeds/findings?severity=critical&amp;format=csv\""))
            let minor = try await browser.request("GET", "/sites/leeds/findings?severity=minor").body
            #expect(minor.contains("0 row(s)") && minor.contains("None."))
            let csv = try await browser.request("GET", "/sites/leeds/findings?severity=critical&format=csv")
            #expect(csv.headers["content-type"]?.hasPrefix("text/csv") == true)
            #expect(csv.headers["content-disposition"]?.contains("leeds-findings-") == true)
            let lines = csv.body.components(separatedBy: "\r\n")
            #expect(lines[0] == "Severity,Raised,Open for,About,Rule,Finding,Corrective action")
            #expect(lines[1].hasPrefix("critical,") && lines[1].contains(",lot L1,Chilled storage temperature,"))
            let overdue = try await browser.request("GET", "/sites/leeds/checks?overdue=true").body
            #expect(overdue.contains("Oven 1") && overdue.contains("overdue by"))
            #expect(!overdue.contains("HYPERLINK"), "only the overdue one")
            let allChecks = try await browser.request("GET", "/sites/leeds/checks?format=csv").body
            #expect(allChecks.contains("'=HYPERLINK"), "a formula from a site is never run by a spreadsheet")
            let late = try await browser.request("GET", "/sites/leeds/late-orders?sort=late").body
            #expect(late.contains("<td>O-2</td>") && late.contains("open, not planned"))
            let lots = try await browser.request("GET", "/sites/leeds/lots").body
            #expect(lots.contains("White loaf"))
            for (path, named) in [
                ("/sites/leeds/findings?severity=awful", "severity &#39;awful&#39;"),
                ("/sites/leeds/checks?overdue=maybe", "overdue &#39;maybe&#39;"),
                ("/sites/leeds/lots?sort=colour", "sort &#39;colour&#39;"),
                ("/sites/leeds/lots?severity=critical", "only findings have a severity filter"),
            ] {
                let refused = try await browser.request("GET", path)
                #expect(refused.status == 400, "\(path)")
                #expect(
                    refused.body.contains(named)
                        || refused.body.contains(named.replacingOccurrences(of: "&#39;", with: "'")), "\(path)")
            }
            #expect(try await browser.request("GET", "/sites/leeds/nothing").status == 404)
            #expect(try await browser.request("GET", "/sites/penang/findings").status == 403)

            let bearer = ["Authorization": "Bearer \(token)"]
            let api = try await browser.request("GET", "/v1/sites/leeds/checks-due?overdue=true", headers: bearer)
            #expect(api.status == 200 && api.body.contains("\"total\":1") && api.body.contains("oven-1"))
            let apiLate = try await browser.request("GET", "/v1/sites/leeds/late-orders", headers: bearer)
            #expect(apiLate.body.contains("\"order\":\"O-2\""))
            let apiCSV = try await browser.request("GET", "/v1/sites/leeds/late-orders?format=csv", headers: bearer)
            #expect(apiCSV.body.hasPrefix("Order,Due,Finished or planned,Late by\r\nO-2,"))
            let bad = try await browser.request("GET", "/v1/sites/leeds/checks-due?overdue=maybe", headers: bearer)
            #expect(bad.status == 400 && bad.body.contains("overdue 'maybe' is not true or false"))
            #expect(try await browser.request("GET", "/v1/sites/penang/late-orders", headers: bearer).status == 403)
        }
    }

    @Test func publishingNeedsTheRoleTheCSRFTokenAndAValidDocument() async throws {
        try await withServer { url in
            let manager = Browser(base: url)
            try await manager.logIn("sm")
            #expect(try await manager.request("GET", "/config").status == 403)
            let browser = Browser(base: url)
            try await browser.logIn("rm")
            let page = try await browser.request("GET", "/config")
            #expect(page.status == 200)
            let token = browser.csrf(in: page.body)
            let forged = try await browser.request(
                "POST", "/config", form: ["site": ["leeds"], "document": ["rules: {}"], "csrf": ["forged"]])
            #expect(forged.status == 403)
            let other = try await browser.request(
                "POST", "/config", form: ["site": ["penang"], "document": ["rules: {}"], "csrf": [token]])
            #expect(other.status == 403)
            let invalid = try await browser.request(
                "POST", "/config", form: ["site": ["leeds"], "document": ["looser"], "csrf": [token]])
            #expect(invalid.status == 422)
            #expect(try await store.configHistory(site: "leeds").isEmpty)
            let review = try await browser.request(
                "POST", "/config", form: ["site": ["leeds"], "document": ["rules:\n  limits: []\n"], "csrf": [token]])
            #expect(review.status == 200 && review.body.contains("Review the change"))
            #expect(try await store.configHistory(site: "leeds").isEmpty)
            let good = try await browser.request(
                "POST", "/config",
                form: [
                    "site": ["leeds"], "document": ["rules:\n  limits: []\n"], "csrf": [token], "action": ["publish"],
                ])
            #expect(good.status == 200)
            #expect(good.body.contains("Published: leeds v1"))
            let logout = try await browser.request("POST", "/logout", form: ["csrf": [token]])
            #expect(logout.status == 303)
            #expect(try await browser.request("GET", "/").status == 303)
        }
    }

    @Test func theAPINeedsABearerTokenAndASyncKeyGivesNoAccess() async throws {
        let token = Credentials.randomHex(32)
        try await store.addToken(
            user: "rm", tokenHash: Credentials.tokenHash(token), at: Date(), expires: Date().addingTimeInterval(3600))
        try await withServer { url in
            let client = Browser(base: url)
            #expect(try await client.request("GET", "/v1/sites").status == 401)
            let signed = RequestSignature.headers(
                method: "GET", path: "/v1/sites/leeds", site: "leeds", body: Data(), key: key, now: Date())
            #expect(try await client.request("GET", "/v1/sites/leeds", headers: signed).status == 401)
            let bearer = ["Authorization": "Bearer \(token)"]
            let sites = try await client.request("GET", "/v1/sites", headers: bearer)
            #expect(sites.status == 200)
            let page = try JSONSerialization.jsonObject(with: Data(sites.body.utf8)) as? [String: Any]
            #expect((page?["items"] as? [[String: Any]])?.map { $0["site"] as? String } == ["leeds"])
            #expect(try await client.request("GET", "/v1/sites/penang", headers: bearer).status == 403)
            let findings = try await client.request(
                "GET", "/v1/sites/leeds/findings?status=open&severity=critical&limit=1", headers: bearer)
            #expect(findings.body.contains("food_processing.ccp.chill"))
            let none = try await client.request("GET", "/v1/sites/leeds/findings?severity=minor", headers: bearer)
            #expect(none.body.contains("\"total\":0"))
            #expect(
                try await client.request("GET", "/v1/sites/leeds/lots?status=on_hold", headers: bearer).body.contains(
                    "L1"))
            #expect(try await client.request("GET", "/v1/sites/leeds/schedule", headers: bearer).body.contains("O-2"))
            #expect(try await client.request("GET", "/v1/regions", headers: bearer).body.contains("uk-north"))
            let kpis = try await client.request("GET", "/v1/sites/leeds/kpis?days=7", headers: bearer)
            #expect(kpis.status == 200)
            #expect(kpis.body.contains("\"findingsCritical\":1"), "\(kpis.body)")
            let badDays = try await client.request("GET", "/v1/sites/leeds/kpis?days=0", headers: bearer)
            #expect(badDays.status == 400)
            #expect(badDays.body.contains("days must be a whole number from 1 to 731"))
            for days in ["x", "-5", "732", "99999999999999999999", "", "7%27%3B--"] {
                let refused = try await client.request("GET", "/v1/sites/leeds/kpis?days=\(days)", headers: bearer)
                #expect(refused.status == 400, "days=\(days)")
            }
            let otherSite = try await client.request("GET", "/v1/sites/penang/kpis", headers: bearer)
            #expect(otherSite.status == 403)
            #expect(try await client.request("GET", "/openapi.yaml").body.contains("openapi: 3"))
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryRouteAndItsExamplesDecode() throws {
        let document = try #require(try Yams.load(yaml: OpenAPIDocument.text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        let routes = [
            "/v1/regions", "/v1/sites", "/v1/sites/{site}", "/v1/sites/{site}/findings", "/v1/sites/{site}/lots",
            "/v1/sites/{site}/schedule", "/v1/sites/{site}/kpis", "/v1/sites/{site}/late-orders",
            "/v1/sites/{site}/checks-due", "/v1/sites/{site}/config-versions", "/v1/materials/shortages",
            "/v1/recall", "/v1/maintenance", "/v1/losses", "/v1/quality", "/v1/people", "/v1/costs",
            "/v1/exchange-rates", "/v1/regions/{region}/report", "/v1/quotes", "/v1/quotes/{id}", "/v1/extensions",
        ]
        #expect(Set(paths.keys) == Set(routes))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        func example(_ path: String, _ status: String = "200") throws -> Data {
            let get = (paths[path] as? [String: Any])?["get"] as? [String: Any]
            let response = (get?["responses"] as? [String: Any])?[status] as? [String: Any]
            let value = ((response?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["example"]
            return try JSONSerialization.data(withJSONObject: try #require(value))
        }
        struct Page<T: Decodable>: Decodable { var items: [T]; var total: Int }
        _ = try decoder.decode([CentralServer.APIRegion].self, from: try example("/v1/regions"))
        _ = try decoder.decode([RegionCosts].self, from: try example("/v1/costs"))
        _ = try decoder.decode([ExchangeRate].self, from: try example("/v1/exchange-rates"))
        _ = try decoder.decode(Page<SiteState>.self, from: try example("/v1/sites"))
        _ = try decoder.decode(SiteState.self, from: try example("/v1/sites/{site}"))
        _ = try decoder.decode(Page<Finding>.self, from: try example("/v1/sites/{site}/findings"))
        _ = try decoder.decode(Page<Lot>.self, from: try example("/v1/sites/{site}/lots"))
        _ = try decoder.decode(ScheduleSnapshot.self, from: try example("/v1/sites/{site}/schedule"))
        _ = try decoder.decode(ErrorReply.self, from: try example("/v1/sites/{site}/schedule", "404"))
        struct KPIs: Decodable { var site: String; var days: [DailyKPIs]; var total: DailyKPIs }
        _ = try decoder.decode(KPIs.self, from: try example("/v1/sites/{site}/kpis"))
        _ = try decoder.decode(ErrorReply.self, from: try example("/v1/sites/{site}/kpis", "400"))
        _ = try decoder.decode(Page<DayAdherence.Late>.self, from: try example("/v1/sites/{site}/late-orders"))
        _ = try decoder.decode(Page<RuleBook.CheckDue>.self, from: try example("/v1/sites/{site}/checks-due"))
        _ = try decoder.decode(ErrorReply.self, from: try example("/v1/sites/{site}/checks-due", "400"))
        struct Versions: Decodable {
            struct Version: Decodable {
                var version: Int; var publishedAt: Date; var status: String; var document: String
            }
            var site: String
            var running: Int
            var versions: [Version]
        }
        _ = try decoder.decode([CentralServer.SiteMaterials].self, from: try example("/v1/materials/shortages"))
        _ = try decoder.decode(CentralRecall.self, from: try example("/v1/recall"))
        _ = try decoder.decode(ErrorReply.self, from: try example("/v1/recall", "400"))
        _ = try decoder.decode([CentralServer.SiteMaintenance].self, from: try example("/v1/maintenance"))
        _ = try decoder.decode([CentralServer.SiteLosses].self, from: try example("/v1/losses"))
        _ = try decoder.decode([CentralServer.SiteQuality].self, from: try example("/v1/quality"))
        _ = try decoder.decode([CentralServer.SitePeople].self, from: try example("/v1/people"))
        let versions = try decoder.decode(Versions.self, from: try example("/v1/sites/{site}/config-versions"))
        #expect(versions.versions.allSatisfy { ["running", "superseded", "pending"].contains($0.status) })
    }

    /// Shortages each site sent, and a recall of a supplier's lot that reaches both sites for an administrator
    /// and only Leeds for its regional manager; a bad supplier lot is a 400 naming it.
    @Test func materialsShowShortagesAndARecallReachesEverySiteYouMaySee() async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        func payload(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        let plan = MaterialPlan(
            at: Date(), requirements: [],
            suggestions: [
                .init(
                    item: "flour", supplier: "millers", quantity: 120, neededBy: Date(), orderBy: Date(), late: true,
                    orders: ["O-2"], reason: "short for order O-2")
            ], readiness: [:])
        let status = MaterialStatus(plan: plan, items: ["flour": Item(id: "flour", name: "Wheat flour", unit: "kg")])
        for (site, first, lot) in [("leeds", Int64(7), "F-1"), ("penang", Int64(1), "P-9")] {
            var records: [CentralStore.IncomingRecord] = [
                .init(
                    seq: first, kind: "lot", recordClass: "state", key: lot,
                    payload: try payload(Lot(id: lot, product: "flour", quantity: 50, producedAt: Date())),
                    createdAt: Date()),
                .init(
                    seq: first + 1, kind: "lot_origin", recordClass: "fact", key: lot,
                    payload: try payload(
                        LotOrigin(lot: lot, supplier: "millers", supplierLot: "ML-<778>", receivedAt: Date())),
                    createdAt: Date()),
            ]
            if site == "leeds" {
                records.append(
                    .init(
                        seq: first + 2, kind: "material_status", recordClass: "state", key: "site",
                        payload: try payload(status), createdAt: Date()))
            }
            _ = try await store.ingest(
                site: site, epoch: site == "leeds" ? "e" : "p", first: first, last: records.last!.seq,
                records: records, configVersion: 0, sentAt: Date(), now: Date())
        }
        let token = Credentials.randomHex(32)
        try await store.addToken(
            user: "ada", tokenHash: Credentials.tokenHash(token), at: Date(), expires: Date().addingTimeInterval(3600))
        try await withServer { url in
            let client = Browser(base: url)
            let bearer = ["Authorization": "Bearer \(token)"]
            let recall = try await client.request("GET", "/v1/recall?supplier_lot=ML-%3C778%3E", headers: bearer)
            #expect(recall.status == 200)
            // The API sends times as seconds since 1970, as every answer of it does today.
            let decoder = WireJSON.decoder()
            let decoded = try decoder.decode(CentralRecall.self, from: Data(recall.body.utf8))
            #expect(decoded.sites.map(\.site) == ["leeds", "penang"])
            for bad in ["", "%20", String(repeating: "x", count: 201), "a%00b"] {
                let refused = try await client.request("GET", "/v1/recall?supplier_lot=\(bad)", headers: bearer)
                #expect(refused.status == 400, "supplier_lot=\(bad)")
                #expect(refused.body.contains("supplier_lot"))
            }
            let shortages = try await client.request("GET", "/v1/materials/shortages", headers: bearer)
            let sites = try decoder.decode([CentralServer.SiteMaterials].self, from: Data(shortages.body.utf8))
            #expect(sites.first { $0.site == "leeds" }?.lines?.first?.suggestion.quantity == 120)
            #expect(sites.first { $0.site == "penang" }?.lines == nil)

            let browser = Browser(base: url)
            try await browser.logIn("rm")
            let page = try await browser.request("GET", "/materials")
            #expect(page.body.contains("Wheat flour") && page.body.contains("late"))
            #expect(!page.body.contains("Penang"))
            let mine = try await browser.request("GET", "/recall?supplier_lot=ML-%3C778%3E")
            #expect(mine.body.contains("F-1") && !mine.body.contains("P-9"))
            #expect(mine.body.contains("ML-&lt;778&gt;") && !mine.body.contains("ML-<778>"))
            #expect(try await browser.request("GET", "/recall?supplier_lot=%01").status == 400)
        }
    }

    /// Overdue maintenance and open breakdowns each site sent, to the people who may see the site.
    @Test func maintenanceShowsOverduePlansAndOpenBreakdownsPerSite() async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let due = MaintenanceDue(
            plan: "burner-service", asset: "oven-1", task: "Service the <burner>", lastDone: nil,
            dueAt: Date().addingTimeInterval(-3 * 86_400), trigger: "every 30d", meters: [], windowStart: nil,
            windowEnd: nil, overdue: true)
        let open = [
            WorkOrder(id: "WO-1", asset: "oven-1", kind: .corrective, description: "no flame", openedAt: Date())
        ]
        let status = MaintenanceStatus(due: [due], open: open)
        let report = ProductionReport(
            workCentre: "oven-1", product: "loaf", from: Date().addingTimeInterval(-7200), to: Date(),
            plannedSeconds: 7200, downSeconds: 1800, good: 100, scrap: 10, idealSecondsPerUnit: 30)
        var stopped = report
        stopped.downReason = "breakdown"
        let losses = LossStatus(
            losses: LossBreakdown([stopped], reasons: [DowntimeReason(id: "breakdown")]),
            reliability: [Reliability(asset: "oven-1", runHours: 1.5, breakdowns: open)])
        _ = try await store.ingest(
            site: "leeds", epoch: "e", first: 7, last: 8,
            records: [
                .init(
                    seq: 7, kind: "maintenance_status", recordClass: "state", key: "site",
                    payload: String(decoding: try encoder.encode(status), as: UTF8.self), createdAt: Date()),
                .init(
                    seq: 8, kind: "losses", recordClass: "state", key: "last_30_days",
                    payload: String(decoding: try encoder.encode(losses), as: UTF8.self), createdAt: Date()),
            ], configVersion: 0, sentAt: Date(), now: Date())
        let token = Credentials.randomHex(32)
        try await store.addToken(
            user: "rm", tokenHash: Credentials.tokenHash(token), at: Date(), expires: Date().addingTimeInterval(3600))
        try await withServer { url in
            let client = Browser(base: url)
            let reply = try await client.request(
                "GET", "/v1/maintenance", headers: ["Authorization": "Bearer \(token)"])
            let sites = try WireJSON.decoder().decode([CentralServer.SiteMaintenance].self, from: Data(reply.body.utf8))
            #expect(sites.map(\.site) == ["leeds"])
            #expect(sites[0].status?.openBreakdowns == 1 && sites[0].status?.plans.first?.overdue == true)
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/maintenance")
            #expect(page.body.contains("1 overdue") && page.body.contains("Service the &lt;burner&gt;"))
            #expect(page.body.contains("Penang SMT") && page.body.contains("No maintenance sent by this site."))
            // A quarter of Leeds' planned time stood still for a breakdown; its oven broke once in 1.5 run hours.
            #expect(page.body.contains("<td>25.0 %</td>") && page.body.contains("oven-1: 2 h / n/a"))
            let lossReply = try await client.request(
                "GET", "/v1/losses", headers: ["Authorization": "Bearer \(token)"])
            let lossSites = try WireJSON.decoder().decode(
                [CentralServer.SiteLosses].self, from: Data(lossReply.body.utf8))
            #expect(lossSites.first?.status?.losses.losses[.breakdown] == 1800)
        }
    }

    /// Ingests `status` as Leeds' state record `kind` (seq 7: 1–6 are seeded) and returns an API token for `rm`.
    func sendState(_ kind: String, _ status: some Encodable, key: String = "site", seq: Int64 = 7, at now: Date)
        async throws -> String
    {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        _ = try await store.ingest(
            site: "leeds", epoch: "e", first: seq, last: seq,
            records: [
                .init(
                    seq: seq, kind: kind, recordClass: "state", key: key,
                    payload: String(decoding: try encoder.encode(status), as: UTF8.self), createdAt: now)
            ], configVersion: 0, sentAt: now, now: now)
        let token = Credentials.randomHex(32)
        try await store.addToken(
            user: "rm", tokenHash: Credentials.tokenHash(token), at: now, expires: now.addingTimeInterval(3600))
        return token
    }

    /// Training compliance and single points of failure each site sent, the lowest compliance first.
    @Test func peopleShowsTrainingComplianceAndSinglePointsPerSite() async throws {
        let now = Date()
        let status = PeopleStatus(
            people: 8, certificatesNeeded: 8, certificatesValid: 6, certificatesExpiring: 1,
            singlePoints: [.init(workCentre: "oven-1", skill: "<baking>", shift: "late", people: ["tom"])],
            absentToday: 1, sessionsPlanned: 2, levels: ["competent": 9])
        let token = try await sendState("people_status", status, at: now)
        try await withServer { url in
            let client = Browser(base: url)
            let reply = try await client.request("GET", "/v1/people", headers: ["Authorization": "Bearer \(token)"])
            let sites = try WireJSON.decoder().decode([CentralServer.SitePeople].self, from: Data(reply.body.utf8))
            #expect(sites.map(\.site) == ["leeds"])
            #expect(sites[0].status?.trainingCompliance == 0.75)
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/people").body
            #expect(page.contains("75.0 % (6 of 8)") && page.contains("No people status sent by this site."))
            #expect(page.contains("<td>&lt;baking&gt;</td><td>late</td><td>tom</td>"))
        }
    }

    /// Whatever a site sends as its people status — thousands of single points, markup, negative and impossible
    /// counts — the page is drawn, bounded and escaped.
    @Test func aHostilePeopleStatusIsDrawnBoundedAndEscaped() async throws {
        let now = Date()
        let points = (0..<5000).map {
            PeopleAnalysis.SinglePoint(workCentre: "<wc\($0)>", skill: "<script>", shift: "late", people: ["x"])
        }
        let status = PeopleStatus(
            people: -3, certificatesNeeded: 2, certificatesValid: 9, certificatesExpiring: -1, singlePoints: points,
            absentToday: Int.max, sessionsPlanned: -7, levels: ["<b>": -1])
        _ = try await sendState("people_status", status, at: now)
        try await withServer { url in
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/people")
            #expect(page.status == 200)
            #expect(!page.body.contains("<script>") && page.body.contains("&lt;script&gt;"))
            #expect(page.body.components(separatedBy: "&lt;wc").count - 1 == 200)
        }
    }

    /// Open reports with a late action, incidents and the injury rate each site sent, worst site first.
    @Test func qualityShowsOpenReportsLateActionsAndTheInjuryRatePerSite() async throws {
        let zone = TimeZone(identifier: "UTC")!
        let now = Date()
        var report = NonConformance(
            id: "NCR-2", source: .complaint, reference: "CC-1", description: "Curry <warm> on delivery",
            openedBy: "amara", openedAt: now.addingTimeInterval(-20 * 86_400))
        try report.addAction(
            kind: .corrective, description: "Door alarm", owner: "amara",
            due: LocalDate(now.addingTimeInterval(-20 * 86_400), in: zone), verifyAfterDays: 7,
            at: now.addingTimeInterval(-20 * 86_400), in: zone)
        let chart = QualityStatus.Chart(
            check: "food_processing.ccp.chill", name: "Chilled <storage>", unit: "°C", workCentre: "walk-in-chiller",
            chart: ControlChart(baseline: [3.0, 3.2, 2.9, 3.1, 3.0]), points: [.init(at: now, value: 4.2)],
            signals: [.beyond3Sigma], cpk: 1.5, limits: CriticalLimits(max: 5))
        let status = QualityStatus(
            reports: [report], at: now, in: zone, incidents: ["near_miss": 2], lostTimeInjuries: 1,
            hoursWorked: 50_000, charts: [chart])
        let token = try await sendState("quality_status", status, at: now)
        try await withServer { url in
            let client = Browser(base: url)
            let reply = try await client.request("GET", "/v1/quality", headers: ["Authorization": "Bearer \(token)"])
            let sites = try WireJSON.decoder().decode([CentralServer.SiteQuality].self, from: Data(reply.body.utf8))
            #expect(sites.map(\.site) == ["leeds"])
            #expect(sites[0].status?.overdueActions == 1 && sites[0].status?.lostTimeInjuryFrequency == 20)
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/quality").body
            #expect(page.contains("NCR-2: Curry &lt;warm&gt; on delivery") && page.contains("near miss 2"))
            #expect(page.contains("<td>20.0</td>") && page.contains("No quality status sent by this site."))
            #expect(page.contains("<svg") && page.contains("Leeds Bakery: Chilled &lt;storage&gt; at walk-in-chiller"))
            #expect(page.contains("Signals: a point beyond 3σ · Cpk 1.50"))
        }
    }

    /// A site that sends a chart with thousands of points and a subgroup size no chart has gets a bounded page,
    /// not a hung or crashed central.
    @Test func aHostileChartInAQualityStatusIsDrawnBounded() async throws {
        let now = Date()
        var chart = try #require(ControlChart(baseline: [3.0, 3.2, 2.9, 3.1]))
        chart.subgroupSize = 0
        let points = (0..<20_000).map { QualityStatus.Chart.Point(at: now, value: Double($0 % 7)) }
        let status = QualityStatus(
            reports: [], at: now, in: TimeZone(identifier: "UTC")!, incidents: [:], lostTimeInjuries: 0,
            hoursWorked: 0,
            charts: [
                .init(
                    check: "site.x", name: "X", unit: "u", workCentre: nil, chart: chart, points: points, signals: [],
                    cpk: nil, limits: CriticalLimits(max: 5))
            ])
        _ = try await sendState("quality_status", status, at: now)
        try await withServer { url in
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let started = Date()
            let page = try await browser.request("GET", "/quality")
            #expect(page.status == 200 && page.body.contains("<svg"))
            #expect(Date().timeIntervalSince(started) < 10)
        }
    }

    /// The overview filters by the modules sites load, from the names each site sends.
    @Test func theOverviewFiltersByModule() async throws {
        let names = SiteNames(modules: ["electronics_assembly"])
        let payload = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        _ = try await store.ingest(
            site: "penang", epoch: "p", first: 1, last: 1,
            records: [
                .init(seq: 1, kind: "names", recordClass: "state", key: "current", payload: payload, createdAt: Date())
            ],
            configVersion: 0, sentAt: Date(), now: Date())
        try await withServer { url in
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let all = try await browser.request("GET", "/").body
            #expect(all.contains("<option value=\"electronics_assembly\">electronics assembly</option>"))
            let smt = try await browser.request("GET", "/?module=electronics_assembly").body
            #expect(smt.contains("id=\"site-penang\"") && !smt.contains("id=\"site-leeds\""))
            #expect(smt.contains("<option value=\"electronics_assembly\" selected>"))
            let unknown = try await browser.request("GET", "/?module=%3Cb%3Ebrewing").body
            #expect(unknown.contains("no site here loads a module &#39;&lt;b&gt;brewing&#39;"))
            #expect(unknown.contains("id=\"site-penang\"") && unknown.contains("id=\"site-leeds\""))
        }
    }

    /// The Gantt chart draws the next 48 hours by default, with a now line and names; a week or the whole
    /// schedule on request; a window it does not know is named.
    @Test func theGanttChartHasAWindowANowLineAndNames() async throws {
        try await withServer { url in
            let browser = Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/sites/leeds").body
            #expect(page.contains("<strong aria-current=\"true\">Next 48 hours</strong>"))
            #expect(page.contains("href=\"/sites/leeds?gantt=7d&amp;days=7#gantt\""))
            #expect(page.contains("class=\"now\""))
            #expect(page.contains(">Oven 1</text>") && page.contains(">White loaf</text>"))
            let week = try await browser.request("GET", "/sites/leeds?gantt=7d").body
            #expect(week.contains("<strong aria-current=\"true\">Next 7 days</strong>"))
            #expect(week.contains("name=\"gantt\" value=\"7d\""))
            let wrong = try await browser.request("GET", "/sites/leeds?gantt=forever").body
            #expect(wrong.contains("No schedule window 'forever': choose 48h, 7d or all."))
        }
    }

    /// Severity badges are readable: at least WCAG AA's 4.5:1 between text and background.
    @Test func badgeColoursMeetWCAGAA() throws {
        func luminance(_ hex: String) -> Double {
            let value = Int(hex.dropFirst(), radix: 16) ?? 0
            var sum = 0.0
            for (shift, weight) in [(16, 0.2126), (8, 0.7152), (0, 0.0722)] {
                let channel = Double((value >> shift) & 255) / 255
                sum += weight * (channel <= 0.03928 ? channel / 12.92 : pow((channel + 0.055) / 1.055, 2.4))
            }
            return sum
        }
        func contrast(_ a: String, _ b: String) -> Double {
            let (x, y) = (luminance(a), luminance(b))
            return (max(x, y) + 0.05) / (min(x, y) + 0.05)
        }
        for severity in ["critical", "major", "minor", "info"] {
            let rule = try #require(
                Dashboard.style.range(of: "\\.\(severity)\\{[^}]*\\}", options: .regularExpression).map {
                    String(Dashboard.style[$0])
                })
            let background = try #require(rule.range(of: "background:#[0-9a-f]{6}", options: .regularExpression))
            let text =
                rule.range(of: "color:#[0-9a-f]{6}", options: .regularExpression).map {
                    String(rule[$0].dropFirst(6))
                } ?? "#ffffff"
            let ratio = contrast(String(rule[background].dropFirst(11)), text)
            #expect(ratio >= 4.5, "\(severity): \(ratio)")
        }
    }
}
