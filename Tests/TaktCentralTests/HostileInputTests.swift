import Foundation
import TaktWeb
import Testing

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktStore
@testable import TaktSync

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Every input that once crashed or stalled central, sent to a real server; after each, central still serves.
@Suite(.serialized) struct HostileInputTests {
    let fixture: DashboardTests

    init() async throws { fixture = try await DashboardTests() }

    func stillServing(_ url: URL) async throws {
        let health = try await DashboardTests.Browser(base: url).request("GET", "/health")
        #expect(health.status == 200)
    }

    @Test func formsWithoutNamesAreHandled() async throws {
        try await fixture.withServer { url in
            let browser = DashboardTests.Browser(base: url)
            for path in ["/login", "/logout", "/config"] {
                for body in ["=", "&", "==&=", "%", "a=%zz&=b", String(repeating: "=&", count: 5000)] {
                    let reply = try await browser.raw("POST", path, body: Data(body.utf8))
                    #expect([303, 403].contains(reply.status), "\(path) with '\(body.prefix(10))'")
                }
            }
            try await stillServing(url)
        }
    }

    /// A signed batch for sequence 1 to 2^63-1 once set the cursor so high that the next batch trapped.
    @Test func aHugeRangeIsMalformedAndTheNextBatchIsFine() async throws {
        try await fixture.withServer { url in
            let client = CentralClient(site: "leeds", key: fixture.key, transport: URLSessionTransport(base: url))
            let record = WireRecord(
                seq: 1, kind: "check_reading", class: "fact", key: "1", payload: "{}", createdAt: Date())
            for last in [Int64.max, Int64.max - 1, 5_001] {
                await #expect {
                    _ = try await client.send(
                        Batch(
                            site: "leeds", epoch: "h", first: 1, last: last, records: [record], configVersion: 0,
                            sentAt: Date()))
                } throws: { error in
                    guard case .malformed(let why) = error as? SyncError else { return false }
                    return why.contains("covers more than")
                }
            }
            let reply = try await client.send(
                Batch(site: "leeds", epoch: "h", first: 1, last: 1, records: [record], configVersion: 0, sentAt: Date())
            )
            #expect(reply.acknowledged == 1)
            let next = try await client.send(
                Batch(site: "leeds", epoch: "h", first: 2, last: 2, records: [], configVersion: 0, sentAt: Date()))
            #expect(next.acknowledged == 2)
        }
    }

    /// A record dated in the year 30000 (or a payload holding such a time) is refused at ingest.
    @Test func timesOutsideTheWindowAreRefused() async throws {
        try await fixture.withServer { url in
            let client = CentralClient(site: "leeds", key: fixture.key, transport: URLSessionTransport(base: url))
            let far = Date(timeIntervalSince1970: 884_541_340_800)  // the year 30000
            let cases: [(WireRecord, Date)] = [
                (.init(seq: 1, kind: "finding", class: "state", key: "9", payload: "{}", createdAt: far), Date()),
                (.init(seq: 1, kind: "finding", class: "state", key: "9", payload: "{}", createdAt: Date()), far),
                (
                    .init(
                        seq: 1, kind: "finding", class: "state", key: "9",
                        payload: #"{"raisedAt":"30000-01-01T00:00:00Z"}"#, createdAt: Date()), Date()
                ),
                (
                    .init(
                        seq: 1, kind: "schedule", class: "state", key: "current",
                        payload: #"{"rows":[{"start":"0001-01-01T00:00:00Z","end":"9999-12-31T00:00:00Z"}]}"#,
                        createdAt: Date()), Date()
                ),
                (
                    .init(
                        seq: 1, kind: "finding", class: "state", key: "9", payload: "{}",
                        createdAt: Date(timeIntervalSince1970: 0)), Date()
                ),
            ]
            for (record, sentAt) in cases {
                await #expect {
                    _ = try await client.send(
                        Batch(
                            site: "leeds", epoch: "t", first: 1, last: 1, records: [record], configVersion: 0,
                            sentAt: sentAt))
                } throws: { error in
                    guard case .malformed(let why) = error as? SyncError else { return false }
                    return why.contains("is not a plausible time") || why.contains("outside 2000 to a year ahead")
                }
            }
            // A payload nested past JSON's depth limit is malformed too, and costs central nothing.
            let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            await #expect {
                _ = try await client.send(
                    Batch(
                        site: "leeds", epoch: "t", first: 1, last: 1,
                        records: [
                            .init(seq: 1, kind: "finding", class: "state", key: "d", payload: deep, createdAt: Date())
                        ],
                        configVersion: 0, sentAt: Date()))
            } throws: { error in
                guard case .malformed(let why) = error as? SyncError else { return false }
                return why.contains("not JSON")
            }
            try await stillServing(url)
        }
    }

    /// Rows written before times were bounded (or edited by hand) never crash a page.
    @Test func storedRowsWithImpossibleTimesDoNotCrashPages() async throws {
        try await fixture.store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO records (site, epoch, seq, kind, class, key, payload, created_at, received_at)
                    VALUES ('leeds', 'old', 1, 'finding', 'fact', 'x', '{}', '30000-01-01 00:00:00.000', '2026-01-01 00:00:00.000'),
                           ('leeds', 'old', 2, 'production', 'fact', 'y', '{}', 'not a time', '2026-01-01 00:00:00.000')
                    """)
            try db.execute(sql: "UPDATE sites SET last_heard_at = '30000-01-01 00:00:00' WHERE id = 'leeds'")
        }
        try await fixture.withServer { url in
            let browser = DashboardTests.Browser(base: url)
            try await browser.logIn("ada")
            for path in ["/", "/sites/leeds", "/compare?days=365"] {
                #expect(try await browser.request("GET", path).status == 200, "\(path)")
            }
            let token = Credentials.randomHex(32)
            try await fixture.store.addToken(
                user: "ada", tokenHash: Credentials.tokenHash(token), at: Date(), expires: Date().addingTimeInterval(60)
            )
            let api = try await browser.request("GET", "/v1/sites", headers: ["Authorization": "Bearer \(token)"])
            #expect(api.status == 200)
        }
    }

    /// A schedule from year 1 to 9999 (already stored) draws a bounded page quickly.
    @Test func aHugeScheduleDrawsABoundedPage() async throws {
        let rows = (0..<20_000).map { index in
            ScheduleRow(
                kind: .operation, order: "O-\(index)", operation: "op", product: "p\(index % 50)",
                workCentre: "wc-\(index % 40)", unit: 1,
                start: Date(timeIntervalSince1970: -62_135_596_800 + Double(index) * 15_000_000),
                end: Date(timeIntervalSince1970: -62_135_596_800 + Double(index + 1) * 15_000_000))
        }
        let summary = ScheduleSummary(
            createdAt: Date(), from: Date(), horizonSeconds: 86_400, orders: 1, operations: rows.count, late: [],
            changeoverMinutes: 0, end: Date())
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let payload = String(
            decoding: try encoder.encode(ScheduleSnapshot(summary: summary, rows: rows)), as: UTF8.self)
        try await fixture.store.pool.write { db in
            try db.execute(
                sql: "UPDATE state SET payload = ? WHERE site = 'leeds' AND kind = 'schedule'", arguments: [payload])
        }
        try await fixture.withServer { url in
            let browser = DashboardTests.Browser(base: url)
            try await browser.logIn("ada")
            let started = Date()
            let page = try await browser.request("GET", "/sites/leeds")
            #expect(page.status == 200)
            #expect(page.body.utf8.count < 4_000_000)
            #expect(page.body.contains("not drawn"))
            #expect(Date().timeIntervalSince(started) < 20)
        }
    }

    /// Bodies are checked by their headers first: with a 1 KB budget for unread bodies, a stranger's 2 MB body is
    /// refused as unauthenticated (it would be 503 had central started reading it), a key's is refused for the
    /// budget, and a declared 40 MB is refused before a byte of it arrives.
    @Test func largeBodiesAreRefusedBeforeTheyAreRead() async throws {
        var tiny = fixture.configuration
        tiny.maxBodyBytesInFlight = 1024
        let server = CentralServer(
            store: fixture.store, configuration: tiny, keys: KeyRing([.init(site: "leeds", key: fixture.key)]))
        try await server.serveOnLoopback { url in
            let browser = DashboardTests.Browser(base: url)
            let big = Data(repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024)
            let path = "/v1/sites/leeds/batches"
            let stranger = try await browser.raw("POST", path, body: big)
            #expect(stranger.status == 401)
            let signed = RequestSignature.headers(
                method: "POST", path: path, site: "leeds", body: big, key: fixture.key, now: Date())
            let overBudget = try await browser.raw("POST", path, body: big, headers: signed)
            #expect(overBudget.status == 503)
            let login = try await browser.raw("POST", "/login", body: big)
            #expect(login.status == 413)
            let socket = try LoopbackSocket(port: url.port!)
            defer { socket.close() }
            let headers = RequestSignature.headers(
                method: "POST", path: path, site: "leeds", body: Data(), key: fixture.key, now: Date())
            socket.send(
                "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40000000\r\n"
                    + headers.map { "\($0.key): \($0.value)\r\n" }.joined() + "\r\n")
            #expect(socket.receive(seconds: 5).hasPrefix("HTTP/1.1 413"))
            try await stillServing(url)
        }
    }

    /// The login form's token works once even when two requests race with it.
    @Test func aLoginTokenWorksOnceUnderConcurrentUse() async throws {
        try await fixture.withServer { url in
            let first = DashboardTests.Browser(base: url)
            let page = try await first.request("GET", "/login")
            let token = first.csrf(in: page.body)
            let second = DashboardTests.Browser(base: url)
            second.cookies = first.cookies
            let form = ["user": ["ada"], "password": ["correct horse ada"], "csrf": [token]]
            async let a = first.request("POST", "/login", form: form)
            async let b = second.request("POST", "/login", form: form)
            let statuses = [try await a.status, try await b.status].sorted()
            #expect(statuses == [303, 403])
        }
    }

    /// An idle connection is closed after the idle timeout, so idle sockets cannot use up central's files.
    @Test func idleConnectionsAreClosed() async throws {
        let server = CentralServer(
            store: fixture.store, configuration: fixture.configuration, keys: KeyRing([]))
        try await server.serveOnLoopback(idleTimeout: 1) { url in
            let socket = try LoopbackSocket(port: url.port!)
            defer { socket.close() }
            try await Task.sleep(for: .seconds(3))
            #expect(socket.isClosedByPeer())
        }
    }

    @Test func passwordGuessingIsThrottledAndLogged() async throws {
        try await fixture.withServer { url in
            let browser = DashboardTests.Browser(base: url)
            var statuses: [Int] = []
            for _ in 0..<7 {
                let page = try await browser.request("GET", "/login")
                let reply = try await browser.request(
                    "POST", "/login",
                    form: ["user": ["ada"], "password": ["guess"], "csrf": [browser.csrf(in: page.body)]])
                statuses.append(reply.status)
                if reply.status == 429 { #expect(reply.headers["retry-after"] != nil) }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == 401 })
            #expect(statuses.last == 429)
            // Even the right password waits while throttled.
            let page = try await browser.request("GET", "/login")
            let right = try await browser.request(
                "POST", "/login",
                form: ["user": ["ada"], "password": ["correct horse ada"], "csrf": [browser.csrf(in: page.body)]])
            #expect(right.status == 429)
        }
    }

    @Test func aLoginUpgradesAnOldHashAndTheLoginTokenIsBoundAndSingleUse() async throws {
        try await fixture.withServer { url in
            let browser = DashboardTests.Browser(base: url)
            let page = try await browser.request("GET", "/login")
            let token = browser.csrf(in: page.body)
            // A token made for another browser's cookie is refused.
            let other = DashboardTests.Browser(base: url)
            _ = try await other.request("GET", "/login")
            let crossed = try await other.request(
                "POST", "/login", form: ["user": ["ada"], "password": ["correct horse ada"], "csrf": [token]])
            #expect(crossed.status == 403)
            let reply = try await browser.request(
                "POST", "/login", form: ["user": ["ada"], "password": ["correct horse ada"], "csrf": [token]])
            #expect(reply.status == 303)
            #expect(reply.headers["set-cookie"]?.contains("HttpOnly") == true)
            let hash = try await fixture.store.user("ada")?.passwordHash ?? ""
            #expect(hash.hasPrefix("pbkdf2-sha256$600000$"))
            // The same form cannot be used twice.
            browser.cookies["takt_login"] = browser.cookies["takt_login"] ?? ""
            let again = try await DashboardTests.Browser(base: url).request(
                "POST", "/login", form: ["user": ["ada"], "password": ["correct horse ada"], "csrf": [token]])
            #expect(again.status == 403)
        }
    }

    @Test func answersCarrySecurityHeaders() async throws {
        try await fixture.withServer { url in
            let page = try await DashboardTests.Browser(base: url).request("GET", "/login")
            #expect(page.headers["x-content-type-options"] == "nosniff")
            #expect(page.headers["referrer-policy"] == "no-referrer")
            #expect(page.headers["cache-control"] == "no-store")
            #expect(page.headers["strict-transport-security"] == nil)
        }
    }

    /// A record central cannot read is counted and shown; the site is red, not green.
    @Test func unreadableRecordsAreShownNotDropped() async throws {
        _ = try await fixture.store.ingest(
            site: "penang", epoch: "p", first: 1, last: 1,
            records: [
                .init(
                    seq: 1, kind: "finding", recordClass: "state", key: "1", payload: #"{"new":"format"}"#,
                    createdAt: Date())
            ],
            configVersion: 0, sentAt: Date(), now: Date())
        try await fixture.withServer { url in
            let browser = DashboardTests.Browser(base: url)
            try await browser.logIn("ada")
            let page = try await browser.request("GET", "/sites/penang")
            #expect(page.body.contains("id=\"unreadable\""))
            #expect(page.body.contains("1 record(s) from this site could not be read"))
            let overview = try await browser.request("GET", "/")
            #expect(overview.body.contains("could not be read"))
        }
    }

    /// Text a site sends reaches pages in many places; in every one it is shown as text, never as markup.
    @Test func hostileTextFromASiteIsEscapedEverywhere() async throws {
        let evil = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>&"
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        func json(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        let finding = Finding(
            id: 7, rule: "site.evil", severity: .critical, subject: .init(.lot, evil), message: evil,
            actions: [FindingAction(.holdLot, evil), FindingAction(.correctiveAction, evil)], raisedAt: Date())
        let lot = Lot(id: evil, product: evil, quantity: 1, producedAt: Date(), status: .onHold)
        let summary = ScheduleSummary(
            createdAt: Date(), from: Date(), horizonSeconds: 86_400, orders: 1, operations: 1,
            late: [.init(order: evil, due: Date(), end: Date(), lateSeconds: 60, reasons: [evil])],
            changeoverMinutes: 0, end: Date())
        let rows = [
            ScheduleRow(
                kind: .operation, order: evil, operation: evil, product: evil, workCentre: evil, unit: 1, start: Date(),
                end: Date().addingTimeInterval(3600), task: evil)
        ]
        let due = [
            RuleBook.CheckDue(
                check: "site.evil", name: evil, workCentre: evil, lastRecorded: nil, due: Date(), overdue: true)
        ]
        let payloads: [(String, String, String)] = [
            ("finding", "7", try json(finding)), ("lot", "evil", try json(lot)),
            ("schedule", "current", try json(ScheduleSnapshot(summary: summary, rows: rows))),
            ("checks_due", "current", try json(due)),
        ]
        _ = try await fixture.store.ingest(
            site: "penang", epoch: "evil", first: 1, last: Int64(payloads.count),
            records: payloads.enumerated().map { index, item in
                .init(
                    seq: Int64(index + 1), kind: item.0, recordClass: "state", key: item.1, payload: item.2,
                    createdAt: Date())
            }, configVersion: 0, sentAt: Date(), now: Date())
        try await fixture.withServer { url in
            let browser = DashboardTests.Browser(base: url)
            try await browser.logIn("ada")
            for path in ["/", "/sites/penang", "/compare"] {
                let page = try await browser.request("GET", path)
                #expect(page.status == 200)
                #expect(!page.body.contains("<script>alert"), "\(path)")
                #expect(!page.body.contains("<img src=x"), "\(path)")
                #expect(!page.body.contains("'><"), "\(path)")
            }
            let site = try await browser.request("GET", "/sites/penang")
            #expect(site.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}

/// The byte budget for unread bodies holds when many requests reserve at once.
@Suite struct BodyBudgetTests {
    @Test func concurrentReservationsNeverPassTheLimit() async {
        let budget = BodyBudget(limit: 1_000)
        let granted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<100 { group.addTask { await budget.reserve(100) } }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(granted == 10)
        for _ in 0..<10 { await budget.release(100) }
        #expect(await budget.reserved == 0)
        #expect(await budget.reserve(1_001) == false)
        #expect(await budget.reserve(1_000) == true)
    }
}
