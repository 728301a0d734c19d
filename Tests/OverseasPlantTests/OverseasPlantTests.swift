import Foundation
import Testing

@testable import BuiltinModules
@testable import OverseasPlant
@testable import TaktCore
@testable import TaktHost

@Suite struct OverseasPlantTests {
    func load(_ body: String) throws -> SiteDefinition {
        let header = "site: {id: t, name: T, region: r, time_zone: America/Monterrey, currency: MXN}\n"
        return try SiteLoader(registry: try BuiltinModules.registry()).load(text: header + body, file: "site.yaml")
    }

    @Test func currencyAndLeadTimesReachTheRuleBook() throws {
        let site = try load(
            """
            modules:
              overseas_plant:
                working_time: mexico
                currency: {region: USD, rate: 0.058}
                materials:
                  - {id: gate-driver, origin: Penang, transit: 21d, customs: 4d}
            """)
        #expect(site.rules.currencyRollUp == .init(regionCurrency: "USD", rate: 0.058))
        #expect(site.rules.scheduling.materialLeadTimes["gate-driver"] == TimeSpan(seconds: 25 * 86_400))
        #expect(
            site.rules.safety.map(\.id.rawValue).sorted() == [
                "overseas_plant.mx.daily_overtime", "overseas_plant.mx.overtime_days", "overseas_plant.mx.rest_day",
            ])
    }

    @Test func aReferencePeriodBeyondTheDirectiveIsRefused() {
        #expect(throws: HostError.self) {
            try load("modules:\n  overseas_plant:\n    working_time: eu\n    reference_weeks: 60\n")
        }
        #expect(throws: HostError.self) { try load("modules:\n  overseas_plant:\n    working_time: atlantis\n") }
    }

    @Test func mexicanShiftsAreDayNightOrMixed() {
        let zone = TimeZone(identifier: "America/Monterrey")!
        func shift(_ from: String, _ to: String) -> ShiftAssignment {
            ShiftAssignment(staff: "x", start: Instant.parse(from, in: zone)!, end: Instant.parse(to, in: zone)!)
        }
        #expect(WorkingTimeRule.mexicanShift(shift("2026-12-01T06:00", "2026-12-01T14:00"), zone: zone).1 == 8)
        #expect(WorkingTimeRule.mexicanShift(shift("2026-12-01T22:00", "2026-12-02T05:00"), zone: zone).1 == 7)
        #expect(WorkingTimeRule.mexicanShift(shift("2026-12-01T14:00", "2026-12-01T21:30"), zone: zone).1 == 7.5)
        #expect(WorkingTimeRule.mexicanShift(shift("2026-12-01T16:00", "2026-12-01T23:30"), zone: zone).1 == 7)
    }
}
