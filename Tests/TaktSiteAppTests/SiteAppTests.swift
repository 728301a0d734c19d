import BuiltinModules
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktSiteApp
@testable import TaktStore
@testable import TaktWeb

/// The site app through its real routes: who may sign in and do what, a failing chill reading putting a lot
/// on hold, quality releasing it, double submits, forms from elsewhere, the API's tokens and Spanish pages.
@Suite struct SiteAppTests {
    static let site = """
        site: {id: leeds, name: Leeds Bakery, region: uk-north, time_zone: Europe/London, country: GB-ENG, currency: GBP}
        modules:
          food_processing:
            chill: {max_celsius: 5, every: 4h, work_centres: [walk-in-chiller]}
        work_centres: [{id: walk-in-chiller, name: Walk-in chiller}, {id: oven-1}]
        products:
          - id: loaf
            routing: [{id: bake, work_centres: [oven-1], setup: 10m, units_per_hour: 100}]
        staff:
          - {id: amara, name: Amara Okafor, certificates: [{kind: food_hygiene_level_2, expires: 2030-06-30}]}
          - {id: tom, name: Tom Hargreaves}
          - {id: qa, name: Quinn Ahmed, certificates: [{kind: food_hygiene_level_2, expires: 2030-06-30}]}
          - {id: sam, name: Sam Rivera, certificates: [{kind: food_hygiene_level_2, expires: 2030-06-30}]}
          - {id: pat, name: Pat Lee}
        downtime_reasons: [breakdown, no_material]
        items:
          - {id: butter, name: Butter, unit: kg, storage: chilled, shelf_life: 30d}
        suppliers:
          - {id: vale-dairy, name: Vale Dairy, items: {butter: approved}}
        rules:
          qualifications:
            - {id: site.chill_recorder, checks: [food_processing.ccp.chill], certificate: food_hygiene_level_2}

        """

    let host: SiteHost
    let app: SiteApp

