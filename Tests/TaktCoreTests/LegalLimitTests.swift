import Foundation
import Testing

@testable import TaktCore

/// Legal limits as dated data: the one in force on an event's date is the one that judges it.
@Suite struct LegalLimitTests {
    let zone = TimeZone(identifier: "Europe/London")!
    let old = LegalLimit(
        id: "x.chill.max", subject: "Chill", .atMost, 8, unit: "°C", jurisdiction: "GB-ENG",
        until: LocalDate(year: 2027, month: 1, day: 1), citation: "Old Act, s. 1")
    let new = LegalLimit(
        id: "x.chill.max", subject: "Chill", .atMost, 6, unit: "°C", jurisdiction: "GB-ENG",
        from: LocalDate(year: 2027, month: 1, day: 1), citation: "New Act, s. 2")

    @Test func aTablePicksTheRowInForceOnTheDay() {
        let table = LegalLimitTable([old, new])
        #expect(table.limit("x.chill.max", in: "GB-ENG", on: .init(year: 2026, month: 12, day: 31))?.value == 8)
        #expect(table.limit("x.chill.max", in: "GB-ENG", on: .init(year: 2027, month: 1, day: 1))?.value == 6)
        #expect(table.limit("x.chill.max", in: "IE", on: .init(year: 2027, month: 1, day: 1)) == nil)
        #expect(old.period == "until 2026-12-31" && new.period == "since 2027-01-01")
        #expect(old.bound == "≤ 8 °C" && old.allows(8) && !old.allows(8.1))
        #expect(
            table.markdown.contains("| Chill (`x.chill.max`) | ≤ 6 °C | GB-ENG | since 2027-01-01 | New Act, s. 2 |"))
    }

    /// A check at the law's 8 °C judges a reading taken after the law tightens by the new 6 °C, and one taken
    /// before by the old; the site's own tighter limit still wins over both.
    @Test func aCheckJudgesEachReadingByTheLawOfItsDate() throws {
        let check = CheckDefinition(
            id: "x.ccp.chill", name: "Chill", unit: "°C", limits: .init(max: 8), correctiveAction: "Move it."
        ).bounded(by: [old, new])
        var book = RuleBook()
        try book.addHygiene(check)
        let site = Site(id: "s", name: "S", region: "r", timeZone: "Europe/London", currency: "GBP")
        func findings(_ value: Double, on text: String) -> [Finding] {
            let at = ISO8601DateFormatter().date(from: text)!
            let reading = CheckReading(check: "x.ccp.chill", value: value, at: at)
            return book.evaluate(.reading(reading), in: RuleContext(site: site, timeZone: zone, now: at))
        }
        #expect(findings(7, on: "2026-12-31T23:59:00Z").isEmpty)
        #expect(findings(7, on: "2027-01-01T00:00:00Z").first?.message.contains("above the limit 6 °C") == true)
        let tighter = try check.adjusted(by: LimitOverride(rule: "x.ccp.chill", max: 5))
        #expect(tighter.limits(on: .init(year: 2027, month: 6, day: 1)).max == 5)
        #expect(check.limits(on: .init(year: 2027, month: 6, day: 1)).max == 6)
    }
}

/// A certificate that lasts a set time from issue (IPC-A-610: 24 months).
@Suite struct CertificateValidityTests {
    @Test func aCertificateCountsForItsMonthsFromIssueAndNotWithoutDates() {
        let issued = Staff.Certificate(kind: "ipc_a_610", issued: LocalDate(year: 2024, month: 11, day: 25))
        #expect(issued.isValid(on: .init(year: 2026, month: 11, day: 24), forMonths: 24))
        #expect(!issued.isValid(on: .init(year: 2026, month: 11, day: 25), forMonths: 24))
        let expiring = Staff.Certificate(kind: "ipc_a_610", expires: LocalDate(year: 2026, month: 1, day: 31))
        #expect(expiring.isValid(on: .init(year: 2026, month: 1, day: 31), forMonths: 24))
        #expect(!expiring.isValid(on: .init(year: 2026, month: 2, day: 1), forMonths: 24))
        let undated = Staff.Certificate(kind: "ipc_a_610")
        #expect(undated.isValid(on: .init(year: 2026, month: 1, day: 1)))
        #expect(!undated.isValid(on: .init(year: 2026, month: 1, day: 1), forMonths: 24))
        let person = Staff(id: "siti", name: "Siti", certificates: [issued])
        let rule = EligibilityRule(
            id: "x.inspection", workCentres: ["aoi"], certificate: "ipc_a_610", certificateMonths: 24)
        #expect(rule.admits(person, on: .init(year: 2026, month: 11, day: 24)))
        #expect(!rule.admits(person, on: .init(year: 2026, month: 11, day: 25)))
        #expect(rule.summary.contains("issued within 24 months"))
    }
}
