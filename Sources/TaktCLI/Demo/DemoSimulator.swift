import Foundation
import TaktCentralStore
import TaktCore
import TaktHost
import TaktScheduling
import TaktStore
import TaktSync

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Drives the three sites through a working day (06:00–22:00 site-local) in accelerated time. Every event goes
/// through `SiteHost` — the same rules, store and outbox as real use — and the site processes sync it.
struct DemoSimulator {
    let world: DemoWorld
    let realSeconds: Double
    let stop: StopFlag
    /// Days of history before the demo's day (`DemoHistory`).
    var historyDays = 28

    struct Report {
        var lines: [String] = []
        var problems: [String] = []
        var ok: Bool { problems.isEmpty }
        var summary: String { (lines + problems.map { "PROBLEM: \($0)" }).joined(separator: "\n") }
    }

    /// The simulated day's clock for one site: the hosts judge "not in the future" against it, as a real site
    /// judges against the wall clock.
    final class SimulatedClock: @unchecked Sendable {
        private let lock = NSLock()
        private var current: Date

        init(_ start: Date) { current = start }

        var now: Date {
            get { lock.withLock { current } }
            set { lock.withLock { current = newValue } }
        }
    }

    final class SiteRun {
        let id: String
        let host: SiteHost
        let clock: SimulatedClock
        let zone: TimeZone
        let start: Date
        var produced: Set<String> = []
        var plans = 0
        var late = 0
        var lastLot: String?
        /// Readings the simulator sends through the site's API (Monterrey's torque audits), not the library.
        var viaAPI: [(check: String, value: Double, lot: String?, workCentre: String)] = []
        var sentViaAPI = 0
        var apiFailures: [String] = []
        /// The site app's address and a token of the person recording, once the site process serves it.
        var app: (url: URL, token: String)?

        init(id: String, host: SiteHost, clock: SimulatedClock) {
            self.id = id
            self.host = host
            self.clock = clock
            zone = host.definition.timeZone
            start = Self.start(in: zone)
            clock.now = start
        }

        /// 06:00 today, site-local: when the simulated day starts.
        static func start(in zone: TimeZone) -> Date {
            LocalDate(Date(), in: zone).instant(at: LocalTime(hour: 6, minute: 0), in: zone)
        }

        func at(_ hour: Double) -> Date { start.addingTimeInterval(hour * 3600) }
    }

    func run() async throws -> Report {
        let registry = try Takt.modules()
        let runs = try DemoWorld.sites.map { site in
            let clock = SimulatedClock(Date())
            return SiteRun(
                id: site,
                host: try SiteHost.open(
                    path: world.sitePath(site), dataDirectory: world.dataDirectory, registry: registry,
                    clock: { clock.now }), clock: clock)
        }
        var tokens: [String: String] = [:]
        for run in runs { tokens[run.id] = try world.addAppUsers(run.host) }
        try world.startSites()
        let appURLs = await world.siteAppURLs()
        for run in runs {
            if let url = appURLs.first(where: { $0.0 == run.id }).flatMap({ URL(string: $0.1) }),
                let token = tokens[run.id]
            {
                run.app = (url, token)
            }
        }
        for (site, url) in appURLs {
            let users = DemoWorld.appUsers(site).map { user in
                "\(user.role.rawValue) \(user.staff) / "
                    + (user.role.usesPIN ? "PIN \(DemoWorld.pin)" : DemoWorld.password)
            }
            say("site app of \(site): \(url) — " + users.joined(separator: ", "))
        }
        if historyDays > 0 {
            for run in runs {
                let events = try DemoHistory(days: historyDays).fill(run)
                say("\(run.id): \(historyDays) days of history before today (\(events) events)")
            }
        }
        for run in runs { try prepare(run) }
        let hours = 16
        for hour in 0..<hours {
            if stop.isStopped { break }
            let tick = ContinuousClock.now
            for run in runs {
                try simulate(run, hour: hour)
                await sendViaAPI(run)
            }
            if hour == 5 { world.link("monterrey-assembly", up: false) }
            if hour == 9 { world.link("monterrey-assembly", up: true) }
            printProgress(runs, hour: hour)
            let spent = tick.duration(to: .now)
            let slot = Duration.milliseconds(Int(realSeconds / Double(hours) * 1000))
            if spent < slot { try await Task.sleep(for: slot - spent) }
        }
        world.link("monterrey-assembly", up: true)
        return try await check(runs)
    }

