import Foundation
import TaktScheduling
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

@Suite struct SiteHostTests {
    let now = Instant.parse("2026-11-25T10:00:00Z", in: TimeZone(identifier: "UTC")!)!

    func host() throws -> SiteHost {
        let text =
            SiteLoaderTests.header + """
                modules:
                  test_chill:
                work_centres:
                  - id: chiller
                products:
                  - id: loaf
                staff:
                  - id: amara
                    name: Amara
                rules:
                  checks:
                    - id: site.core
                      name: Core temperature
                      unit: °C
                      min: 75
                      work_centres: [chiller]
                      on_breach: [hold_lot, block_work_centre]
                      corrective_action: Re-cook or reject.
                """
        let definition = try SiteLoader(registry: testRegistry).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("host-\(UUID().uuidString).sqlite")
            .path
        return SiteHost(definition: definition, store: try SiteStore(path: path, siteID: definition.site.id))
    }

    /// A schedule the validator refuses is kept beside the database as documents the checker reads, for a bug report.
    @Test func aRefusedScheduleIsKeptForABugReport() throws {
        let text =
            SiteLoaderTests.header + """
                work_centres:
                  - id: mixer
                products:
                  - id: loaf
                    routing:
                      - {id: mix, work_centres: [mixer], seconds_per_unit: 6}
                      - {id: bake, work_centres: [mixer], seconds_per_unit: 6, after: [mix]}
                """
        let definition = try SiteLoader(registry: testRegistry).load(text: text, file: "site.yaml")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("refused-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: folder.appendingPathComponent("s.sqlite").path, siteID: definition.site.id))
        _ = try host.importOrders(csv: "id,product,quantity,due\nO-1,loaf,100,2026-11-26T10:00\n", file: "o", at: now)
        let result = try host.plan(
            from: now, horizon: .hours(48), limits: SearchLimits(timeLimit: .milliseconds(200), seed: 1, workers: 1),
            now: now)
        var schedule = try #require(result.schedule)
        let problem = try #require(result.problem)
        // Bake before its mix has ended: the kind of schedule the validator refuses.
        schedule.slots[1].start = schedule.slots[0].start
        let message = host.keepRefused(problem, schedule, now: now)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(
            files.sorted() == [
                "test-site-refused-schedule-2026-11-25T100000Z-problem.json",
                "test-site-refused-schedule-2026-11-25T100000Z-solution.json",
            ])
        #expect(message.contains(folder.appendingPathComponent(files.sorted()[0]).path))
        let report = PlantSolutionChecker.check(
            try PlantProblemDocument.read(Data(contentsOf: folder.appendingPathComponent(files.sorted()[0]))),
            try PlantSolutionDocument.read(Data(contentsOf: folder.appendingPathComponent(files.sorted()[1]))))
        #expect(!report.valid)
        #expect(report.problems.contains { $0.contains("mix") })
    }

    @Test func aBreachOfAModuleCheckPutsTheLotOnHold() throws {
        let host = try host()
        try host.addLot(Lot(id: "L1", product: "loaf", quantity: 10, producedAt: now), at: now)
        let within = try host.record(CheckReading(check: "test_chill.ccp.chill", value: 5, lot: "L1", at: now))
        #expect(within.findings.isEmpty)
        #expect(try host.lots().first?.status == .released)
        let over = try host.record(CheckReading(check: "test_chill.ccp.chill", value: 5.5, lot: "L1", at: now))
        #expect(over.findings.map(\.rule) == ["test_chill.ccp.chill"])
        #expect(try host.lots().first?.status == .onHold)
        #expect(try host.findings(openOnly: true).count == 1)
    }

    @Test func aBreachCanBlockAWorkCentre() throws {
        let host = try host()
        try host.addLot(Lot(id: "L1", product: "loaf", quantity: 10, producedAt: now), at: now)
        _ = try host.record(CheckReading(check: "site.core", value: 70, lot: "L1", at: now))
        #expect(try host.activeBlocks().map(\.target) == ["chiller"])
    }

    @Test func readingsForUnknownThingsAreRefusedAndNothingIsWritten() throws {
        let host = try host()
        #expect(throws: HostError.self) { try host.record(CheckReading(check: "site.nope", value: 1, at: now)) }
        #expect(throws: HostError.self) {
            try host.record(CheckReading(check: "site.core", value: 80, lot: "L9", at: now))
        }
        #expect(throws: HostError.self) {
            try host.record(CheckReading(check: "site.core", value: 80, recordedBy: "ghost", at: now))
        }
        #expect(throws: HostError.self) { try host.record(CheckReading(check: "site.core", value: .nan, at: now)) }
        #expect(try host.store.outbox().isEmpty)
    }

    @Test func ordersImportFromCSVWithQuotesAndDefaults() throws {
        let host = try host()
        let csv =
            "id,product,quantity,due,release\n\"O,1\",loaf,10,2026-12-01,\nO-2,loaf,5,2026-12-02T14:00,2026-12-01\n"
        let summary = try host.importOrders(csv: csv, file: "orders.csv", at: now)
        #expect(summary.added == 2)
        let orders = try host.openOrders()
        #expect(orders.map(\.id) == ["O,1", "O-2"])
        #expect(orders[0].priority == 1)
        // A bare due date means by the end of that day.
        #expect(orders[0].due == Instant.parse("2026-12-02T00:00", in: host.definition.timeZone))
    }

    @Test func finishingAnOrderSendsItsDaysAdherenceAndImportingAgainDoesNotReopenIt() throws {
        let host = try host()
        let csv = "id,product,quantity,due\nA,loaf,10,2026-11-25T18:00\nB,loaf,5,2026-11-25T20:00\n"
        _ = try host.importOrders(csv: csv, file: "orders.csv", at: now)
        try host.completeOrder("A", at: now)
        let today = LocalDate(now, in: host.definition.timeZone)
        let judged = try host.adherence(of: today, at: now)
        #expect(judged.due == 2 && judged.onTime == 1 && judged.late.map(\.order) == ["B"], "B is open and not planned")
        let sent = try host.store.outbox().filter { $0.kind == "adherence" }
        #expect(sent.map(\.key) == [today.description])
        // The sweep judges the same day the same way: nothing more is sent.
        _ = try host.sweep(at: now.addingTimeInterval(60))
        #expect(try host.store.outbox().filter { $0.kind == "adherence" }.count == 1)
        let again = try host.importOrders(csv: csv, file: "orders.csv", at: now)
        #expect(again.updated == 2)
        #expect(try host.openOrders().map(\.id) == ["B"], "a finished order stays finished")
        #expect(try host.adherence(of: today, at: now).onTime == 1, "and keeps when it was finished")
    }

    @Test func everyBadRowIsReportedWithItsLineAndNothingIsImported() throws {
        let host = try host()
        let csv = """
            id,product,quantity,due,priority,release
            O-1,loaf,10,2026-12-01,1,
            O-2,cake,10,2026-12-01,1,
            O-3,loaf,-1,2026-12-01,1,
            O-4,loaf,1,2026-12-01,0,
            O-5,loaf,1,2026-12-01,1,2026-12-05
            O-1,loaf,1,2026-12-01,1,
            O-6,loaf,1,tomorrow,1,
            """
        #expect {
            try host.importOrders(csv: csv, file: "orders.csv", at: now)
        } throws: { error in
            guard case .invalidRows(_, let problems) = error as? HostError else { return false }
            return problems.map { $0.prefix(2) } == ["3:", "4:", "5:", "6:", "7:", "8:"]
        }
        #expect(try host.openOrders().isEmpty)
        #expect(throws: HostError.self) { try host.importOrders(csv: "id,product\n", file: "o.csv", at: now) }
    }

    @Test func theSweepSendsWhichChecksAreDueOnlyWhenThatChanges() throws {
        let host = try host()
        _ = try host.sweep(at: now)
        _ = try host.sweep(at: now.addingTimeInterval(60))
        let due = try host.store.outbox().filter { $0.kind == "checks_due" }
        #expect(due.count == 1)
        #expect(due.first?.payload.contains("test_chill.ccp.chill") == true)
        _ = try host.record(CheckReading(check: "test_chill.ccp.chill", value: 3, at: now.addingTimeInterval(120)))
        _ = try host.sweep(at: now.addingTimeInterval(180))
        #expect(try host.store.outbox().filter { $0.kind == "checks_due" }.count == 2)
    }
}
