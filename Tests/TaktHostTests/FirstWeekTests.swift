import Foundation
import Testing

@testable import TaktCore
@testable import TaktHost
@testable import TaktStore

/// What a new plant's first week found: records that could be wrong without anyone noticing are refused or
/// mean what people mean.
@Suite struct FirstWeekTests {
    static let zone = TimeZone(identifier: "Europe/Dublin")!
    let now = Instant.parse("2026-11-25T10:00", in: zone)!

    func host(tolerance: String? = nil) throws -> SiteHost {
        let text = """
            site:
              id: dublin-meals
              name: Dublin ready meals
              region: eu-west
              time_zone: Europe/Dublin
              currency: EUR
            \(tolerance.map { "  clock_tolerance: \($0)\n" } ?? "")modules:
              test_chill:
            calendars:
              - id: two-shifts
                shifts:
                  - {name: early, days: [mon, tue, wed, thu, fri], start: "06:00", end: "14:00"}
                  - {name: late, days: [mon, tue, wed, thu, fri], start: "14:00", end: "22:00"}
            work_centres:
              - {id: kettle-1, calendar: two-shifts}
              - {id: kettle-2, calendar: two-shifts}
              - {id: metal-detector}
            products:
              - id: curry
                routing:
                  - {id: cook, work_centres: [kettle-1, kettle-2], units_per_hour: 600}
            staff:
              - {id: aoife, name: Aoife}
            rules:
              checks:
                - id: site.metal
                  name: Metal detector test
                  unit: pass/fail
                  min: 1
                  every: 1h
                  work_centres: [metal-detector]
                  corrective_action: Stop the line.
                - id: site.kettle_temp
                  name: Kettle temperature
                  unit: °C
                  min: 75
                  work_centres: [kettle-1, kettle-2]
                  corrective_action: Re-cook.
            """
        let definition = try SiteLoader(registry: testRegistry).load(text: text, file: "site.yaml")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("week-\(UUID().uuidString).sqlite")
        let clock = now
        return SiteHost(
            definition: definition, store: try SiteStore(path: path.path, siteID: "dublin-meals"), clock: { clock })
    }

    func refusal(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func aReadingOrASweepDatedInTheFutureIsRefused() throws {
        let host = try host()
        let month = Instant.parse("2026-12-25 10:00", in: Self.zone)!
        let message = refusal {
            _ = try host.record(CheckReading(check: "test_chill.ccp.chill", value: 3, at: month))
        }
        #expect(message.contains("is 30 days ahead of the site's clock"))
        #expect(try host.findings(openOnly: false).isEmpty)
        #expect(refusal { _ = try host.sweep(at: month) }.contains("ahead of the site's clock"))
        // Clocks differ a little: a few minutes ahead is fine.
        _ = try host.record(CheckReading(check: "test_chill.ccp.chill", value: 3, at: now.addingTimeInterval(240)))
        // A site may allow more.
        let lenient = try self.host(tolerance: "1h")
        _ = try lenient.record(CheckReading(check: "test_chill.ccp.chill", value: 3, at: now.addingTimeInterval(3000)))
        let lot = Lot(id: "L1", product: "curry", quantity: 1, producedAt: month)
        #expect(refusal { try host.addLot(lot, at: now) }.contains("the lot's production time"))
    }

    @Test func aBareUseByDateLastsThroughThatLocalDay() throws {
        let useBy = try #require(Instant.parseDeadline("2026-12-01", in: Self.zone))
        #expect(useBy == Instant.parse("2026-12-02T00:00", in: Self.zone))
        #expect(Instant.formatDeadline(useBy, in: Self.zone) == "by end of 1 Dec 2026")
        let timed = try #require(Instant.parseDeadline("2026-12-01T14:00", in: Self.zone))
        #expect(Instant.formatDeadline(timed, in: Self.zone).hasPrefix("by 2026-12-01 14:00"))
    }

    @Test func passFailChecksTakePassOrFailOnly() throws {
        let host = try host()
        let wrong = refusal { _ = try host.record(CheckReading(check: "site.metal", value: 2, at: now)) }
        #expect(wrong.contains("site.metal is a pass/fail check: record pass or fail (1 or 0), not 2"))
        let pass = try host.record(CheckReading(check: "site.metal", value: 1, at: now))
        #expect(pass.findings.isEmpty)
    }

    @Test func aReadingWithoutAWorkCentreTakesTheChecksOnlyOneOrIsRefused() throws {
        let host = try host()
        _ = try host.record(CheckReading(check: "site.metal", value: 1, at: now))
        let due = try host.checksDue(at: now).first { $0.check == "site.metal" }
        #expect(due?.lastRecorded == now, "the reading counts towards the check at its only work centre")
        let several = refusal { _ = try host.record(CheckReading(check: "site.kettle_temp", value: 80, at: now)) }
        #expect(several.contains("is kept at kettle-1, kettle-2: say where this reading was taken"))
    }

    func report(
        _ host: SiteHost, good: Double, from: String = "2026-11-25 08:00", to: String = "2026-11-25 09:00"
    ) throws -> ProductionReport {
        try host.reportProduction(
            workCentre: "kettle-1", product: "curry", order: nil, good: good, scrap: 0,
            from: Instant.parse(from, in: Self.zone)!, to: Instant.parse(to, in: Self.zone)!, down: .minutes(0))
    }

    @Test func countsAreWholeAndPlausible() throws {
        let host = try host()
        #expect(refusal { _ = try report(host, good: 1.7) }.contains("counts are whole units"))
        let fast = refusal { _ = try report(host, good: 100_000) }
        #expect(fast.contains("of the ideal rate 600/h for curry at kettle-1"))
        #expect(try report(host, good: 880).good == 880)
        // 150 % of 600/h is the most a report may claim.
        #expect(refusal { _ = try report(host, good: 901, from: "2026-11-25 09:00", to: "2026-11-25 10:00") } != "")
    }

    @Test func productionOutsideTheShiftsIsRecordedAndTheSameReportTwiceIsRefused() throws {
        let host = try host()
        let night = try report(host, good: 500, from: "2026-11-25 02:00", to: "2026-11-25 03:00")
        #expect(night.outsideShifts == true)
        #expect(night.plannedSeconds == 3600)
        let window = DateInterval(start: now.addingTimeInterval(-86_400), end: now)
        #expect(try host.store.productionReports(in: window).count == 1)
        let again = refusal { _ = try report(host, good: 500, from: "2026-11-25 02:00", to: "2026-11-25 03:00") }
        #expect(again.contains("is already recorded; nothing was added"))
        #expect(try host.store.productionReports(in: window).count == 1)
    }
}