    init() throws {
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: Self.site, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("app-\(UUID().uuidString).sqlite")
        host = SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "leeds", recordKinds: definition.recordKinds))
        app = SiteApp(host: host)
        let users: [(String, SiteRole, String, String?)] = [
            ("amara", .operator_, "1234", nil), ("tom", .operator_, "5678", nil),
            ("qa", .quality, "quality-pass-1", nil),
            ("sam", .operator_, "2468", "es"), ("pat", .siteManager, "manager-pass-1", nil),
        ]
        for (staff, role, secret, locale) in users {
            try host.store.saveAppUser(
                .init(
                    staff: staff, role: role, secretHash: try Credentials.hash(password: secret, rounds: 210_000),
                    locale: locale),
                at: Date())
        }
        try host.addLot(
            Lot(id: "L1", product: "loaf", quantity: 50, producedAt: Date().addingTimeInterval(-3600)), at: Date())
    }

    /// A browser: keeps the session cookie, and finds CSRF tokens and form ids in the pages it gets.
    struct Browser: Sendable {
        let client: any TestClientProtocol
        var cookie = ""

        mutating func signIn(_ staff: String, _ secret: String) async throws -> TestResponse {
            let form = try await client.execute(uri: "/login", method: .get, headers: [:], body: nil)
            let nonce = try #require(Self.value(of: "nonce", in: String(buffer: form.body)))
            let login = form.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
            let response = try await post("/login", "nonce=\(nonce)&staff=\(staff)&secret=\(secret)", cookie: login)
            if let set = response.headers[.setCookie], set.hasPrefix(SiteApp.sessionCookie) {
                cookie = String(set.split(separator: ";")[0])
            }
            return response
        }

        func get(_ uri: String) async throws -> TestResponse {
            try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie], body: nil)
        }

        func post(_ uri: String, _ body: String, cookie: String? = nil) async throws -> TestResponse {
            try await client.execute(
                uri: uri, method: .post,
                headers: [.cookie: cookie ?? self.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: body))
        }

        /// Posts the first form on `page` whose action is `action`, with its hidden fields and `fields`.
        func submit(_ page: String, _ action: String, _ fields: String) async throws -> TestResponse {
            let csrf = try #require(Self.value(of: "csrf", in: page))
            let formID = Self.value(of: "form_id", in: page) ?? ""
            return try await post(action, "csrf=\(csrf)&form_id=\(formID)&\(fields)")
        }

        static func value(of name: String, in html: String) -> String? {
            guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test func anOperatorsFailingChillReadingHoldsTheLotAndOnlyQualityReleasesIt() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            #expect(try await amara.signIn("amara", "1234").status == .seeOther)
            let station = try await amara.get("/stations/walk-in-chiller")
            #expect(String(buffer: station.body).contains("Chilled storage"))
            // Checks without a frequency (lock-out/tag-out before cleaning) are there to pick too.
            #expect(String(buffer: station.body).contains("Other checks here"))
            #expect(String(buffer: station.body).contains("check=food_processing.safety.loto"))
            let form = String(
                buffer: try await amara.get(
                    "/checks/record?check=food_processing.ccp.chill&work_centre=walk-in-chiller"
                ).body)
            let verdict = try await amara.submit(
                form, "/checks/record", "check=food_processing.ccp.chill&work_centre=walk-in-chiller&lot=L1&value=7%2C5"
            )
            let text = String(buffer: verdict.body)
            #expect(verdict.status == .ok)
            #expect(text.contains("Lot L1 is on hold."), "\(text)")
            // The same form sent again records nothing more.
            let again = try await amara.submit(
                form, "/checks/record", "check=food_processing.ccp.chill&work_centre=walk-in-chiller&lot=L1&value=7.5")
            #expect(again.status == .conflict)
            #expect(try host.store.readings(of: "food_processing.ccp.chill").count == 1)
            // An operator may not release the lot.
            let lots = String(buffer: try await amara.get("/lots").body)
            #expect(!lots.contains("Release"))
            #expect(try await amara.submit(form, "/lots/L1/decide", "status=released").status == .forbidden)
            // Quality closes the finding and releases the lot.
            var quinn = Browser(client: client)
            #expect(try await quinn.signIn("qa", "quality-pass-1").status == .seeOther)
            let findings = String(buffer: try await quinn.get("/findings").body)
            let id = try #require(host.findings(openOnly: true).first?.id)
            #expect(
                try await quinn.submit(findings, "/findings/\(id)/close", "resolution=Moved+to+chiller+2").status == .ok
            )
            let held = String(buffer: try await quinn.get("/lots").body)
            let released = try await quinn.submit(held, "/lots/L1/decide", "status=released")
            #expect(String(buffer: released.body).contains("Lot L1 is released."))
            #expect(try host.lots(status: .released).map(\.id) == ["L1"])
        }
    }

    @Test func signInIsRefusedForAWrongPINAndPagesNeedASession() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var browser = Browser(client: client)
            let wrong = try await browser.signIn("amara", "0000")
            #expect(wrong.status == .unauthorized)
            let page = try await browser.get("/findings")
            #expect(page.status == .seeOther)
            // A login form without its cookie (posted from another site) is refused.
            let forged = try await browser.post(
                "/login", "nonce=\(String(repeating: "a", count: 32))&staff=amara&secret=1234")
            #expect(forged.status == .forbidden)
        }
    }

    @Test func someoneWithoutTheCertificateIsRefusedAtTheFormNotAfter() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var tom = Browser(client: client)
            _ = try await tom.signIn("tom", "5678")
            let form = try await tom.get("/checks/record?check=food_processing.ccp.chill&work_centre=walk-in-chiller")
            #expect(form.status == .forbidden)
            #expect(String(buffer: form.body).contains("food_hygiene_level_2"))
            #expect(try host.store.readings(of: "food_processing.ccp.chill").isEmpty)
        }
    }

    @Test func aFormFromElsewhereAndAValueThatIsNotANumberChangeNothing() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let forged = try await amara.post("/checks/record", "csrf=nope&check=food_processing.ccp.chill&value=9")
            #expect(forged.status == .forbidden)
            let form = String(
                buffer: try await amara.get(
                    "/checks/record?check=food_processing.ccp.chill&work_centre=walk-in-chiller"
                ).body)
            let words = try await amara.submit(
                form, "/checks/record", "check=food_processing.ccp.chill&work_centre=walk-in-chiller&value=cold")
            #expect(String(buffer: words.body).contains("The value must be a number"))
            #expect(try host.store.readings(of: "food_processing.ccp.chill").isEmpty)
        }
    }

    @Test func aSpanishSpeakingOperatorReadsSpanish() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var sam = Browser(client: client)
            _ = try await sam.signIn("sam", "2468")
            let page = String(buffer: try await sam.get("/").body)
            #expect(page.contains("Elija su estación") && page.contains("lang=\"es\""))
            let login = String(
                buffer: try await client.execute(uri: "/login?lang=ms", method: .get, headers: [:], body: nil).body)
            #expect(login.contains("Log masuk"))
        }
    }

    /// After a restore, the sync page shows what central gave back: records made after the backup.
    @Test func theSyncPageListsWhatCentralGaveBackAfterARestore() async throws {
        try host.store.keepRecovered(
            [(seq: 9, kind: "check_reading", recordClass: "fact", key: "41", payload: "{}", createdAt: Date())],
            epoch: "old", at: Date())
        try await Application(router: app.router()).test(.router) { client in
            var pat = Browser(client: client)
            _ = try await pat.signIn("pat", "manager-pass-1")
            let page = String(buffer: try await pat.get("/sync").body)
            #expect(page.contains("Records made after the backup, recovered from central: 1"), "\(page)")
            #expect(page.contains("check_reading 41"))
        }
    }

    @Test func aDeviceTokenRecordsOnlyItsChecks() async throws {
        let token = Credentials.randomHex(32)
        try host.store.addAppToken(
            staff: "amara", name: "logger", tokenHash: Credentials.tokenHash(token),
            checks: ["food_processing.ccp.chill"],
            at: Date())
        try await Application(router: app.router()).test(.router) { client in
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let ok = try await client.execute(
                uri: "/api/v1/readings", method: .post, headers: auth,
                body: ByteBuffer(
                    string: #"{"check": "food_processing.ccp.chill", "value": 3.5, "workCentre": "walk-in-chiller"}"#))
            #expect(ok.status == .created, "\(String(buffer: ok.body))")
            let other = try await client.execute(
                uri: "/api/v1/readings", method: .post, headers: auth,
                body: ByteBuffer(string: #"{"check": "food_processing.ccp.cooking", "value": 80}"#))
            #expect(other.status == .forbidden)
            let malformed = try await client.execute(
                uri: "/api/v1/readings", method: .post, headers: auth, body: ByteBuffer(string: #"{"check": 5}"#))
            #expect(malformed.status == .badRequest)
            let anonymous = try await client.execute(uri: "/api/v1/findings", method: .get, headers: [:], body: nil)
            #expect(anonymous.status == .unauthorized)
            let spec = String(
                buffer: try await client.execute(uri: "/api/openapi.yaml", method: .get, headers: [:], body: nil).body)
            for path in [
                "/api/v1/findings", "/api/v1/checks-due", "/api/v1/readings", "/api/v1/lots", "/api/v1/production",
                "/api/v1/orders", "/api/v1/plan",
            ] {
                #expect(spec.contains("\n  \(path):"), "the OpenAPI document lacks \(path)")
            }
        }
        #expect(try host.store.readings(of: "food_processing.ccp.chill").map(\.recordedBy) == ["amara"])
    }
}

extension SiteAppTests {
    /// A walk-in chiller's logger posts every minute for a day; the door is left open for 25 minutes. One
    /// excursion: one finding, not 25. A second excursion later is a second finding.
    @Test func aLoggersDayWithAnExcursionRaisesOneFindingPerExcursion() async throws {
        let token = Credentials.randomHex(32)
        try host.store.addAppToken(
            staff: "amara", name: "walk-in logger", tokenHash: Credentials.tokenHash(token),
            checks: ["food_processing.ccp.chill"], at: Date())
        let start = Date().addingTimeInterval(-86_400)
        let excursions: [ClosedRange<Int>] = [600...624, 1000...1004]
        try await Application(router: app.router()).test(.router) { client in
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let iso = ISO8601DateFormatter()
            for minute in 0..<1440 {
                let warm = excursions.contains { $0.contains(minute) }
                let body = """
                    {"check": "food_processing.ccp.chill", "value": \(warm ? 7.5 : 3.2), "workCentre": "walk-in-chiller", \
                    "at": "\(iso.string(from: start.addingTimeInterval(Double(minute) * 60)))"}
                    """
                let response = try await client.execute(
                    uri: "/api/v1/readings", method: .post, headers: auth, body: ByteBuffer(string: body))
                guard response.status == .created else {
                    Issue.record("minute \(minute): \(response.status) \(String(buffer: response.body))")
                    return
                }
            }
        }
        #expect(try host.store.readings(of: "food_processing.ccp.chill", limit: 2000).count == 1440)
        let breaches = try host.findings(openOnly: true).filter { $0.rule == "food_processing.ccp.chill" }
        #expect(breaches.count == 2, "\(breaches.map(\.message))")
    }
}

extension SiteAppTests {
    /// Only the site manager re-plans; everyone sees the plan with its Gantt chart; an operator reports
    /// production and sees its OEE; anyone asks whether someone is cleared at a station.
    @Test func thePlanProductionAndPeoplePagesFollowTheRoles() async throws {
        let due = Instant.isoLocal(Date().addingTimeInterval(3 * 86_400), in: host.definition.timeZone)
        _ = try host.importOrders(
            csv: "id,product,quantity,due,priority\nO-1,loaf,200,\(due),1\n", file: "orders.csv", at: Date())
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let plan = String(buffer: try await amara.get("/plan").body)
            #expect(!plan.contains("name=\"action\""))
            let refused = try await amara.submit(plan, "/plan", "action=plan")
            #expect(refused.status == .forbidden)
            var pat = Browser(client: client)
            _ = try await pat.signIn("pat", "manager-pass-1")
            let managerPlan = String(buffer: try await pat.get("/plan").body)
            let planned = try await pat.submit(managerPlan, "/plan", "action=plan")
            let text = String(buffer: planned.body)
            #expect(text.contains("Planned: 0 late of 1 orders."), "\(text)")
            #expect(text.contains("<svg"))
            // The chart draws the next 48 hours with a now line and the site's names; a week on request; a window
            // it does not know is named.
            let chart = String(buffer: try await amara.get("/plan").body)
            #expect(chart.contains("<strong>Next 48 hours</strong>") && chart.contains("href=\"/plan?window=7d\""))
            #expect(chart.contains("class=\"now\"") && chart.contains(">times in "))
            #expect(
                String(buffer: try await amara.get("/plan?window=7d").body).contains("<strong>Next 7 days</strong>"))
            #expect(
                String(buffer: try await amara.get("/plan?window=ever").body).contains("No plan window &#39;ever&#39;"))
            // A breakdown of the oven for the next four hours: the plan is repaired and says what moved.
            let zone = host.definition.timeZone
            let down = (
                Instant.isoLocal(Date().addingTimeInterval(-60), in: zone),
                Instant.isoLocal(Date().addingTimeInterval(4 * 3600), in: zone)
            )
            // A mistyped time is refused, and the same form, corrected, goes through.
            let typo = try await pat.submit(
                text, "/plan", "action=repair&work_centre=oven-1&from=yesterday&to=\(down.1)&rush=&cancel=")
            #expect(String(buffer: typo.body).contains("From: not a date and time."))
            let repaired = try await pat.submit(
                text, "/plan", "action=repair&work_centre=oven-1&from=\(down.0)&to=\(down.1)&rush=&cancel=")
            #expect(String(buffer: repaired.body).contains("tasks moved."), "\(String(buffer: repaired.body))")
            let form = String(buffer: try await amara.get("/production").body)
            let from = Instant.isoLocal(Date().addingTimeInterval(-7200), in: host.definition.timeZone)
            let to = Instant.isoLocal(Date().addingTimeInterval(-3600), in: host.definition.timeZone)
            let unexplained = try await amara.submit(
                form, "/production", "work_centre=oven-1&product=loaf&good=80&scrap=2&down=5&from=\(from)&to=\(to)")
            #expect(String(buffer: unexplained.body).contains("say why it stood still"))
            let again = String(buffer: try await amara.get("/production?work_centre=oven-1").body)
            #expect(again.contains("<option value=\"breakdown\">breakdown</option>"))
            // Opened from the oven's station, the form carries the order and product the plan runs there now.
            #expect(again.contains("name=\"order\" value=\"O-1\""), "\(again)")
            #expect(again.contains("<option value=\"loaf\" selected>"))
            #expect(again.contains("<option value=\"oven-1\" selected>"))
            let reported = try await amara.submit(
                again, "/production",
                "work_centre=oven-1&product=loaf&good=80&scrap=2&down=5&down_reason=breakdown&from=\(from)&to=\(to)")
            #expect(String(buffer: reported.body).contains("Reported: OEE"), "\(String(buffer: reported.body))")
            let stored = try host.store.productionReports(
                in: DateInterval(start: Date().addingTimeInterval(-86_400), end: Date()))
            #expect(stored.map(\.downReason) == ["breakdown"])
            let people = String(buffer: try await amara.get("/people?staff=tom&work_centre=walk-in-chiller").body)
            #expect(people.contains("Tom") || people.contains("tom"))
            #expect(
                people.contains("is cleared at walk-in-chiller") || people.contains("is not cleared at walk-in-chiller")
            )
        }
    }
}

/// A module's page in the site app: electronics_assembly's reels, in Malay, through the module's own commands.
@Suite struct ModulePageTests {
    @Test func anOperatorScansAReelAndOpensItInMalay() async throws {
        let text = """
            site: {id: penang, name: Penang, region: apac, time_zone: Asia/Kuala_Lumpur, currency: MYR, locale: ms}
            modules:
              electronics_assembly:
            work_centres: [{id: placer-1}]
            products: [{id: board}]
            staff: [{id: siti, name: Siti Aminah}]

            """
        let registry = try BuiltinModules.registry()
        let definition = try SiteLoader(registry: registry).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reels-\(UUID().uuidString).sqlite")
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "penang", recordKinds: definition.recordKinds))
        try host.store.saveAppUser(
            .init(staff: "siti", role: .operator_, secretHash: try Credentials.hash(password: "4321", rounds: 210_000)),
            at: Date())
        let reels = try #require(registry.commands.first { $0.command.name == "reels" }?.command)
        let add = try #require(reels.subcommands.first { $0.name == "add" })
        _ = try add.run(
            CommandInput(values: ["id": "R1", "part": "QFN48", "level": "3"], timeZone: definition.timeZone), at: host)
        let app = SiteApp(host: host, pages: registry.pages(of: definition.site.modules))
        try await Application(router: app.router()).test(.router) { client in
            var siti = SiteAppTests.Browser(client: client)
            _ = try await siti.signIn("siti", "4321")
            let home = String(buffer: try await siti.get("/").body)
            #expect(home.contains("href=\"/modules/reels\">Gulungan</a>"))
            let page = String(buffer: try await siti.get("/modules/reels?id=R1").body)
            #expect(page.contains("R1 (QFN48, MSL 3): baki hayat lantai 168 j, dalam simpanan kering"), "\(page)")
            let opened = try await siti.submit(page, "/modules/reels/record", "event=open&id=R1&work-centre=")
            let after = String(buffer: opened.body)
            #expect(after.contains("di lantai"), "\(after)")
            let unknown = String(buffer: try await siti.get("/modules/reels?id=R9").body)
            #expect(unknown.contains("Tiada gulungan R9."))
        }
        let history = try host.store.moduleRecords("electronics_assembly.reel_event")
        #expect(history.count == 1 && history[0].json.contains(#""by":"siti""#))
    }
}

