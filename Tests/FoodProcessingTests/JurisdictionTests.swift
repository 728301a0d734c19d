import Foundation
import Testing

@testable import BuiltinModules
@testable import FoodProcessing
@testable import OverseasPlant
@testable import TaktCore
@testable import TaktHost

/// The law a site runs under is the law of where it is: an Irish plant cites Irish law and Irish limits, a
/// Scottish one reheats to 82 °C, and a place the module has no table for is told so.
@Suite struct JurisdictionTests {
    func load(country: String?, _ modules: String) throws -> SiteDefinition {
        let place = country.map { ", country: \($0)" } ?? ""
        let text = "site: {id: t, name: T, region: r, time_zone: Europe/Dublin, currency: EUR\(place)}\n" + modules
        return try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
    }

    func problems(country: String?, _ modules: String) -> [String] {
        do {
            _ = try load(country: country, modules)
            return []
        } catch let error as HostError {
            guard case .invalidSite(let found) = error else { return ["\(error)"] }
            return found.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func anIrishPlantCitesIrishLawAndItsLimits() throws {
        let site = try load(country: "IE", "modules:\n  food_processing: {}\n")
        let texts = site.rules.checks.compactMap(\.source).joined(separator: "\n")
        #expect(texts.contains("FSAI"))
        #expect(!texts.contains("England"))
        #expect(site.rules.check("food_processing.ccp.chill")?.limits.max == 5)
        let looser = problems(country: "IE", "modules:\n  food_processing: {chill: {max_celsius: 7}}\n")
        #expect(looser.first?.contains("7 °C is above the legal maximum 5 °C in Ireland") == true)
        // The same 7 °C is within England's 8 °C.
        #expect(problems(country: "GB-ENG", "modules:\n  food_processing: {chill: {max_celsius: 7}}\n").isEmpty)
    }

    @Test func scotlandReheatsTo82Degrees() throws {
        let scotland = try load(country: "GB-SCT", "modules:\n  food_processing: {}\n")
        #expect(scotland.rules.check("food_processing.ccp.reheat")?.limits.min == 82)
        #expect(
            try load(country: "GB-ENG", "modules:\n  food_processing: {}\n").rules.check("food_processing.ccp.reheat")
                == nil)
    }

    @Test func aPlaceWithoutATableOrNoCountryIsToldSo() {
        let germany = problems(country: "DE", "modules:\n  food_processing: {}\n")
        #expect(germany.count == 1)
        #expect(
            germany.first?.contains(
                "site.country: module food_processing (register): food_processing has no table of the food law of DE")
                == true)
        let none = problems(country: nil, "modules:\n  food_processing: {}\n")
        #expect(none.first?.contains("give site.country") == true)
        #expect(problems(country: "XX", "work_centres: []\n").first?.contains("is not an ISO 3166 code") == true)
    }

    /// Ireland's Organisation of Working Time Act: 15 minutes after 4 h 30, 30 minutes after 6 h.
    @Test func anIrishRosterNeedsItsBreaks() throws {
        let site = try load(country: "IE", "modules:\n  overseas_plant: {}\nstaff: [{id: aoife, name: Aoife}]\n")
        let breaks = try #require(site.rules.safety.first { $0.id == "overseas_plant.ie.breaks" })
        let zone = TimeZone(identifier: "Europe/Dublin")!
        let start = Instant.parse("2026-11-26T06:00", in: zone)!
        func judge(hours: Double, pause: Int) -> [Finding] {
            let shift = ShiftAssignment(
                staff: "aoife", start: start, end: start.addingTimeInterval(hours * 3600), breakTime: .minutes(pause))
            var context = RuleContext(site: site.site, timeZone: zone, now: start, staff: site.staff)
            context.assignments = []
            return breaks.evaluate(.assignment(shift), in: context)
        }
        #expect(judge(hours: 4.5, pause: 0).isEmpty)
        #expect(judge(hours: 5, pause: 10).first?.message.contains("at least 15m") == true)
        #expect(judge(hours: 5, pause: 15).isEmpty)
        #expect(
            judge(hours: 8, pause: 20).first?.message.contains("Organisation of Working Time Act 1997, s. 12") == true)
        #expect(judge(hours: 8, pause: 30).isEmpty)
    }
}