    // MARK: the day

    func orders(for site: String, day: Date, zone: TimeZone) -> String {
        let date = LocalDate(day, in: zone).description
        switch site {
        case "leeds-bakery":
            return """
                id,product,quantity,due,priority
                LB-101,white-loaf,1500,\(date)T11:00,2
                LB-102,cheese-roll,2000,\(date)T12:00,1
                LB-103,seeded-loaf,1000,\(date)T13:00,1
                LB-104,white-loaf,1800,\(date)T16:00,1
                LB-105,seeded-loaf,1200,\(date)T18:00,1
                LB-106,cheese-roll,1500,\(date)T20:00,1
                """
        case "penang-smt":
            return """
                id,product,quantity,due,priority
                PG-201,power-board-b,120,\(date)T14:00,2
                PG-202,power-board-b,200,\(date)T20:00,1
                PG-203,power-board-b,150,\(date)T23:00,1
                PG-204,ctrl-board-a,100,\(date)T22:00,1
                """
        default:
            return """
                id,product,quantity,due,priority
                MX-301,mc-200,40,\(date)T10:00,2
                MX-302,mc-200,60,\(date)T14:00,1
                MX-303,mc-200,50,\(date)T20:00,1
                MX-304,mc-400,30,\(date)T21:00,1
                """
        }
    }

    /// Runs a module's command at the site with `values`, as `takt reels add --id …` would.
    func module(_ run: SiteRun, _ names: [String], _ values: [String: String], flags: Set<String> = []) throws {
        guard let line = ModuleCommandLine.match(names, in: try Takt.modules()), line.rest.isEmpty else {
            throw CommandFailure(message: "this takt has no module command '\(names.joined(separator: " "))'", code: 1)
        }
        _ = try line.command.run(CommandInput(values: values, flags: flags, timeZone: run.zone), at: run.host)
    }

    func prepare(_ run: SiteRun) throws {
        _ = try run.host.importOrders(
            csv: orders(for: run.id, day: run.start, zone: run.zone), file: "demo orders", at: run.at(0))
        switch run.id {
        case "leeds-bakery":
            try run.host.addLot(
                Lot(
                    id: "LOT-STOCK", product: "white-loaf", quantity: 800, producedAt: run.at(-10),
                    expiresAt: run.at(60)), at: run.at(0))
            run.lastLot = "LOT-STOCK"
        case "penang-smt":
            // Reels belong to the electronics_assembly module: the demo uses its commands, as a person would.
            try module(run, ["reels", "add"], ["id": "R-STM32", "part": "STM32G0-QFN48", "level": "3"])
            try module(
                run, ["reels", "add"], ["id": "R-BGA", "part": "BGA-WIFI", "level": "6", "label-floor-life": "6h"])
        default:
            try run.host.addLot(
                Lot(id: "LOT-MX-0", product: "mc-200", quantity: 20, producedAt: run.at(-2)), at: run.at(0))
            run.lastLot = "LOT-MX-0"
        }
        try plan(run, hour: 0, outage: nil)
    }

    func plan(_ run: SiteRun, hour: Double, outage: PlantProblemBuilder.Outage?, rush: [String] = []) throws {
        let limits = SearchLimits(timeLimit: .milliseconds(700), seed: 7, workers: 1)
        let result =
            if outage != nil || !rush.isEmpty {
                try run.host.replan(
                    .init(outages: outage.map { [$0] } ?? [], rush: rush), from: run.at(hour), horizon: .hours(35 * 24),
                    limits: limits, now: run.at(hour))
            } else {
                try run.host.plan(from: run.at(hour), horizon: .hours(35 * 24), limits: limits, now: run.at(hour))
            }
        run.plans += 1
        run.late = result.summary.late.count
    }