extension SiteAppTests {
    /// The API beyond readings: lots, production, orders and the plan, each for the tokens allowed to.
    @Test func theAPIAddsLotsReportsProductionAndImportsOrdersForTheRightTokens() async throws {
        let manager = Credentials.randomHex(32)
        let logger = Credentials.randomHex(32)
        try host.store.addAppToken(
            staff: "pat", name: "erp", tokenHash: Credentials.tokenHash(manager), checks: nil, at: Date())
        try host.store.addAppToken(
            staff: "amara", name: "logger", tokenHash: Credentials.tokenHash(logger),
            checks: ["food_processing.ccp.chill"],
            at: Date())
        try await Application(router: app.router()).test(.router) { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ token: String, _ body: String?) async throws
                -> TestResponse
            {
                try await client.execute(
                    uri: uri, method: method,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: body.map { ByteBuffer(string: $0) })
            }
            let noPlan = try await call(.get, "/api/v1/plan", manager, nil)
            #expect(noPlan.status == .notFound)
            let due = Instant.isoLocal(Date().addingTimeInterval(2 * 86_400), in: host.definition.timeZone)
            let orders = try await call(
                .post, "/api/v1/orders", manager, "id,product,quantity,due,priority\nO-7,loaf,100,\(due),1\n")
            #expect(orders.status == .created, "\(String(buffer: orders.body))")
            let badOrders = try await call(
                .post, "/api/v1/orders", manager, "id,product,quantity,due,priority\nO-8,cake,1,\(due),1\n")
            #expect(badOrders.status == .unprocessableContent && String(buffer: badOrders.body).contains("cake"))
            let fromDevice = try await call(
                .post, "/api/v1/lots", logger, #"{"id": "L9", "product": "loaf", "quantity": 5}"#)
            #expect(fromDevice.status == .forbidden)
            let lot = try await call(.post, "/api/v1/lots", manager, #"{"id": "L9", "product": "loaf", "quantity": 5}"#)
            #expect(lot.status == .created)
            let twice = try await call(
                .post, "/api/v1/lots", manager, #"{"id": "L9", "product": "loaf", "quantity": 5}"#)
            #expect(twice.status == .unprocessableContent)
            let from = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-7200))
            let to = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
            let produced = try await call(
                .post, "/api/v1/production", manager,
                #"{"workCentre": "oven-1", "product": "loaf", "good": 90, "from": "\#(from)", "to": "\#(to)"}"#)
            #expect(produced.status == .created, "\(String(buffer: produced.body))")
            let lots = try await call(.get, "/api/v1/lots?status=released", logger, nil)
            #expect(String(buffer: lots.body).contains("L9"))
        }
        #expect(try host.openOrders().map(\.id) == ["O-7"])
    }

    /// Lots are added at the lots page and issued from stock; an operator may, maintenance may not.
    @Test func lotsAreAddedAndIssuedFromThePage() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let page = String(buffer: try await amara.get("/lots").body)
            let added = try await amara.submit(page, "/lots", "id=L2&product=loaf&quantity=12%2C5&expires=")
            #expect(String(buffer: added.body).contains("Lot L2 is added."), "\(String(buffer: added.body))")
            let stock = String(buffer: added.body)
            let issued = try await amara.submit(stock, "/lots/L2/issue", "")
            #expect(String(buffer: issued.body).contains("Lot L2 is issued."))
        }
        #expect(try host.lots(status: .issued).map(\.id) == ["L2"])
    }
}

