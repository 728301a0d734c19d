import Crypto
import Foundation
import Testing
import WAT

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktExtensions
@testable import TaktHost
@testable import TaktScheduling
@testable import TaktStore

/// The changeover slot: an extension says rye → white on the oven needs a 30-minute rye clean and white → rye is
/// forbidden; the scheduler plans by it.
@Suite struct ExtensionChangeoverTests {
    static let module: String = {
        let manifest =
            #"{"id":"test.rye","version":"1.0.0","abi":1,"slots":["changeover"],"checks":[],"messages":[{"en":"unused"}],"changeover":{"attribute":"family","values":["rye","white"],"work_centres":["oven"],"task":"rye clean"},"changeover_tests":[{"from":0,"to":1,"work_centre":0,"expect":30},{"from":1,"to":0,"work_centre":0,"expect":-2},{"from":1,"to":1,"work_centre":0,"expect":-1},{"from":-1,"to":0,"work_centre":0,"expect":-1}]}"#
        return ExtensionRuntimeTests.slotModule(
            manifest: manifest,
            functions: """
                  (func (export "takt_changeover") (param $from i32) (param $to i32) (param $centre i32) (result i32)
                    (if (i32.and (i32.eqz (local.get $from)) (i32.eq (local.get $to) (i32.const 1)))
                      (then (return (i32.const 30))))
                    (if (i32.and (i32.eq (local.get $from) (i32.const 1)) (i32.eqz (local.get $to)))
                      (then (return (i32.const -2))))
                    (i32.const -1))
                """)
    }()

    @Test func aChangeoverFromAnExtensionIsPlanned() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rye-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let digest = try ExtensionRuntimeTests.write(Self.module, to: folder.appendingPathComponent("rye.wasm"))
        let text = """
            site: {id: s, name: S, region: r, time_zone: Europe/London, currency: GBP}
            calendars:
              - id: days
                shifts: [{days: [mon, tue, wed, thu, fri, sat, sun], start: "06:00", end: "22:00"}]
            work_centres: [{id: oven, name: Oven, calendar: days}]
            products:
              - {id: rye, attributes: {family: rye}, routing: [{id: bake, work_centres: [oven], units_per_hour: 100}]}
              - {id: white, attributes: {family: white}, routing: [{id: bake, work_centres: [oven], units_per_hour: 100}]}
            extensions:
              - {id: test.rye, module: rye.wasm, sha256: \(digest)}
            """
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: text, file: folder.appendingPathComponent("site.yaml").path)
        let rule = try #require(
            definition.rules.scheduling.changeovers.first { $0.id == "site.extension.test.rye.changeover" })
        let rye = definition.products["rye"]!
        let white = definition.products["white"]!
        #expect(
            rule.changeover(from: rye, to: white, on: "oven")
                == .required(duration: .minutes(30), task: "rye clean", rule: rule.id))
        if case .forbidden? = rule.changeover(from: white, to: rye, on: "oven") {
        } else {
            Issue.record("white → rye allowed")
        }
        #expect(rule.changeover(from: white, to: white, on: "oven") == nil)

        // Planned: rye first, then the clean, then white.
        let zone = TimeZone(identifier: "Europe/London")!
        let monday = LocalDate(year: 2026, month: 12, day: 7).instant(at: LocalTime(hour: 6, minute: 0), in: zone)
        let host = SiteHost(
            definition: definition,
            store: try SiteStore(path: folder.appendingPathComponent("s.sqlite").path, siteID: "s"), clock: { monday })
        _ = try host.importOrders(
            csv: "id,product,quantity,due\nW,white,100,2026-12-07T20:00\nR,rye,100,2026-12-07T10:00\n", file: "o.csv",
            at: monday)
        let plan = try host.plan(
            from: monday, horizon: .days(2),
            limits: SearchLimits(timeLimit: .seconds(1), iterations: 50, seed: 1, workers: 1),
            now: monday)
        let operations = plan.rows.filter { $0.kind == .operation }.sorted { $0.start < $1.start }
        #expect(operations.map(\.order) == ["R", "W"], "\(plan.rows)")
        #expect(plan.rows.contains { $0.task == "rye clean" })
    }
}
