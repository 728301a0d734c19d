import Foundation
import TaktCentral
import TaktCentralStore
import TaktCore
import TaktScheduling
import TaktStore
import TaktSync
import TaktWeb

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Central at a regional manager's scale: `sites` sites × `days` days of generated plant history (readings,
/// production per shift, findings raised and closed, lots made, held and released, orders, two plans a day,
/// costs, the odd incident) stored through ingest, so the roll-ups are kept as in production; then the overview,
/// a site page, the comparison over a quarter and the API's lists fetched through HTTP on loopback, `requests`
/// times each, timed from request to the last byte.
struct CentralBenchmark {
    var sites: Int
    var days: Int
    var requests: Int
    var postgresURL: String?
    /// An SQLite file to generate into and keep, or to measure again without generating when it already holds
    /// a benchmark's sites (as a PostgreSQL database that holds one is).
    var database: String? = nil

    struct Result: Encodable {
        typealias Page = PageTiming
        var store: String
        var sites: Int
        var days: Int
        var records: Int
        var secondsToGenerate: Double
        var recordsPerSecondGenerating: Double
        var databaseMegabytes: Double
        var pages: [Page]
    }

    func run() async throws -> Result {
        if let postgresURL {
            return try await PostgresCentralStore.with(url: postgresURL) { store in
                try await run(on: store, name: "postgresql") {
                    try await store.databaseBytes()
                }
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("central-bench-\(UUID().uuidString)")
        defer { if database == nil { try? FileManager.default.removeItem(at: folder) } }
        let path = database ?? folder.appendingPathComponent("central.sqlite").path
        let store = try CentralStore(path: path)
        return try await run(on: store, name: "sqlite") {
            let files = [path, path + "-wal"]
            return files.compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }.reduce(
                0, +)
        }
    }

    func run(on store: any CentralStorage, name: String, size: () async throws -> Int) async throws -> Result {
        // A kept database is measured again as it is: its sites, in the order they were made.
        let earlier =
            database == nil && postgresURL == nil ? [] : try await store.knownSites().filter { $0.hasPrefix("cb") }
        let prefix =
            earlier.first.map { String($0.prefix { $0 != "-" }) + "-" }
            ?? "cb\(UUID().uuidString.prefix(5).lowercased())-"
        let zones = ["Europe/London", "America/Monterrey", "Asia/Kuala_Lumpur", "Europe/Madrid"].compactMap(
            TimeZone.init(identifier:))
        let sites = earlier.isEmpty ? self.sites : earlier.count
        let siteIDs = (0..<sites).map { "\(prefix)s\($0)" }
        let zoneOf = Dictionary(uniqueKeysWithValues: siteIDs.enumerated().map { ($1, zones[$0 % zones.count]) })
        let started = ContinuousClock.now
        let now = Date()
        let records = earlier.isEmpty ? try await generate(siteIDs, zoneOf: zoneOf, now: now, store: store) : 0
        let generated = (ContinuousClock.now - started).seconds
        // Four regions; an administrator sees them all.
        var regions: [CentralConfiguration.Region] = []
        let perRegion = max(1, sites / 4)
        for first in stride(from: 0, to: sites, by: perRegion) {
            let entries: [CentralConfiguration.SiteEntry] = siteIDs[first..<min(sites, first + perRegion)].map {
                CentralConfiguration.SiteEntry(id: $0, name: $0, siteFile: nil, keys: [])
            }
            regions.append(
                CentralConfiguration.Region(
                    id: "r\(regions.count)", name: "Region \(regions.count + 1)", currency: "GBP", sites: entries))
        }
        let user = "\(prefix)admin"
        try await store.saveUser(.init(name: user, passwordHash: "-", role: "administrator", scope: []))
        let session = Credentials.randomHex(32)
        try await store.startSession(
            user: user, tokenHash: Credentials.tokenHash(session), csrf: Credentials.randomHex(16),
            expires: now.addingTimeInterval(3600))
        let token = Credentials.randomHex(32)
        try await store.addToken(
            user: user, tokenHash: Credentials.tokenHash(token), at: now, expires: now.addingTimeInterval(3600))
        let server = CentralServer(
            store: store, configuration: CentralConfiguration(regions: regions), keys: KeyRing([]), timeZones: zoneOf)
        let paths = [
            ("/", false), ("/sites/\(siteIDs[sites / 2])", false), ("/compare?days=90", false),
            ("/v1/sites", true), ("/v1/sites/\(siteIDs[sites / 3])/findings", true),
            ("/v1/sites/\(siteIDs[sites / 3])/findings?status=closed&severity=major&offset=200", true),
            ("/v1/sites/\(siteIDs[sites / 3])/lots", true), ("/v1/sites/\(siteIDs[sites / 3])/kpis?days=90", true),
        ]
        let pages = try await server.serveOnLoopback { base in
            let client = URLSession(configuration: .ephemeral)
            var pages: [Result.Page] = []
            for (path, api) in paths {
                var request = URLRequest(url: URL(string: base.absoluteString + path)!)
                if api {
                    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                } else {
                    request.setValue("\(CentralServer.sessionCookie)=\(session)", forHTTPHeaderField: "Cookie")
                }
                pages.append(try await PageTiming.measure(request, path: path, session: client, requests: requests))
            }
            return pages
        }
        return Result(
            store: name, sites: sites, days: days, records: records, secondsToGenerate: generated,
            recordsPerSecondGenerating: Double(records) / generated,
            databaseMegabytes: Double(try await size()) / 1_048_576, pages: pages)
    }

    /// Every site's history, four sites at a time; returns the number of records stored.
    func generate(
        _ siteIDs: [String], zoneOf: [String: TimeZone], now: Date, store: any CentralStorage
    ) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            var total = 0
            func start() {
                guard next < siteIDs.count else { return }
                let site = siteIDs[next]
                let index = next
                next += 1
                group.addTask {
                    try await Self.generate(
                        site: site, index: index, days: days, zone: zoneOf[site]!, now: now, store: store)
                }
            }
            for _ in 0..<4 { start() }
            while let count = try await group.next() {
                total += count
                start()
            }
            return total
        }
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }

    /// One site's history, stored in batches of about a thousand records through `ingest`.
    static func generate(
        site: String, index: Int, days: Int, zone: TimeZone, now: Date, store: any CentralStorage
    ) async throws -> Int {
        var generator = SplitMix64(seed: UInt64(index + 1))
        func unit() -> Double { Double.random(in: 0..<1, using: &generator) }
        var batch: [CentralStore.IncomingRecord] = []
        var seq: Int64 = 0
        var findingID: Int64 = 0
        var count = 0
        func add(_ kind: String, _ recordClass: String, _ key: String, _ payload: String, _ at: Date) {
            seq += 1
            batch.append(
                .init(seq: seq, kind: kind, recordClass: recordClass, key: key, payload: payload, createdAt: at))
        }
        func flush(at: Date) async throws {
            guard let first = batch.first, let last = batch.last else { return }
            _ = try await store.ingest(
                site: site, epoch: "bench", first: first.seq, last: last.seq, records: batch, configVersion: 1,
                sentAt: at, now: at, zone: zone)
            count += batch.count
            batch.removeAll(keepingCapacity: true)
        }
        let firstDay = LocalDate(now.addingTimeInterval(-Double(days) * 86_400), in: zone)
        var day = firstDay
        for _ in 0..<days {
            let midnight = day.instant(in: zone)
            for hour in stride(from: 0, to: 24, by: 1) {
                let at = midnight.addingTimeInterval(Double(hour) * 3600 + 300)
                add(
                    "check_reading", "fact", "\(seq + 1)",
                    #"{"check":"site.chill","value":\#(3 + unit() * 2),"at":"\#(Instant.iso(at))","recordedBy":"amara"}"#,
                    at)
            }
            for shift in 0..<3 {
                for centre in ["oven-1", "packing"] {
                    let from = midnight.addingTimeInterval(Double(shift) * 8 * 3600)
                    let made = 2_000 + unit() * 800
                    let report = ProductionReport(
                        workCentre: centre, product: "loaf", order: "O-\(day)-\(shift)", from: from,
                        to: from.addingTimeInterval(8 * 3600), plannedSeconds: 8 * 3600,
                        downSeconds: unit() * 3600, good: made * 0.97, scrap: made * 0.03,
                        idealSecondsPerUnit: 10)
                    add("production", "fact", "\(seq + 1)", json(report), report.to)
                }
            }
            for order in 0..<5 {
                add(
                    "order", "state", "O-\(day)-\(order)",
                    #"{"id":"O-\#(day)-\#(order)","product":"loaf","quantity":2400,"due":"\#(Instant.iso(midnight.addingTimeInterval(86_400 * 2)))","status":"open"}"#,
                    midnight.addingTimeInterval(7 * 3600))
            }
            for lot in 0..<4 {
                let at = midnight.addingTimeInterval(Double(8 + lot * 3) * 3600)
                var value = Lot(id: "L-\(day)-\(lot)", product: "loaf", quantity: 2_400, producedAt: at)
                let held = unit() < 0.1
                if held { value.status = .onHold }
                add("lot", "state", value.id, json(value), at)
                if held && day < LocalDate(now, in: zone) {
                    value.status = .released
                    add("lot", "state", value.id, json(value), at.addingTimeInterval(4 * 3600))
                }
            }
            let raised = unit() < 0.5 ? 1 : unit() < 0.5 ? 2 : 0
            for _ in 0..<raised {
                findingID += 1
                let at = midnight.addingTimeInterval(9 * 3600 + unit() * 8 * 3600)
                let severity: Severity = unit() < 0.1 ? .critical : unit() < 0.5 ? .major : .minor
                var finding = Finding(
                    id: findingID, rule: "food_processing.ccp.chill", severity: severity,
                    subject: .init(.workCentre, "walk-in-chiller"), message: "chill above 5 °C",
                    actions: [FindingAction(.correctiveAction, "move stock, call maintenance")], raisedAt: at,
                    key: unit() < 0.2 ? "overdue:chill" : nil)
                add("finding", "state", String(findingID), json(finding), at)
                if at < now.addingTimeInterval(-2 * 86_400) || unit() < 0.5 {
                    finding.status = .closed
                    finding.closedBy = "priya"
                    finding.closedAt = at.addingTimeInterval(3600)
                    add("finding", "state", String(findingID), json(finding), at.addingTimeInterval(3600))
                }
            }
            for plan in 0..<2 {
                let at = midnight.addingTimeInterval(Double(5 + plan * 8) * 3600)
                let late = unit() < 0.3 ? 1 : 0
                let summary = ScheduleSummary(
                    createdAt: at, from: at, horizonSeconds: 14 * 86_400, orders: 20, operations: 40,
                    late: (0..<late).map {
                        .init(order: "O-\($0)", due: at, end: at, lateSeconds: 1800, reasons: ["oven-1 busy"])
                    },
                    changeoverMinutes: 30, end: at.addingTimeInterval(86_400))
                var rows: [ScheduleRow] = []
                for operation in 0..<40 {
                    let baking = operation % 2 == 0
                    let start = at.addingTimeInterval(Double(operation) * 1800)
                    rows.append(
                        ScheduleRow(
                            kind: .operation, order: "O-\(day)-\(operation / 2)", operation: baking ? "bake" : "pack",
                            product: "loaf", workCentre: baking ? "oven-1" : "packing", unit: 1, start: start,
                            end: start.addingTimeInterval(1800)))
                }
                add("schedule", "state", "current", json(ScheduleSnapshot(summary: summary, rows: rows)), at)
            }
            for cost in 0..<3 {
                let at = midnight.addingTimeInterval(Double(10 + cost) * 3600)
                add(
                    "cost", "fact", "\(seq + 1)",
                    json(
                        CostEntry(
                            amount: 200 + unit() * 300, currency: "GBP",
                            category: ["labour", "energy", "materials"][cost], at: at)),
                    at)
            }
            if unit() < 0.05 {
                let at = midnight.addingTimeInterval(14 * 3600)
                add(
                    "incident", "fact", "I-\(day)",
                    json(
                        Incident(
                            id: "I-\(day)", kind: "slip", severity: unit() < 0.3 ? .major : .minor,
                            description: "wet floor", at: at)),
                    at)
            }
            if batch.count >= 1_000 { try await flush(at: midnight.addingTimeInterval(86_399)) }
            day = day.next(in: zone)
        }
        try await flush(at: now)
        return count
    }
}