extension SiteAppTests {
    /// An open page hears of a finding raised elsewhere (a logger, another tablet) without a reload.
    @Test func anOpenPageHearsOfANewFindingLive() async throws {
        let live = SiteApp(host: host, liveInterval: 0.05, liveDuration: 1)
        let host = self.host
        // A finding from before the page opened is not news.
        _ = try host.record(
            CheckReading(
                check: "food_processing.ccp.chill", value: 7.9, workCentre: "walk-in-chiller", recordedBy: "amara",
                at: Date().addingTimeInterval(-600)))
        try await Application(router: live.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let writer = Task {
                try await Task.sleep(for: .milliseconds(300))
                _ = try host.record(
                    CheckReading(
                        check: "food_processing.ccp.chill", value: 9, workCentre: "walk-in-chiller",
                        recordedBy: "amara",
                        at: Date()))
            }
            let stream = try await amara.get("/events")
            try await writer.value
            let text = String(buffer: stream.body)
            #expect(stream.headers[.contentType] == "text/event-stream")
            #expect(text.contains("event: finding") && text.contains("New: "), "\(text)")
            #expect(text.components(separatedBy: "event: finding").count == 2, "\(text)")
            #expect(text.contains(" 9 °C") && !text.contains("7.9 °C"))
            let script = try await client.execute(uri: "/app.js", method: .get, headers: [:], body: nil)
            #expect(String(buffer: script.body).contains("EventSource"))
        }
    }
}

