import Crypto
import Foundation
import Testing
import WAT

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktExtensions
@testable import TaktHost
@testable import TaktStore

/// The frequency slot: an extension makes a check hourly on weekdays, every four hours on Saturdays and not due on
/// Sundays; the site's checks due and overdue findings follow it.
@Suite struct ExtensionFrequencyTests {
    static let module: String = {
        let manifest =
            #"{"id":"test.hourly","version":"1.0.0","abi":1,"slots":["frequency"],"checks":["site.probe"],"messages":[{"en":"unused"}],"frequency_tests":[{"check":"site.probe","minute":600,"weekday":0,"expect":60},{"check":"site.probe","minute":600,"weekday":5,"expect":240},{"check":"site.probe","minute":600,"weekday":6,"expect":0}]}"#
        return ExtensionRuntimeTests.slotModule(
            manifest: manifest,
            functions: """
                  (func (export "takt_frequency") (param $check i32) (param $minute i32) (param $weekday i32) (result i32)
                    (if (i32.eq (local.get $weekday) (i32.const 6)) (then (return (i32.const 0))))
                    (if (i32.eq (local.get $weekday) (i32.const 5)) (then (return (i32.const 240))))
                    (i32.const 60))
                """)
    }()

    @Test func aFrequencyFromAnExtensionSetsWhenACheckIsDue() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let digest = try ExtensionRuntimeTests.write(Self.module, to: folder.appendingPathComponent("hourly.wasm"))
        let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(
            text: """
                site: {id: s, name: S, region: r, time_zone: Europe/London, currency: GBP}
                work_centres: [{id: line}]
                rules:
                  checks:
                    - {id: site.probe, name: Probe, unit: °C, max: 8, every: 8h, work_centres: [line], corrective_action: Look}
                extensions:
                  - {id: test.hourly, module: hourly.wasm, sha256: \(digest)}
                """, file: folder.appendingPathComponent("site.yaml").path)
        let zone = TimeZone(identifier: "Europe/London")!
        func at(_ day: Int, _ hour: Int) -> Date {
            LocalDate(year: 2026, month: 12, day: day).instant(at: LocalTime(hour: hour, minute: 0), in: zone)
        }
        func due(after reading: Date) -> RuleBook.CheckDue? {
            definition.rules.checksDue(
                lastReadings: ["site.probe": ["line": reading]], since: reading, now: reading.addingTimeInterval(60)
            ).first
        }
        #expect(due(after: at(7, 10))?.due == at(7, 11))  // Monday: hourly
        #expect(due(after: at(12, 10))?.due == at(12, 14))  // Saturday: every four hours
        #expect(due(after: at(13, 10)) == nil)  // Sunday: not due
        // The sweep raises an overdue finding by the extension's hour, not the check's 8 h.
        let overdue = definition.rules.overdueFindings(
            in: SiteSnapshot(lastReadings: ["site.probe": ["line": at(7, 10)]], since: at(7, 0)), now: at(7, 12),
            timeZone: zone)
        #expect(overdue.first?.message.contains("every 1h") == true, "\(overdue)")
    }
}
