import Foundation
import Synchronization
import TaktCore
import TaktHost
import TaktScheduling
import TaktSiteApp
import TaktStore
import TaktWeb

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The site app with a year of data: a site with hourly chill readings (some breaching: findings, holds, lots
/// released again), lots, production reports and a plan; then each page fetched through HTTP on loopback,
/// `requests` times, timed from request to the last byte.
struct SiteAppBenchmark {
    var days: Int
    var requests: Int

    struct Result: Encodable {
        typealias Page = PageTiming
        var days: Int
        var readings: Int
        var findings: Int
        var lots: Int
        var secondsToGenerate: Double
        var pages: [Page]
        var peakResidentMegabytes: Double
    }

    static let site = """
        site: {id: bench, name: Bench Bakery, region: r, time_zone: Europe/London, country: GB-ENG, currency: GBP}
        modules:
          food_processing:
            chill: {max_celsius: 5, every: 4h, work_centres: [walk-in-chiller]}
        calendars:
          - id: days
            shifts: [{name: day, days: [mon, tue, wed, thu, fri, sat, sun], start: "06:00", end: "22:00"}]
        work_centres: [{id: walk-in-chiller}, {id: oven-1, calendar: days}, {id: packing, calendar: days}]
        products:
          - id: loaf
            routing:
              - {id: bake, work_centres: [oven-1], setup: 10m, units_per_hour: 400}
              - {id: pack, work_centres: [packing], units_per_hour: 800}
        staff:
          - {id: amara, name: Amara, certificates: [{kind: food_hygiene_level_2, expires: 2099-01-01}]}
          - {id: qa, name: Quinn}

        """

    func run(registry: ModuleRegistry) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("site-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.site.write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let host = try SiteHost.open(path: folder.path, dataDirectory: folder.path, registry: registry)
        let started = Date()
        let now = Date()
        let zone = host.definition.timeZone
        let start = LocalDate(now.addingTimeInterval(-Double(days + 1) * 86_400), in: zone)
            .instant(at: LocalTime(hour: 0, minute: 0), in: zone)
        var readings = 0
        var lots = 0
        for day in 0..<days {
            let morning = start.addingTimeInterval(Double(day) * 86_400)
            let lot = "L\(day)"
            try host.addLot(
                Lot(
                    id: lot, product: "loaf", quantity: 500, producedAt: morning,
                    expiresAt: morning.addingTimeInterval(5 * 86_400)),
                at: morning)
            lots += 1
            for hour in 0..<24 {
                let warm = (day * 24 + hour) % 97 == 0
                _ = try host.record(
                    CheckReading(
                        check: "food_processing.ccp.chill", value: warm ? 7.5 : 3.5, lot: hour == 8 ? lot : nil,
                        workCentre: "walk-in-chiller", recordedBy: "amara",
                        at: morning.addingTimeInterval(Double(hour) * 3600 + 60)))
                readings += 1
            }
            _ = try host.reportProduction(
                workCentre: "oven-1", product: "loaf", order: nil, good: 2500, scrap: 40,
                from: morning.addingTimeInterval(6 * 3600), to: morning.addingTimeInterval(14 * 3600),
                down: .minutes(20))
        }
        // Most findings get closed, as a working site's do.
        let findings = try host.findings(openOnly: true)
        for finding in findings.dropFirst(5) {
            if let id = finding.id {
                _ = try host.closeFinding(id, by: "amara", resolution: "moved stock", at: now)
            }
        }
        let due = Instant.isoLocal(now.addingTimeInterval(3 * 86_400), in: host.definition.timeZone)
        let csv =
            "id,product,quantity,due,priority\n"
            + (1...20).map { "O-\($0),loaf,\(400 + $0 * 10),\(due),1" }.joined(separator: "\n")
        _ = try host.importOrders(csv: csv, file: "orders.csv", at: now)
        _ = try host.plan(
            from: now, horizon: .hours(7 * 24), limits: SearchLimits(timeLimit: .seconds(2), workers: 1), now: now)
        let generated = Date().timeIntervalSince(started)
        try host.store.saveAppUser(
            .init(staff: "qa", role: .siteManager, secretHash: try Credentials.hash(password: "bench-password-1")),
            at: now)

        let app = SiteApp(host: host, pages: registry.pages(of: host.definition.site.modules))
        let measured = Mutex<[Result.Page]>([])
        try await app.serveOnLoopback { base in
            let session = URLSession(configuration: .ephemeral)
            try await Self.signIn(base, session)
            for path in ["/", "/stations/walk-in-chiller", "/findings", "/lots", "/plan", "/people", "/sync"] {
                let request = URLRequest(url: base.appendingPathComponent(path))
                let page = try await PageTiming.measure(request, path: path, session: session, requests: requests)
                measured.withLock { $0.append(page) }
            }
        }
        let pages = measured.withLock { $0 }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Result(
            days: days, readings: readings, findings: try host.findings(openOnly: false).count, lots: lots,
            secondsToGenerate: generated, pages: pages, peakResidentMegabytes: Double(usage.ru_maxrss) / 1024)
    }

    /// Signs in as the benchmark's site manager; the session keeps the cookies.
    static func signIn(_ base: URL, _ session: URLSession) async throws {
        let (form, _) = try await session.data(from: base.appendingPathComponent("login"))
        let html = String(decoding: form, as: UTF8.self)
        guard let range = html.range(of: "name=\"nonce\" value=\"") else {
            throw CommandFailure(message: "the login page has no form", code: 1)
        }
        let nonce = html[range.upperBound...].prefix { $0 != "\"" }
        var request = URLRequest(url: base.appendingPathComponent("login"))
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("nonce=\(nonce)&staff=qa&secret=bench-password-1".utf8)
        let (_, response) = try await session.data(for: request)
        guard let answer = response as? HTTPURLResponse, answer.statusCode == 200, answer.url?.path == "/" else {
            throw CommandFailure(message: "signing in failed: \(response)", code: 1)
        }
    }
}