extension SiteAppTests {
    /// Hostile input gets a clear answer and changes nothing: forged cookies, oversized and garbled bodies,
    /// unknown ids, tokens of the wrong shape.
    @Test func hostileInputIsRefusedAndChangesNothing() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let forged = try await client.execute(
                uri: "/findings", method: .get,
                headers: [.cookie: "takt_site_session=\(String(repeating: "x", count: 5000))"])
            #expect(forged.status == .seeOther)
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let page = String(buffer: try await amara.get("/lots").body)
            let huge = try await amara.submit(page, "/lots", "id=" + String(repeating: "A", count: 200_000))
            #expect(huge.status == .contentTooLarge, "\(huge.status)")
            let garbled = try await amara.post("/lots", "%ZZ%%=&&&=\u{0}")
            #expect(garbled.status == .forbidden)
            let unknownStation = try await amara.get("/stations/..%2F..%2Fetc")
            #expect(unknownStation.status == .notFound)
            let unknownCheck = try await amara.get("/checks/record?check=../../x&work_centre=oven-1")
            #expect(unknownCheck.status == .notFound)
            let unknownPage = try await amara.get("/modules/reels")
            #expect(unknownPage.status == .notFound)
            let noFinding = try await amara.submit(page, "/findings/notanumber/close", "resolution=x")
            #expect(noFinding.status == .forbidden)
            let badLot = try await amara.submit(page, "/lots/NOPE/issue", "")
            #expect(String(buffer: badLot.body).contains("Not done"))
            for header in ["Bearer", "Bearer ", "Basic abc", "Bearer " + String(repeating: "z", count: 400)] {
                let answer = try await client.execute(
                    uri: "/api/v1/findings", method: .get, headers: [.authorization: header])
                #expect(answer.status == .unauthorized, "\(header.prefix(20))")
            }
        }
        #expect(try host.lots().map(\.id) == ["L1"])
        #expect(try host.store.readings(of: "food_processing.ccp.chill").isEmpty)
    }
}

