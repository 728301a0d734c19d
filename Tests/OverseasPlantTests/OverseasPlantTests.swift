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

    @Test func aFixedExchangeRateIsRefusedWithWhatToDoInstead() throws {
        do {
            _ = try load("modules:\n  overseas_plant:\n    currency: {region: USD, rate: 0.058}\n")
            Issue.record("a fixed rate was accepted")
        } catch {
            #expect("\(error)".contains("overseas_plant") && "\(error)".contains("dated rate"))
        }
    }

    @Test func leadTimesReachTheRuleBook() throws {
        let site = try load(
            """
            modules:
              overseas_plant:
                working_time: mexico
                materials:
                  - {id: gate-driver, origin: Penang, transit: 21d, customs: 4d}
            """)
        #expect(site.rules.scheduling.materialLeadTimes["gate-driver"] == TimeSpan(seconds: 25 * 86_400))
        #expect(
            site.rules.safety.map(\.id.rawValue).sorted() == [
                "overseas_plant.mx.break", "overseas_plant.mx.daily_overtime", "overseas_plant.mx.incident_report",
                "overseas_plant.mx.overtime_days",
                "overseas_plant.mx.rest_day", "overseas_plant.mx.week",
            ])
        // takt site show lists Mexico's numbers with their dates: the ordinary week of every year of the reform.
        let weeks = site.rules.legalLimits.filter { $0.id == "overseas_plant.week.ordinary_max" }
        #expect(weeks.map(\.value) == [48, 46, 44, 42, 40])
        #expect(weeks.allSatisfy { $0.jurisdiction == "MX" })
    }

    /// A rule judges a shift by the law in force on the shift's own date.
    @Test func theLimitInForceOnTheShiftsDateIsTheOneUsed() {
        let table = WorkingTimeLaw.table
        let december = LocalDate(year: 2026, month: 12, day: 31)
        let january = LocalDate(year: 2027, month: 1, day: 1)
        #expect(table.limit("overseas_plant.week.ordinary_max", in: "MX", on: december)?.value == 48)
        #expect(table.limit("overseas_plant.week.ordinary_max", in: "MX", on: january)?.value == 46)
        #expect(
            table.limit("overseas_plant.week.ordinary_max", in: "MX", on: .init(year: 2040, month: 6, day: 1))?.value
                == 40)
        #expect(table.limit("overseas_plant.overtime.day_max", in: "MX", on: december)?.value == 3)
        #expect(table.limit("overseas_plant.overtime.day_max", in: "MX", on: january)?.value == 4)
        #expect(table.limit("overseas_plant.week.ordinary_max", in: "GB", on: january) == nil)
    }

    @Test func aReferencePeriodPast17WeeksNeedsItsBasis() throws {
        let basis = { (weeks: Int, basis: String?) in
            "modules:\n  overseas_plant:\n    working_time: uk\n    reference_weeks: \(weeks)\n"
                + (basis.map { "    reference_basis: \($0)\n" } ?? "")
        }
        #expect(throws: HostError.self) { try load(basis(18, nil)) }
        #expect(throws: HostError.self) { try load(basis(27, "derogation")) }
        #expect(throws: HostError.self) { try load(basis(53, "collective_agreement")) }
        _ = try load(basis(26, "derogation"))
        _ = try load(basis(52, "collective_agreement"))
        #expect(throws: HostError.self) {
            try load("modules:\n  overseas_plant:\n    working_time: mexico\n    reference_basis: derogation\n")
        }
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
        #expect(WorkingTimeJudge.mexicanShift(shift("2026-12-01T06:00", "2026-12-01T14:00"), zone: zone).1 == 8)
        #expect(WorkingTimeJudge.mexicanShift(shift("2026-12-01T22:00", "2026-12-02T05:00"), zone: zone).1 == 7)
        #expect(WorkingTimeJudge.mexicanShift(shift("2026-12-01T14:00", "2026-12-01T21:30"), zone: zone).1 == 7.5)
        #expect(WorkingTimeJudge.mexicanShift(shift("2026-12-01T16:00", "2026-12-01T23:30"), zone: zone).1 == 7)
    }
}