    func record(
        _ run: SiteRun, _ check: RuleID, _ value: Double, hour: Double, lot: String? = nil, at centre: String? = nil,
        by: String, held: TimeSpan? = nil
    ) {
        _ = try? run.host.record(
            CheckReading(
                check: check, value: value, lot: lot, workCentre: centre, recordedBy: by, heldFor: held,
                at: run.at(hour)))
    }

    func simulate(_ run: SiteRun, hour: Int) throws {
        let h = Double(hour)
        run.clock.now = run.at(h + 1)
        try reportProduction(run, until: run.at(h))
        switch run.id {
        case "leeds-bakery":
            let chill = hour == 4 ? 6.2 : 3.4 + Double(hour % 3) * 0.3
            record(
                run, "food_processing.ccp.chill", chill, hour: h + 0.1, lot: run.lastLot, at: "walk-in-chiller",
                by: hour == 6 ? "tom" : "amara")
            if hour % 2 == 0 {
                record(
                    run, "food_processing.ccp.cook", 78, hour: h + 0.2, lot: run.lastLot, at: "oven-1", by: "amara",
                    held: TimeSpan(seconds: 40))
            }
            for piece in ["ferrous", "non_ferrous", "stainless"] {
                record(
                    run, RuleID(stringLiteral: "food_processing.ccp.metal.\(piece)"), 1, hour: h + 0.3,
                    at: "packing-line", by: "amara")
            }
            if hour == 3 { record(run, "food_processing.allergen.swab", 1, hour: h + 0.4, at: "mixer-1", by: "amara") }
            if hour == 7 {
                // A customer's rush order arrives and the plan is redone around the work already started.
                let date = LocalDate(run.start, in: run.zone).description
                let csv = "id,product,quantity,due,priority\nLB-107,white-loaf,900,\(date)T17:00,3\n"
                _ = try run.host.importOrders(csv: csv, file: "rush order", at: run.at(h))
                try plan(run, hour: h, outage: nil, rush: ["LB-107"])
            }
            if hour == 9 {
                try plan(
                    run, hour: h,
                    outage: .init(
                        workCentre: "oven-1", from: run.at(h), to: run.at(h + 2),
                        reason: "oven-1 burner fault (breakdown)"))
            }
        case "penang-smt":
            if hour == 0 || hour == 8 {
                record(run, "electronics_assembly.esd.wrist_strap", 1.2e6, hour: h, at: "placer-1", by: "siti")
                record(run, "electronics_assembly.esd.footwear", 4.5e7, hour: h, at: "placer-1", by: "siti")
                record(
                    run, "electronics_assembly.esd.footwear", hour == 0 ? 2.3e9 : 6.1e7, hour: h + 0.05, at: "placer-1",
                    by: "kumar")
            }
            if hour == 1 {
                record(run, "electronics_assembly.esd.footwear", 6.1e7, hour: h, at: "placer-1", by: "kumar")
            }
            // Siti's reflow profile readings go through the site's API, as the oven's logger would send them.
            if hour % 4 == 0 { run.viaAPI.append(("site.reflow.peak_temp", 243, nil, "reflow-1")) }
            let reelEvents: [Int: (String, String)] = [
                1: ("R-STM32", "open"), 2: ("R-BGA", "bake"), 3: ("R-BGA", "open"), 10: ("R-BGA", "use"),
            ]
            if let (reel, kind) = reelEvents[hour] {
                var values = ["event": kind, "id": reel, "by": "siti", "at": Instant.isoLocal(run.at(h), in: run.zone)]
                if kind == "use" { values["work-centre"] = "placer-1" }
                // Level 6 is baked as its label says (J-STD-033 table 4-1 has no row for it), and recorded so.
                if kind == "bake" { values.merge(["temperature": "125", "duration": "4h"]) { $1 } }
                try? module(run, ["reels", "record"], values, flags: kind == "bake" ? ["per-label"] : [])
            }
        default:
            if hour == 0 {
                record(run, "electronics_assembly.esd.wrist_strap", 1.1e6, hour: h, at: "assembly-1", by: "lucia")
                record(run, "electronics_assembly.esd.footwear", 3.8e7, hour: h, at: "assembly-1", by: "lucia")
            }
            if hour % 2 == 1 {
                record(run, "site.torque.audit", 2.5, hour: h, lot: run.lastLot, at: "torque-station", by: "lucia")
            }
            if hour == 6 {
                record(
                    run, "site.torque.audit", 2.6, hour: h + 0.5, lot: run.lastLot, at: "torque-station", by: "diego")
            }
        }
        _ = try run.host.sweep(at: run.at(h + 0.9))
    }