extension SiteAppTests {
    /// A person switches the app's language and keeps their session; the site manager rosters someone, an
    /// operator may not.
    @Test func aPersonChoosesTheirLanguageAndTheSiteManagerRosters() async throws {
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let home = String(buffer: try await amara.get("/").body)
            let switched = try await amara.submit(home, "/language", "locale=ms")
            #expect(String(buffer: switched.body).contains("Bahasa Melayu"))
            #expect(String(buffer: try await amara.get("/").body).contains("Pilih stesen anda"))
            #expect(try host.store.appUser("amara")?.locale == "ms")
            let people = String(buffer: try await amara.get("/people").body)
            #expect(!people.contains("action=\"/people/roster\""))
            let refused = try await amara.submit(
                people, "/people/roster", "staff=tom&start=2026-12-01T06:00&end=2026-12-01T14:00")
            #expect(refused.status == .forbidden)
            var pat = Browser(client: client)
            _ = try await pat.signIn("pat", "manager-pass-1")
            let form = String(buffer: try await pat.get("/people").body)
            let start = Instant.isoLocal(Date().addingTimeInterval(86_400), in: host.definition.timeZone)
            let end = Instant.isoLocal(Date().addingTimeInterval(86_400 + 8 * 3600), in: host.definition.timeZone)
            let rostered = try await pat.submit(
                form, "/people/roster", "staff=tom&start=\(start)&end=\(end)&break=30&work_centre=")
            #expect(
                String(buffer: rostered.body).contains("Tom Hargreaves is rostered."),
                "\(String(buffer: rostered.body))")
            let backwards = try await pat.submit(
                form.replacingOccurrences(of: "form_id\" value=\"", with: "form_id\" value=\"x"), "/people/roster",
                "staff=tom&start=\(end)&end=\(start)&break=0")
            #expect(String(buffer: backwards.body).contains("Not done"))
        }
    }
}

