import Foundation
import GRDB
import Synchronization
import Testing

@testable import BuiltinModules
@testable import ElectronicsAssembly
@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// Reels are the module's own records: a database an earlier build wrote, with reels in the core's tables, is
/// taken over by the module's migrations; planning gets their floor life as part stock.
@Suite struct ReelRecordsTests {
    static let site = """
        site: {id: penang, name: Penang, region: apac, time_zone: Asia/Kuala_Lumpur, currency: MYR}
        work_centres: [{id: placer}]
        products: [{id: board, attributes: {parts: [QFN48]}}]
        staff: [{id: siti, name: Siti}]
        modules:
          electronics_assembly:

        """

    @Test func reelsAnEarlierBuildKeptInTheCoreAreAdoptedWithTheirHistory() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString).sqlite")
            .path
        // The database as release 0.3 left it: reels in the core's tables.
        do {
            let queue = try DatabaseQueue(path: path)
            try SiteStore.coreMigrator.migrate(queue, upTo: "v5-production")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO meta (key, value) VALUES ('site_id', 'penang'), ('epoch', 'old'), ('created_at', '0');
                        INSERT INTO reels (id, part, level, label_floor_life_seconds, exposed_seconds, opened_at, baked_at)
                        VALUES ('R1', 'QFN48', '3', NULL, 3600.5, '2026-11-24 08:00:00.000', NULL),
                               ('R6', 'BGA', '6', 21600, 0, NULL, '2026-11-20 10:30:00.000');
                        INSERT INTO reel_events (reel_id, kind, work_centre, by, at)
                        VALUES ('R1', 'open', NULL, 'siti', '2026-11-24 08:00:00.000'),
                               ('R1', 'use', 'placer', NULL, '2026-11-24 09:00:00.000');
                        """)
            }
        }
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: Self.site, file: "site.yaml")
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: path, siteID: "penang", recordKinds: definition.recordKinds))
        #expect(
            try host.store.appliedMigrations().filter { $0.hasPrefix("electronics_assembly") }.sorted() == [
                "electronics_assembly.reel.adopt-reels", "electronics_assembly.reel.v1",
                "electronics_assembly.reel_event.adopt-reel_events", "electronics_assembly.reel_event.v1",
            ])
        let zone = TimeZone(identifier: "UTC")!
        let reels = try host.all(Reel.records)
        #expect(reels.map(\.id) == ["R1", "R6"])
        #expect(reels[0].exposedSeconds == 3600.5 && reels[0].openedAt == Instant.parse("2026-11-24T08:00Z", in: zone))
        #expect(
            reels[1].labelFloorLife == .hours(6) && reels[1].bakedAt == Instant.parse("2026-11-20T10:30Z", in: zone))
        #expect(try host.records(ReelEvent.records, where: "reel", equals: "R1").map(\.kind) == [.open, .use])
        #expect(
            try host.store.pool.read { db in try db.tableExists("reels") || db.tableExists("reel_events") } == false)
        // The adopted reel goes on as before: storing it stops its exposure.
        let stored = try Reels.record(
            ReelEvent(reel: "R1", kind: .store, at: Instant.parse("2026-11-24T10:00Z", in: zone)!), at: host)
        #expect(stored.reel.exposedSeconds == 3600.5 + 2 * 3600)
    }

    @Test func planningSeesEachUsableReelsFloorLifeAsPartStock() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let open = Reel(id: "R1", part: "QFN48", level: .level5a, exposedSeconds: 3600, openedAt: now)
        let dry = Reel(id: "R2", part: "QFN48", level: .level3)
        let blocked = Reel(id: "R3", part: "QFN48", level: .level4, openedAt: now)
        let stock = Reels.stock(
            [open, dry, blocked], blocks: [Block(kind: .blockReel, target: "R3", finding: 1, since: now)],
            from: now.addingTimeInterval(3600))
        #expect(stock.map(\.part) == ["QFN48"])
        #expect(
            stock.first?.units == [
                .init(id: "R1", remaining: 22 * 3600, running: true),
                .init(id: "R2", remaining: 168 * 3600, running: false),
            ])
    }
}

extension ReelRecordsTests {
    /// Two tablets opening the same reel at the same moment: one is stored, the other refused; the reel is open
    /// once and its history says so once.
    @Test func aReelOpenedTwiceAtOnceIsOpenedOnce() throws {
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: Self.site, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID().uuidString).sqlite")
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "penang", recordKinds: definition.recordKinds))
        let at = Date().addingTimeInterval(-60)
        _ = try Reels.add(Reel(id: "R1", part: "QFN48", level: .level3), at: host, now: at)
        let outcomes = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let outcome: String
            do {
                _ = try Reels.record(ReelEvent(reel: "R1", kind: .open, at: at), at: host)
                outcome = "opened"
            } catch {
                outcome = "\(error)"
            }
            outcomes.withLock { $0.append(outcome) }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.filter { $0 == "opened" }.count == 1, "\(all)")
        #expect(
            all.filter { $0 != "opened" }.allSatisfy {
                $0.contains("changed while this was being recorded") || $0.contains("already out of dry storage")
            })
        #expect(try host.records(ReelEvent.records, where: "reel", equals: "R1").count == 1)
    }
}

extension ReelRecordsTests {
    /// Two tablets adding the same new reel at once: one reel, added once; the other is told it exists.
    @Test func aReelAddedTwiceAtOnceIsAddedOnce() throws {
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: Self.site, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("add-\(UUID().uuidString).sqlite")
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "penang", recordKinds: definition.recordKinds))
        let outcomes = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            let outcome: String
            do {
                _ = try Reels.add(
                    Reel(id: "R1", part: "QFN48-\(index)", level: .level3), at: host,
                    now: Date().addingTimeInterval(-60))
                outcome = "added"
            } catch {
                outcome = "\(error)"
            }
            outcomes.withLock { $0.append(outcome) }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.filter { $0 == "added" }.count == 1, "\(all)")
        #expect(all.filter { $0 != "added" }.allSatisfy { $0.contains("already exists") })
        #expect(try host.store.outbox().filter { $0.kind == "electronics_assembly.reel" }.count == 1)
    }
}

extension ReelRecordsTests {
    /// A delivery of a moisture-sensitive item becomes a reel with the item's level, in dry storage, the moment it
    /// is received; an item with no level is no reel; a level that does not exist is refused when the site loads.
    @Test func aReceivedMoistureSensitiveLotIsAReel() throws {
        let text =
            Self.site + """
                items:
                  - {id: qfn48, unit: pcs, attributes: {msl: [3]}}
                  - {id: bga-256, unit: pcs, attributes: {msl: [6], label_floor_life: [6h]}}
                  - {id: resistor, unit: pcs}
                suppliers:
                  - {id: arrow, items: {qfn48: approved, bga-256: approved, resistor: approved}}
                """
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("receipt-\(UUID().uuidString).sqlite")
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "penang", recordKinds: definition.recordKinds))
        let at = Date().addingTimeInterval(-60)
        for (lot, item) in [("RL-1", "qfn48"), ("RL-2", "bga-256"), ("RS-1", "resistor")] {
            _ = try host.receive(
                .init(lot: lot, item: item, quantity: 3000, supplier: "arrow", supplierLot: "D2548", at: at))
        }
        let reels = try host.all(Reel.records)
        #expect(reels.map(\.id) == ["RL-1", "RL-2"])
        #expect(reels[0].level == .level3 && reels[0].part == "qfn48" && reels[0].openedAt == nil)
        #expect(reels[1].labelFloorLife == .hours(6))
        // The same lot id twice: refused before anything is written, reel and lot alike.
        #expect(throws: HostError.self) {
            try host.receive(
                .init(lot: "RL-1", item: "qfn48", quantity: 1, supplier: "arrow", supplierLot: "X", at: at))
        }
        #expect(try host.all(Reel.records).count == 2)
        #expect(throws: HostError.self) {
            try SiteLoader(registry: try BuiltinModules.registry()).load(
                text: text.replacingOccurrences(of: "msl: [3]", with: "msl: [7]"), file: "site.yaml")
        }
    }
}

extension ReelRecordsTests {
    /// Central's summary of a site's reels tells a wet reel (its bag said bake) from one past its floor life, and
    /// neither is "the least floor life left".
    @Test func centralsReelSummaryCountsWetReelsApart() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let reels = [
            Reel(id: "OK", part: "QFN48", level: .level3, openedAt: now.addingTimeInterval(-3600)),
            Reel(id: "SPENT", part: "QFN48", level: .level3, openedAt: now.addingTimeInterval(-200 * 3600)),
            Reel(id: "WET", part: "QFN48", level: .level3, openedAt: now.addingTimeInterval(-60), wet: true),
        ]
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let rows = try reels.map { reel in
            (version: 1, json: String(decoding: try encoder.encode(reel), as: UTF8.self))
        }
        let lines = try ReelProjection.projection.lines(for: rows, now: now)
        let values = Dictionary(uniqueKeysWithValues: lines.map { ($0.label, $0.value) })
        #expect(values["past floor life (J-STD-033)"] == "1")
        #expect(values["wet on opening: bake before use"] == "1")
        #expect(values["least floor life left"] == "OK (QFN48): 167 h")
    }
}

extension ReelRecordsTests {
    func host(_ name: String) throws -> SiteHost {
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: Self.site, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).sqlite")
        return SiteHost(
            definition: definition,
            store: try SiteStore(path: path.path, siteID: "penang", recordKinds: definition.recordKinds))
    }

    /// `takt reels record` and the site app's form with what people and scripts get wrong: each is refused with
    /// the option named, and nothing is recorded.
    @Test func badBakeAndBagInputIsRefusedAndNothingIsRecorded() throws {
        let host = try host("hostile")
        let at = Date().addingTimeInterval(-3600)
        _ = try Reels.add(Reel(id: "R1", part: "QFN48", level: .level3, thickness: 1.2), at: host, now: at)
        let zone = host.definition.timeZone
        let cases: [([String: String], String)] = [
            (["event": "bake", "temperature": "hot", "duration": "9h"], "--temperature: 'hot' is not a number"),
            (["event": "bake", "temperature": "nan", "duration": "9h"], "--temperature: 'nan' is not a number"),
            (["event": "bake", "temperature": "", "duration": "9h"], "--temperature: '' is not a number"),
            (["event": "bake", "temperature": "-40", "duration": "9h"], "is not an oven temperature"),
            (["event": "bake", "temperature": "1e308", "duration": "9h"], "is not an oven temperature"),
            (["event": "bake", "temperature": "125", "duration": "0h"], "a bake must last longer than 0"),
            (["event": "bake", "temperature": "125", "duration": "soon"], "--duration: 'soon' is not a duration"),
            (["event": "bake", "temperature": "90", "duration": "9h", "humidity": "101"], "is not between 0 and 100"),
            (["event": "open", "humidity": "-1"], "is not between 0 and 100"),
            (["event": "open", "sealed": "2026-02-30"], "--sealed: '2026-02-30' is not a date"),
            (["event": "open", "sealed": "9999-12-31"], "cannot be opened before that"),
        ]
        for (values, message) in cases {
            let input = CommandInput(
                values: values.merging(["id": "R1", "at": Instant.isoLocal(at, in: zone)]) { a, _ in a },
                timeZone: zone, positionals: ["event"])
            do {
                _ = try ReelsCommand.record.run(input, at: host)
                Issue.record("\(values) was accepted")
            } catch {
                #expect("\(error)".contains(message), "\(values): \(error)")
            }
        }
        #expect(try host.records(ReelEvent.records, where: "reel", equals: "R1").isEmpty)
        #expect(try host.latest(Reel.records, key: "R1")?.openedAt == nil)
        // Absurd reel figures at `takt reels add`.
        for (values, message) in [
            (["thickness": "0"], "is not a package body thickness"), (["thickness": "-2"], "is not a package body"),
            (["thickness": "1e9"], "is not a package body thickness"), (["max-bakes": "-1"], "must not be negative"),
            (["max-bakes": "2.5"], "--max-bakes: '2.5' is not a whole number"),
        ] {
            let input = CommandInput(
                values: values.merging(["id": "R2", "part": "QFN48", "level": "3"]) { a, _ in a }, timeZone: zone)
            do {
                _ = try ReelsCommand.add.run(input, at: host)
                Issue.record("\(values) was accepted")
            } catch {
                #expect("\(error)".contains(message), "\(values): \(error)")
            }
        }
        #expect(try host.latest(Reel.records, key: "R2") == nil)
    }

    /// Two tablets recording the same qualifying bake of a reel the supplier allows one bake: it is counted once.
    @Test func aBakeRecordedTwiceAtOnceIsCountedOnce() throws {
        let host = try host("bake-race")
        let at = Date().addingTimeInterval(-60)
        _ = try Reels.add(
            Reel(id: "R1", part: "QFN48", level: .level3, thickness: 1.2, maxBakes: 1), at: host,
            now: at.addingTimeInterval(-3600))
        let outcomes = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let outcome: String
            do {
                // A second apart, so each refusal is a finding of its own.
                let result = try Reels.record(
                    ReelEvent(
                        reel: "R1", kind: .bake, at: at.addingTimeInterval(Double(index)), temperature: 125,
                        duration: .hours(7)), at: host)
                outcome = result.findings.isEmpty ? "baked" : "refused"
            } catch {
                outcome = "\(error)"
            }
            outcomes.withLock { $0.append(outcome) }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.filter { $0 == "baked" }.count == 1, "\(all)")
        #expect(try host.latest(Reel.records, key: "R1")?.bakes == 1)
    }
}