    /// Posts the readings waiting for the site's API; they are recorded at the site process's own time.
    func sendViaAPI(_ run: SiteRun) async {
        let pending = run.viaAPI
        run.viaAPI = []
        guard !pending.isEmpty else { return }
        guard let app = run.app else {
            run.apiFailures.append("\(run.id): no site app to send \(pending.count) reading(s) to")
            return
        }
        for reading in pending {
            var request = URLRequest(url: app.url.appendingPathComponent("api/v1/readings"))
            request.httpMethod = "POST"
            request.setValue("Bearer \(app.token)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            var body: [String: Any] = [
                "check": reading.check, "value": reading.value, "workCentre": reading.workCentre,
            ]
            if let lot = reading.lot { body["lot"] = lot }
            request.httpBody = try? JSONSerialization.data(withJSONObject: body)
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                guard (response as? HTTPURLResponse)?.statusCode == 201 else {
                    run.apiFailures.append("\(run.id): the site API answered \(String(decoding: data, as: UTF8.self))")
                    continue
                }
                run.sentViaAPI += 1
            } catch {
                run.apiFailures.append("\(run.id): the site API did not answer: \(error)")
            }
        }
    }

    /// Orders whose last operation has ended are reported produced: a lot each.
    func reportProduction(_ run: SiteRun, until now: Date) throws {
        guard let schedule = try run.host.store.currentSchedule() else { return }
        var ends: [String: (Date, String)] = [:]
        for row in schedule.rows where row.kind == .operation {
            if let current = ends[row.order], current.0 >= row.end { continue }
            ends[row.order] = (row.end, row.product)
        }
        let orders = Dictionary(try run.host.openOrders().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        guard !orders.isEmpty else { return }
        for (order, (end, product)) in ends.sorted(by: { $0.value.0 < $1.value.0 })
        where end <= now && !run.produced.contains(order) && orders[order] != nil {
            let lot = "LOT-\(order)"
            let shelfLife: TimeInterval? = run.id == "leeds-bakery" ? 3 * 86_400 : nil
            try run.host.addLot(
                Lot(
                    id: lot, product: product, quantity: orders[order]?.quantity ?? 1, producedAt: end,
                    expiresAt: shelfLife.map { end.addingTimeInterval($0) }),
                at: end)
            // Production is reported per operation as planned: 2 % scrap, and the oven's breakdown as down time.
            for row in schedule.rows where row.kind == .operation && row.order == order {
                let quantity = orders[order]?.quantity ?? 1
                let down: TimeSpan =
                    run.id == "leeds-bakery" && row.workCentre == "oven-1" && row.start < run.at(11)
                        && row.end > run.at(9)
                    ? .minutes(30) : TimeSpan(seconds: 0)
                _ = try? run.host.reportProduction(
                    workCentre: row.workCentre, product: row.product, order: order, good: (quantity * 0.98).rounded(),
                    scrap: (quantity * 0.02).rounded(), from: row.start, to: row.end, down: down)
            }
            try run.host.completeOrder(order, at: end)
            run.produced.insert(order)
            run.lastLot = lot
        }
    }

    func printProgress(_ runs: [SiteRun], hour: Int) {
        let parts = runs.map { run -> String in
            let status = try? run.host.store.syncStatus(now: Date())
            let findings = (try? run.host.findings(openOnly: true).count) ?? 0
            let orders = (try? run.host.openOrders().count) ?? 0
            return
                "\(run.id): \(run.produced.count)/\(orders + run.produced.count) orders done, \(run.late) late, \(findings) open findings, outbox \(status?.outboxDepth ?? 0)"
        }
        let line = String(format: "[%02d:00] ", 6 + hour) + parts.joined(separator: " | ") + "\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    // MARK: the checks at the end

    func check(_ runs: [SiteRun]) async throws -> Report {
        var report = Report()
        for run in runs {
            report.problems += run.apiFailures
            if run.sentViaAPI > 0 {
                report.lines.append("\(run.id): \(run.sentViaAPI) readings sent through the site API")
            }
        }
        if !runs.contains(where: { $0.sentViaAPI > 0 }) { report.problems.append("no reading went through a site API") }
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            let waiting = runs.map { (try? $0.host.store.syncStatus(now: Date()).outboxDepth) ?? 1 }.reduce(0, +)
            if waiting == 0 { break }
            try await Task.sleep(for: .milliseconds(300))
        }
        let central = try CentralStore(path: world.folder.appendingPathComponent("central/central.sqlite").path)
        for run in runs {
            let local = try run.host.store.outbox(after: 0, limit: Int.max)
            let verification = SyncVerification(
                local: local.map(\.verifiable), central: try await central.records(site: run.id).map(\.verifiable),
                epoch: run.host.store.epoch, requireFacts: true)
            report.lines.append(
                "\(run.id): \(run.produced.count) orders produced, \(run.late) late in the last plan, \(run.plans) plan(s); \(verification.summary)"
            )
            report.problems += verification.problems.prefix(5).map { "\(run.id): \($0)" }
            let findings = try run.host.findings(openOnly: false)
            let expected: [(String, (Finding) -> Bool)]
            switch run.id {
            case "leeds-bakery":
                expected = [
                    (
                        "a chiller breach put a lot on hold",
                        { $0.rule == "food_processing.ccp.chill" && $0.actions.contains { $0.kind == .holdLot } }
                    ),
                    ("an expired certificate was flagged", { $0.rule == "food_processing.people.ccp_recorder" }),
                ]
            case "penang-smt":
                expected = [
                    ("a failed ESD test blocked the operator", { $0.actions.contains { $0.kind == .blockOperator } }),
                    (
                        "a reel past its floor life was blocked",
                        { $0.actions.contains { $0.kind.rawValue == "block_reel" } }
                    ),
                ]
            default:
                expected = [("an unqualified torque audit was flagged", { $0.rule == "site.torque_auditor" })]
            }
            for (label, test) in expected where !findings.contains(where: test) {
                report.problems.append("\(run.id): expected that \(label)")
            }
            if run.plans < (run.id == "leeds-bakery" ? 3 : 1) {
                report.problems.append("\(run.id): the schedule was not (re)planned")
            }
            if run.produced.isEmpty, !stop.isStopped {
                report.problems.append("\(run.id): the day produced no order (is the site's calendar open today?)")
            }
        }
        // Caught up: central heard from Monterrey and acknowledged everything its outbox holds.
        if let monterrey = runs.first(where: { $0.id == "monterrey-assembly" }) {
            let contact = try await central.contact(site: monterrey.id)
            let acknowledged = try await central.cursor(site: monterrey.id, epoch: monterrey.host.store.epoch)
            let last = try monterrey.host.store.outbox(after: 0, limit: Int.max).last?.seq ?? 0
            if contact?.lastHeardAt == nil || last == 0 || acknowledged < last {
                report.problems.append(
                    "monterrey-assembly did not catch up after its link came back (central has \(acknowledged) of \(last))"
                )
            }
        }
        report.lines.append(
            report.ok
                ? "all checks passed: every site produced, every record arrived once, findings and holds happened, schedules valid"
                : "")
        return report
    }
}