extension SiteAppTests {
    /// Two taps on one form at the same moment record one reading; hostile readings through the API are
    /// refused with a reason and record nothing.
    @Test func oneFormSentTwiceAtOnceRecordsOnceAndHostileReadingsAreRefused() async throws {
        let token = Credentials.randomHex(32)
        try host.store.addAppToken(
            staff: "amara", name: "api", tokenHash: Credentials.tokenHash(token), checks: nil, at: Date())
        try await Application(router: app.router()).test(.router) { client in
            var amara = Browser(client: client)
            _ = try await amara.signIn("amara", "1234")
            let form = String(
                buffer: try await amara.get(
                    "/checks/record?check=food_processing.ccp.chill&work_centre=walk-in-chiller"
                ).body)
            let fields = "check=food_processing.ccp.chill&work_centre=walk-in-chiller&value=3"
            let tablet = amara
            async let first = tablet.submit(form, "/checks/record", fields)
            async let second = tablet.submit(form, "/checks/record", fields)
            let statuses = [try await first.status.code, try await second.status.code].sorted()
            #expect(statuses == [200, 409])
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let hostile = [
                (#"{"check": "food_processing.ccp.chill", "value": 1e400}"#, HTTPResponse.Status.badRequest),
                (#"{"check": "food_processing.ccp.chill", "value": "cold"}"#, .badRequest),
                (#"{"check": "food_processing.ccp.chill"}"#, .badRequest),
                (#"{"check": "", "value": 3}"#, .unprocessableContent),
                (
                    #"{"check": "food_processing.ccp.chill", "value": 3, "at": "2999-01-01T00:00:00Z"}"#,
                    .unprocessableContent
                ),
                (#"{"check": "food_processing.ccp.chill", "value": 3, "lot": "NOPE"}"#, .unprocessableContent),
                (
                    #"{"check": "food_processing.ccp.chill", "value": -1e300, "workCentre": "moon"}"#,
                    .unprocessableContent
                ),
                (#"[]"#, .badRequest),
            ]
            for (body, status) in hostile {
                let answer = try await client.execute(
                    uri: "/api/v1/readings", method: .post, headers: auth, body: ByteBuffer(string: body))
                #expect(answer.status == status, "\(body): \(String(buffer: answer.body))")
            }
        }
        #expect(try host.store.readings(of: "food_processing.ccp.chill").count == 1)
    }
}
